package io.outboundbridge.task;


/**
 * One vendor call of a plan: the create of a task or an append to it.
 *
 * @param taskIndex 1-based number of the task within the file (task 1, 2, 3, ...)
 * @param taskName  the task's name: the base name for task 1, {@code base-n} for continuation task n
 * @param sequence  1-based number of the request within its task
 * @param create    true for a task's first request (the create call), false for appends
 * @param customers the customers of this call
 */
public record PlannedRequest(int taskIndex, String taskName, int sequence, boolean create, CustomerBatch customers) {
}
