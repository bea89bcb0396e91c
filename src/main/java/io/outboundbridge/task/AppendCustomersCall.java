package io.outboundbridge.task;

/**
 * The body of an append call as it is sent: the JSON of an {@link AppendCustomersRequest}, with the customers as
 * read from the list.
 */
public record AppendCustomersCall(Long taskId, CustomerBatch outBoundCustomers) {
}
