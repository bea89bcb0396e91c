package io.outboundbridge.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The earlier run that holds a content: what {@code error.json} of a duplicate names.
 *
 * @param fileId   the earlier run's ledger id
 * @param fileName the earlier file's name
 * @param profile  its profile
 * @param state    {@link FileState#DONE} or {@link FileState#IN_PROGRESS}
 * @param start    when it began
 * @param end      when it ended, or null while in progress
 * @param tasks    its tasks, with the vendor's ids where known
 */
public record DuplicateContent(long fileId, String fileName, String profile, FileState state, Instant start,
        Instant end, List<TaskRef> tasks) {

    public DuplicateContent {
        tasks = List.copyOf(tasks);
    }

    /** The day the earlier run began, in the given zone ({@code bridge.timezone}): its archive folder. */
    public LocalDate day(ZoneId zone) {
        return LocalDate.ofInstant(start, zone);
    }
}
