package io.outboundbridge.reading;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Finds repeated {@code externalCustomerId}s within one file, for files of any size: the table lives in
 * memory-mapped temp files in the given work folder ({@link MappedIdTable}), so the Java heap stays flat whatever
 * the number of ids; ids are kept there too, so there is no false duplicate at all. {@link #close()} deletes the
 * files.
 *
 * <p>Not thread-safe: one guard per file.
 */
public final class DuplicateIdGuard implements Closeable {

    private final MappedIdTable mapped;

    /**
     * A guard whose table is kept in temp files in {@code workDir} (created when missing), off the heap.
     *
     * @throws java.io.UncheckedIOException when the files cannot be created there
     */
    public DuplicateIdGuard(Path workDir) {
        mapped = new MappedIdTable(Objects.requireNonNull(workDir, "workDir"));
    }

    /**
     * Remembers {@code line} as the first occurrence of {@code externalCustomerId} when it is new.
     *
     * @param line the physical line of the row, greater than 0
     * @return 0 when the id is seen for the first time, else the line of its first occurrence
     */
    public long firstLineOf(String externalCustomerId, long line) {
        Objects.requireNonNull(externalCustomerId, "externalCustomerId");
        if (line <= 0) {
            throw new IllegalArgumentException("line must be greater than 0 (found " + line + ")");
        }
        return mapped.firstLineOf(externalCustomerId, line);
    }

    /** How many distinct ids were seen. */
    public int size() {
        return mapped.size();
    }

    int capacity() {
        return mapped.capacity();
    }

    /** The temp files, for tests. */
    List<Path> files() {
        return List.of(mapped.files());
    }

    /** Deletes the guard's files (the guard cannot be used after). */
    @Override
    public void close() {
        mapped.close();
    }
}
