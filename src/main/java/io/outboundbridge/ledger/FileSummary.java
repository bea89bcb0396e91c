package io.outboundbridge.ledger;

import java.time.Instant;
import java.util.List;

/**
 * One line of the {@code status} command.
 *
 * @param fileId   the run
 * @param fileName the file
 * @param sha256   its content hash
 * @param profile  its profile
 * @param state    where it stands
 * @param start    when it began
 * @param end      when it ended, or null while unfinished
 * @param rows     data rows, or null while unfinished
 * @param accepted rows sent, or null while unfinished
 * @param rejected rows rejected, or null while unfinished
 * @param stage    where a failed run stopped ({@code create}, {@code append}, {@code duplicate}, ...), or null
 * @param tasks    its tasks with the vendor's ids and how far each got
 */
public record FileSummary(long fileId, String fileName, String sha256, String profile, FileState state,
        Instant start, Instant end, Long rows, Long accepted, Long rejected, String stage, List<TaskProgress> tasks) {

    public FileSummary {
        tasks = List.copyOf(tasks);
    }

    /** Requests confirmed so far: for an unfinished run, how far it got. */
    public int requestsConfirmed() {
        return tasks.stream().mapToInt(TaskProgress::requestsConfirmed).sum();
    }

    /** Customers confirmed so far. */
    public long customersConfirmed() {
        return tasks.stream().mapToLong(TaskProgress::customersConfirmed).sum();
    }
}
