package io.outboundbridge.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A run as its outcome file tells it ({@code .result.json} or {@code .error.json}): what a ledger that lost its
 * history is checked against ({@link Ledger#unrecorded}) and restored from ({@link Ledger#restore}).
 *
 * @param source        where the outcome file is, for messages ({@code archive/2026-03-01/list.csv.result.json})
 * @param sha256        the list's content hash
 * @param fileName      the list's name in the inbox
 * @param profile       its profile
 * @param done          true for a list that went through ({@code .result.json}), false for a failed one
 * @param rows          data rows, or null when unknown
 * @param accepted      rows sent, or null
 * @param rejected      rows rejected, or null
 * @param stage         where a failed list stopped, or null
 * @param customersSent customers the vendor confirmed
 * @param tasks         its tasks, as far as each got
 * @param start         when it began
 * @param end           when it ended
 */
public record PastRun(String source, String sha256, String fileName, String profile, boolean done, Long rows,
        Long accepted, Long rejected, String stage, long customersSent, List<Task> tasks, Instant start,
        Instant end) {

    /**
     * One task of a past run.
     *
     * @param taskName  the name sent to the vendor
     * @param taskId    the vendor's id, or null when its create was not confirmed
     * @param customers customers the vendor confirmed in it
     * @param requests  requests the vendor confirmed (the create and the appends after it, in order)
     */
    public record Task(String taskName, Long taskId, long customers, int requests) {

        public Task {
            Objects.requireNonNull(taskName, "taskName");
        }
    }

    /** What {@link Ledger#restore} did with a past run. */
    public enum Restored {
        /** The ledger held the run already: nothing recorded. */
        ALREADY_KNOWN,
        /** Recorded as a run of its own: done, or failed with its confirmed tasks. */
        RECORDED,
        /** The ledger held the run, but not all of it (a backup taken while it ran): completed from the report. */
        COMPLETED,
        /**
         * The ledger holds the same content under another run, sent while it lacked this one: recorded as failed
         * with stage {@code restored}, since one run at a time holds a content. The vendor has it twice.
         */
        SENT_TWICE
    }

    /**
     * What {@link Ledger#restore} did with a past run.
     *
     * @param how    recorded, completed, known already, or recorded beside another run of the same content
     * @param heldBy for {@link Restored#SENT_TWICE}: the file name of the run that holds the content, else null
     */
    public record Restoration(Restored how, String heldBy) {
    }

    public PastRun {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(start, "start");
        profile = profile == null || profile.isBlank() ? "default" : profile;
        tasks = List.copyOf(tasks);
    }

    /**
     * Whether the vendor confirmed customers of this run: a list that went through, or a failed one that got
     * customers or a task created before it stopped. Only these matter to "never twice".
     */
    public boolean vendorConfirmed() {
        return done || customersSent > 0 || tasks.stream().anyMatch(t -> t.taskId() != null);
    }

    /** Its tasks as {@code name=id}, for messages. */
    public String taskList() {
        return tasks.stream().map(t -> t.taskName() + "=" + (t.taskId() == null ? "?" : t.taskId()))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
}
