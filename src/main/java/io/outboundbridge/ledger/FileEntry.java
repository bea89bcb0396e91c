package io.outboundbridge.ledger;

import java.time.Instant;

/**
 * A file's run as the ledger holds it.
 *
 * @param id       the ledger's id of this run, passed to every later call
 * @param sha256   the content's SHA-256, lower-case hex
 * @param fileName the file's name relative to the inbox, e.g. {@code vip/list.csv}
 * @param profile  the profile it is sent with
 * @param state    where the run stands
 * @param owner    the instance that runs it ({@code bridge.instance.id}); changes when another one resumes it
 * @param start    when the run began
 * @param resumed  when it was last resumed after a crash, or null
 * @param fence    1 when begun, one more at each resume: a request is only recorded as sent under the current one
 */
public record FileEntry(long id, String sha256, String fileName, String profile, FileState state, String owner,
        Instant start, Instant resumed, long fence) {

    /** A run never resumed: fence 1. */
    public FileEntry(long id, String sha256, String fileName, String profile, FileState state, String owner,
            Instant start, Instant resumed) {
        this(id, sha256, fileName, profile, state, owner, start, resumed, 1);
    }
}
