package io.outboundbridge.reading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.ToIntFunction;

/**
 * The file-backed store of {@link DuplicateIdGuard}: an open-addressing table in a memory-mapped temp file, and the
 * ids themselves, each with the line it was first seen on, appended to a second one, so the Java heap holds none of
 * it whatever the file size. Each slot is 8 bytes: a 32-bit fingerprint of the id and where the id is kept; the
 * table doubles at 75% full, so a million ids take 16 MB of table (and 24 MB while it doubles). A fingerprint match
 * is confirmed on the id itself, read back from the id file: no false duplicate. Ids are written through a small
 * buffer and read back only on such a match (a duplicate, in practice), so unlike the table they are not mapped: a
 * million ids (about 30 MB) add nothing to the process's resident memory. {@link #close()} unmaps and deletes both
 * files.
 */
final class MappedIdTable {

    /** The id's fingerprint (high int), then its offset in the id file plus one (low int; 0 = an empty slot). */
    private static final int SLOT = 8;
    private static final int FIRST_SLOTS = 1 << 16;
    /** The largest line kept with an id: an unsigned int. */
    static final long MAX_LINE = 0xFFFF_FFFFL;
    private static final int ID_BUFFER_BYTES = 64 * 1024;
    /** One mapping holds at most 2 GB. */
    private static final long MAX_MAPPING = Integer.MAX_VALUE;

    private final Path workDir;
    private final ToIntFunction<String> fingerprint;
    private Path tableFile;
    private MappedByteBuffer table;
    private int slots;
    private int size;
    private final Path idFile;
    private final FileChannel idChannel;
    /** Ids not yet written to the id file: the bytes from {@link #idsWritten} on. */
    private final ByteBuffer idBuffer = ByteBuffer.allocate(ID_BUFFER_BYTES).order(ByteOrder.nativeOrder());
    private long idsWritten;
    private long idBytes;
    private boolean closed;

    MappedIdTable(Path workDir) {
        this(workDir, MappedIdTable::fingerprint);
    }

