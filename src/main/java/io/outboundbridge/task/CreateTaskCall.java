package io.outboundbridge.task;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The body of a create call as it is sent: the task's fields as {@link CreateTaskRequest} (without customers),
 * then its customers as read from the list, so the JSON is field for field that of a {@code CreateTaskRequest}.
 */
public record CreateTaskCall(@JsonUnwrapped CreateTaskRequest task, CustomerBatch outBoundCustomers) {

    public CreateTaskCall {
        if (task.outBoundCustomers() != null) {
            throw new IllegalArgumentException("the customers of a create call go in outBoundCustomers of the call");
        }
    }
}
