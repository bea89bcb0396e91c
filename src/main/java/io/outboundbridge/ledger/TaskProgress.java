package io.outboundbridge.ledger;

/**
 * How far one task got.
 *
 * @param taskIndex             1, 2, 3, ...
 * @param taskName              the name sent to the vendor
 * @param vendorTaskId          the vendor's id, or null while the create is not confirmed
 * @param lastConfirmedSequence the highest request sequence the vendor confirmed (1 = the create), 0 if none
 * @param requestsConfirmed     how many requests the vendor confirmed
 * @param customersConfirmed    how many customers those requests carried
 */
public record TaskProgress(int taskIndex, String taskName, Long vendorTaskId, int lastConfirmedSequence,
        int requestsConfirmed, long customersConfirmed) {

    public TaskRef ref() {
        return new TaskRef(taskIndex, taskName, vendorTaskId);
    }
}