    /** A table with another fingerprint function: tests make ids collide with it. */
    MappedIdTable(Path workDir, ToIntFunction<String> fingerprint) {
        this.workDir = workDir;
        this.fingerprint = fingerprint;
        try {
            Files.createDirectories(workDir);
            this.idFile = Files.createTempFile(workDir, "duplicate-ids-", ".ids");
            this.idChannel = FileChannel.open(idFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            newTable(FIRST_SLOTS);
        } catch (IOException e) {
            deleteQuietly();
            throw new UncheckedIOException("cannot create the duplicate-id table in " + workDir, e);
        }
    }

    /** 0 when {@code id} is new (it is then kept with {@code line}), else the line kept with it. */
    long firstLineOf(String id, long line) {
        if (closed) {
            throw new IllegalStateException("the duplicate-id table is closed");
        }
        if (line > MAX_LINE) {
            throw new IllegalArgumentException("line must be at most " + MAX_LINE + " (found " + line + ")");
        }
        int print = fingerprint.applyAsInt(id);
        int mask = slots - 1;
        for (int i = spread(print) & mask; ; i = (i + 1) & mask) {
            int at = i * SLOT;
            long slot = table.getLong(at);
            if (slot == 0) {
                table.putLong(at, (long) print << 32 | (keep(id, line) + 1L));
                if (++size > slots / 4 * 3) {
                    grow();
                }
                return 0;
            }
            if ((int) (slot >>> 32) == print) {
                long first = lineIfSame((slot & 0xFFFF_FFFFL) - 1, id);
                if (first != 0) {
                    return first;
                }
            }
        }
    }

    int size() {
        return size;
    }

    int capacity() {
        return slots;
    }

    /** The two files, for tests. */
    Path[] files() {
        return new Path[] {tableFile, idFile};
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        unmap(table);
        table = null;
        try {
            idChannel.close();
        } catch (IOException ignored) {
            // the files are deleted next; a failed close changes nothing for the caller
        }
        deleteQuietly();
    }

    /**
     * Appends the id to the id file: its line (unsigned int), an int (length in chars << 1 | Latin-1 flag), then its
     * chars; returns where it starts.
     */
    private long keep(String id, long line) {
        int n = id.length();
        boolean latin1 = isLatin1(id);
        int need = 8 + (latin1 ? n : 2 * n);
        if (idBytes + need > MAX_MAPPING) {
            throw new IllegalStateException("more than " + size + " distinct ids: beyond the duplicate-id table");
        }
        ByteBuffer out = idBuffer;
        if (need > idBuffer.remaining()) {
            flushIds();
            if (need > idBuffer.capacity()) {
                out = ByteBuffer.allocate(need).order(ByteOrder.nativeOrder());
            }
        }
        long offset = idBytes;
        out.putInt((int) line);
        out.putInt(n << 1 | (latin1 ? 1 : 0));
        if (latin1) {
            out.put(id.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            for (int c = 0; c < n; c++) {
                out.putChar(id.charAt(c));
            }
        }
        idBytes += need;
        if (out != idBuffer) {
            writeIds(out.flip());
        }
        return offset;
    }

    private void flushIds() {
        writeIds(idBuffer.flip());
        idBuffer.clear();
    }

    private void writeIds(ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                idsWritten += idChannel.write(bytes, idsWritten);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the duplicate-id file in " + workDir, e);
        }
    }

    /** The line kept with the id at {@code offset} when that id is {@code id}, else 0. */
    private long lineIfSame(long offset, String id) {
        ByteBuffer kept = read(offset, 8 + 2 * id.length());
        int header = kept.getInt(4);
        int n = header >>> 1;
        if (n != id.length()) {
            return 0;
        }
        boolean latin1 = (header & 1) == 1;
        for (int c = 0; c < n; c++) {
            char k = latin1 ? (char) (kept.get(8 + c) & 0xFF) : kept.getChar(8 + 2 * c);
            if (k != id.charAt(c)) {
                return 0;
            }
        }
        return Integer.toUnsignedLong(kept.getInt(0));
    }

    /** Up to {@code length} bytes from {@code offset} (fewer at the end of the ids), in native order. */
    private ByteBuffer read(long offset, int length) {
        int available = (int) Math.min(length, idBytes - offset);
        ByteBuffer bytes = ByteBuffer.allocate(Math.max(available, 8)).order(ByteOrder.nativeOrder());
        if (offset >= idsWritten) {
            bytes.put(0, idBuffer, (int) (offset - idsWritten), available);
            return bytes;
        }
        flushIds();
        try {
            while (bytes.position() < available) {
                if (idChannel.read(bytes, offset + bytes.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the duplicate-id file in " + workDir, e);
        }
        return bytes;
    }

    private void grow() {
        MappedByteBuffer old = table;
        int oldSlots = slots;
        Path oldFile = tableFile;
        newTable(oldSlots * 2);
        int mask = slots - 1;
        for (int j = 0; j < oldSlots; j++) {
            long slot = old.getLong(j * SLOT);
            if (slot != 0) {
                int i = spread((int) (slot >>> 32)) & mask;
                while (table.getLong(i * SLOT) != 0) {
                    i = (i + 1) & mask;
                }
                table.putLong(i * SLOT, slot);
            }
        }
        unmap(old);
        try {
            Files.deleteIfExists(oldFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + oldFile, e);
        }
    }

    private void newTable(int newSlots) {
        if ((long) newSlots * SLOT > MAX_MAPPING) {
            throw new IllegalStateException("more than " + size + " distinct ids: beyond the duplicate-id table");
        }
        try {
            Path file = Files.createTempFile(workDir, "duplicate-ids-", ".table");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // a new file's pages read as zeros: every slot starts empty
                table = map(ch, (long) newSlots * SLOT);
            }
            tableFile = file;
            slots = newSlots;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot grow the duplicate-id table in " + workDir, e);
        }
    }

    private static MappedByteBuffer map(FileChannel ch, long bytes) throws IOException {
        MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        b.order(ByteOrder.nativeOrder());
        return b;
    }

    private void deleteQuietly() {
        for (Path p : new Path[] {tableFile, idFile}) {
            if (p != null) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the work folder is the caller's to clean
                }
            }
        }
    }

    private static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** A 32-bit fingerprint of the chars; quality matters for speed only (a match is checked on the id). */
    static int fingerprint(String s) {
        long h = 0x9E3779B97F4A7C15L ^ s.length();
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) (h ^ h >>> 32);
    }

    /** The slot a fingerprint starts from (before the mask): its bits mixed, so similar prints spread apart. */
    private static int spread(int print) {
        return print * 0x9E3779B9 ^ print >>> 16;
    }

    // Unmapping at once instead of whenever the buffer is collected: the JDK's own cleaner, reached as libraries
    // such as Lucene (before Java 21) do. Without it the mapping only lasts until the next GC that finds it.
    private static final Method INVOKE_CLEANER;
    private static final Object UNSAFE;

    static {
        Method m = null;
        Object u = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            u = f.get(null);
            m = c.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            m = null;
            u = null;
        }
        INVOKE_CLEANER = m;
        UNSAFE = u;
    }

    private static void unmap(MappedByteBuffer buffer) {
        if (buffer == null || INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // left to the garbage collector
        }
    }
}
