package io.outboundbridge.ledger;

/**
 * A task of a file: its name and, once the vendor confirmed the create, the vendor's id.
 *
 * @param taskIndex    1 for the file's first task, 2, 3, ... for continuations
 * @param taskName     the name sent to the vendor
 * @param vendorTaskId the vendor's task id, or null while the create is not confirmed
 */
public record TaskRef(int taskIndex, String taskName, Long vendorTaskId) {
}
