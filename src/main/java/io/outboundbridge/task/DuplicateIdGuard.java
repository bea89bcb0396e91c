package io.outboundbridge.task;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * Finds repeated {@code externalCustomerId}s within one file. Two kinds:
 *
 * <ul>
 * <li>{@link #DuplicateIdGuard(Path)}, for files of any size: the table lives in memory-mapped temp files in the
 * given work folder, so the Java heap stays flat whatever the number of ids; ids are kept there too, so there is
 * no false duplicate at all. {@link #close()} deletes the files.
 * <li>{@link #DuplicateIdGuard()}, for small uses: on the heap, an open-addressing map from a 64-bit hash of the
 * id to the line of its first occurrence, in two primitive arrays (16 bytes a slot, at most 75% full), so a
 * 1,000,000-row file needs about 32 MB. Ids are not kept; two different ids collide only with the probability of
 * a 64-bit SHA-256 prefix collision (about 3e-8 for a million ids).
 * </ul>
 *
 * Not thread-safe: one guard per file.
 */
public final class DuplicateIdGuard implements Closeable {

    private static final int DEFAULT_CAPACITY = 1 << 10;

    /** The file-backed table; null for the heap kind. */
    private final MappedIdTable mapped;
    private final MessageDigest sha256;
    private long[] keys;
    private long[] lines;
    private int size;
    /** Hash 0 marks an empty slot, so an id hashing to 0 is kept aside. */
    private long zeroKeyLine;

    public DuplicateIdGuard() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A guard whose table is kept in temp files in {@code workDir} (created when missing), off the heap.
     *
     * @throws java.io.UncheckedIOException when the files cannot be created there
     */
    public DuplicateIdGuard(Path workDir) {
        Objects.requireNonNull(workDir, "workDir");
        mapped = new MappedIdTable(workDir);
        sha256 = null;
    }

    /** @param initialCapacity slots to start with, rounded up to a power of two */
    DuplicateIdGuard(int initialCapacity) {
        mapped = null;
        int capacity = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        keys = new long[capacity];
        lines = new long[capacity];
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
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
        if (mapped != null) {
            return mapped.firstLineOf(externalCustomerId, line);
        }
        long key = hash(externalCustomerId);
        if (key == 0) {
            if (zeroKeyLine != 0) {
                return zeroKeyLine;
            }
            zeroKeyLine = line;
            size++;
            return 0;
        }
        int mask = keys.length - 1;
        for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return lines[i];
            }
            if (keys[i] == 0) {
                keys[i] = key;
                lines[i] = line;
                size++;
                if (size > keys.length / 4 * 3) {
                    grow();
                }
                return 0;
            }
        }
    }

    /** How many distinct ids were seen. */
    public int size() {
        return mapped != null ? mapped.size() : size;
    }

    int capacity() {
        return mapped != null ? mapped.capacity() : keys.length;
    }

    /** The temp files of a file-backed guard (empty for the heap kind), for tests. */
    List<Path> files() {
        return mapped == null ? List.of() : List.of(mapped.files());
    }

    /** Deletes a file-backed guard's files (the guard cannot be used after); nothing to do for the heap kind. */
    @Override
    public void close() {
        if (mapped != null) {
            mapped.close();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldLines = lines;
        keys = new long[oldKeys.length * 2];
        lines = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long key = oldKeys[j];
            if (key != 0) {
                int i = spread(key) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = key;
                lines[i] = oldLines[j];
            }
        }
    }

    private long hash(String id) {
        byte[] d = sha256.digest(id.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            h = (h << 8) | (d[i] & 0xFF);
        }
        return h;
    }

    /** The hash is already uniform; folding the high bits in keeps the slot index using all of it. */
    private static int spread(long key) {
        return (int) (key ^ (key >>> 32));
    }
}
