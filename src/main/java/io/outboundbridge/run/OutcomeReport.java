package io.outboundbridge.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What happened to one list, written next to it as {@code .result.json} (success) or {@code .error.json}
 * (failure). Failure-only fields are null on success and left out of the JSON.
 *
 * @param file          the list's path relative to the inbox
 * @param storedAs      its name in the archive or error day folder (differs when the name was taken)
 * @param stage         where a failed list stopped: read, parse, validate, create, append, duplicate
 * @param vendorCode    the vendor's last result code, when the failure came from the vendor
 * @param message       what went wrong, for a person
 * @param customersSent customers the vendor confirmed
 * @param vendorOutcomeUnknown true when a create got no answer and the vendor may have created the task anyway
 * @param instance      the instance that finished the list ({@code bridge.instance.id})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutcomeReport(
        String outcome,
        String file,
        String storedAs,
        String sha256,
        String profile,
        Long rows,
        Long accepted,
        Long rejected,
        List<TaskSummary> tasks,
        Long customersSent,
        String stage,
        String vendorCode,
        String vendorMessage,
        String message,
        Boolean vendorOutcomeUnknown,
        String start,
        String end,
        String instance) {

    /** A report that names no instance (written before several instances, or read back from one). */
    public OutcomeReport(String outcome, String file, String storedAs, String sha256, String profile, Long rows,
            Long accepted, Long rejected, List<TaskSummary> tasks, Long customersSent, String stage, String vendorCode,
            String vendorMessage, String message, Boolean vendorOutcomeUnknown, String start, String end) {
        this(outcome, file, storedAs, sha256, profile, rows, accepted, rejected, tasks, customersSent, stage,
                vendorCode, vendorMessage, message, vendorOutcomeUnknown, start, end, null);
    }

    /** One vendor task in a report. */
    public record TaskSummary(String taskName, Long taskId, long customers, int requests) {
    }

    /** The same report for a file whose bytes are now {@code hash} (it changed after it was read). */
    public OutcomeReport withSha256(String hash) {
        return new OutcomeReport(outcome, file, storedAs, hash, profile, rows, accepted, rejected, tasks, customersSent,
                stage, vendorCode, vendorMessage, message, vendorOutcomeUnknown, start, end, instance);
    }
}
