package io.outboundbridge.task;

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

/**
 * The file-backed store of {@link DuplicateIdGuard}: an open-addressing table from id to first line in a
 * memory-mapped temp file, and the ids themselves appended to a second one, so the Java heap holds none of it
 * whatever the file size. Each slot is 16 bytes (64-bit hash, where the id is kept, line); the table doubles at 75%
 * full, so a million ids take 32 MB of table. Ids are kept (Latin-1 ones one byte a char, others two) so that a hash
 * match is confirmed on the id itself: no false duplicate. They are written through a small buffer and read back
 * only on a hash match (a duplicate, in practice), so unlike the table they are not mapped: a million ids (about
 * 20 MB) add nothing to the process's resident memory. {@link #close()} unmaps and deletes both files.
 */
final class MappedIdTable {

    /** 64-bit hash, then the id's offset in the id file (int), then the line (unsigned int). */
    private static final int SLOT = 16;
    private static final int FIRST_SLOTS = 1 << 16;
    /** The largest line a slot holds: an unsigned int. */
    static final long MAX_LINE = 0xFFFF_FFFFL;
    private static final int ID_BUFFER_BYTES = 64 * 1024;
    /** One mapping holds at most 2 GB. */
    private static final long MAX_MAPPING = Integer.MAX_VALUE;

    private final Path workDir;
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
        this.workDir = workDir;
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
        long key = hash(id);
        int mask = slots - 1;
        for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
            int at = i * SLOT;
            long k = table.getLong(at);
            if (k == 0) {
                table.putLong(at, key);
                table.putInt(at + 8, keep(id));
                table.putInt(at + 12, (int) line);
                if (++size > slots / 4 * 3) {
                    grow();
                }
                return 0;
            }
            if (k == key && sameId(table.getInt(at + 8), id)) {
                return Integer.toUnsignedLong(table.getInt(at + 12));
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

    /** Appends the id to the id file: an int (length in chars << 1 | Latin-1 flag), then its chars. */
    private int keep(String id) {
        int n = id.length();
        boolean latin1 = isLatin1(id);
        int need = 4 + (latin1 ? n : 2 * n);
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
        int offset = (int) idBytes;
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

    /** Whether the id kept at {@code offset} is {@code id}: read back from the buffer or the file. */
    private boolean sameId(int offset, String id) {
        ByteBuffer kept = read(offset, 4 + 2 * id.length());
        int header = kept.getInt(0);
        int n = header >>> 1;
        if (n != id.length()) {
            return false;
        }
        boolean latin1 = (header & 1) == 1;
        for (int c = 0; c < n; c++) {
            char k = latin1 ? (char) (kept.get(4 + c) & 0xFF) : kept.getChar(4 + 2 * c);
            if (k != id.charAt(c)) {
                return false;
            }
        }
        return true;
    }

    /** Up to {@code length} bytes from {@code offset} (fewer at the end of the ids), in native order. */
    private ByteBuffer read(long offset, int length) {
        int available = (int) Math.min(length, idBytes - offset);
        ByteBuffer bytes = ByteBuffer.allocate(Math.max(available, 4)).order(ByteOrder.nativeOrder());
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
            long key = old.getLong(j * SLOT);
            if (key != 0) {
                int i = spread(key) & mask;
                while (table.getLong(i * SLOT) != 0) {
                    i = (i + 1) & mask;
                }
                int at = i * SLOT;
                table.putLong(at, key);
                table.putLong(at + 8, old.getLong(j * SLOT + 8));
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

    /** A 64-bit hash of the chars, never 0 (0 marks an empty slot); quality matters for speed only. */
    static long hash(String s) {
        long h = 0x9E3779B97F4A7C15L ^ s.length();
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    private static int spread(long key) {
        return (int) (key ^ (key >>> 32));
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
