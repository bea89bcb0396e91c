package io.outboundbridge.reading;

import io.outboundbridge.task.CustomerBatch;
import io.outboundbridge.task.CustomerBatches;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A list's valid customers as {@link ListInspector} spooled them: one JSON object a line, and an index of where
 * each line starts. A batch is one read of consecutive lines, turned into a JSON array where it lies (line breaks
 * become commas: JSON text holds none of its own). Reads are positional, so several tasks read side by side.
 */
public final class SpoolBatches implements CustomerBatches, Closeable {

    private final Path spool;
    private final FileChannel lines;
    private final FileChannel index;

    public SpoolBatches(Path spool, Path index) {
        this.spool = spool;
        try {
            this.lines = FileChannel.open(spool, StandardOpenOption.READ);
            try {
                this.index = FileChannel.open(index, StandardOpenOption.READ);
            } catch (IOException e) {
                lines.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled customers " + spool, e);
        }
    }

    @Override
    public CustomerBatch read(long first, int count) {
        try {
            // where each of the batch's lines starts, and where the last one ends: one read of the index
            ByteBuffer bounds = ByteBuffer.allocate(Math.multiplyExact(count + 1, Long.BYTES));
            readFully(index, bounds, first * Long.BYTES);
            long start = bounds.getLong(0);
            long end = bounds.getLong(count * Long.BYTES);
            byte[] json = new byte[Math.toIntExact(end - start + 1)];
            json[0] = '[';
            ByteBuffer body = ByteBuffer.wrap(json, 1, json.length - 1);
            readFully(lines, body, start);
            // the line end before each next line's start becomes a comma; the last one the closing bracket
            for (int k = 1; k < count; k++) {
                json[(int) (bounds.getLong(k * Long.BYTES) - start)] = ',';
            }
            json[json.length - 1] = ']';
            return new CustomerBatch(count, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read customers " + first + ".." + (first + count - 1) + " from "
                    + spool, e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("the spool ends before position " + at);
            }
            at += n;
        }
    }

    @Override
    public void close() throws IOException {
        try (lines; index) {
            // both closed
        }
    }
}
