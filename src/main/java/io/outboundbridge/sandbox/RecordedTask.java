package io.outboundbridge.sandbox;

import io.outboundbridge.task.CreateTaskRequest;
import io.outboundbridge.task.Customer;
import java.util.List;

/**
 * A task the sandbox accepted, as a snapshot.
 *
 * @param create              the create call's body; its customers are left out when the sandbox does not record them
 * @param customers           every accepted customer in arrival order across create and appends (empty when not recorded)
 * @param customerCount       how many customers the task has
 * @param externalCustomerIds their external ids in arrival order (always recorded)
 */
public record RecordedTask(
        long id,
        String name,
        CreateTaskRequest create,
        List<Customer> customers,
        int customerCount,
        List<String> externalCustomerIds) {
}
