package io.outboundbridge.reading;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.outboundbridge.task.Customer;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Writes a list's valid customers for sending: each as the JSON the vendor will receive, one a line, and the index
 * {@link SpoolBatches} reads batches by (where each line starts, then where the spool ends).
 *
 * <p>Serializing and writing run on a thread of their own while the list is still being read and validated: the
 * reader hands customers over in small chunks through a bounded queue, so memory stays flat and both cores work.
 */
final class CustomerSpool implements Closeable {

    private static final int BUFFER = 1 << 16;
    private static final int CHUNK = 256;
    private static final int CHUNKS_AHEAD = 16;
    private static final List<Customer> END = List.of();

    private final Path spool;
    private final ObjectWriter writer;
    private final OutputStream lines;
    private final DataOutputStream index;
    private final BlockingQueue<List<Customer>> queue = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
    private final CompletableFuture<Void> written = new CompletableFuture<>();
    private List<Customer> chunk = new ArrayList<>(CHUNK);
    private boolean closed;

    CustomerSpool(Path spool, Path spoolIndex, ObjectWriter writer, Executor executor) throws IOException {
        this.spool = spool;
        this.writer = writer;
        this.lines = new BufferedOutputStream(Files.newOutputStream(spool), BUFFER);
        this.index = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spoolIndex), BUFFER));
        executor.execute(this::drain);
    }

    /** Spools {@code customer} after those before it. */
    void write(Customer customer) throws IOException {
        chunk.add(customer);
        if (chunk.size() == CHUNK) {
            handOver(chunk);
            chunk = new ArrayList<>(CHUNK);
        }
    }

    /** Waits until every customer is written, then closes the files; a writing failure is thrown here. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!chunk.isEmpty()) {
                handOver(chunk);
            }
            handOver(END);
            written.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while spooling to " + spool);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io
                    : new IOException("cannot spool customers to " + spool + ": " + e.getCause(), e.getCause());
        } finally {
            try (lines; index) {
                // both closed, once the writer is done with them
            }
        }
    }

    private void handOver(List<Customer> customers) throws IOException {
        try {
            while (!queue.offer(customers, 100, TimeUnit.MILLISECONDS)) {
                if (written.isDone()) {
                    // the writer stopped: its failure is thrown by close
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while spooling to " + spool);
        }
    }

    /**
     * The writer's side: serializes each chunk as it comes, until the end marker. One generator writes every
     * customer, a line each; a customer's line starts where the generator's output stood before it.
     */
    private void drain() {
        try {
            try (CountingStream counted = new CountingStream(lines);
                    JsonGenerator json = writer.createGenerator(counted)) {
                // a flush hands the generator's buffer to the buffered spool file, not to the disk
                json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                // the customers are separated by line ends alone
                json.setRootValueSeparator(null);
                for (List<Customer> customers = queue.take(); customers != END; customers = queue.take()) {
                    for (Customer customer : customers) {
                        // the line starts where the bytes written so far end (flushed after each customer)
                        index.writeLong(counted.count);
                        writer.writeValue(json, customer);
                        json.writeRaw('\n');
                        json.flush();
                    }
                }
                index.writeLong(counted.count);
            }
            lines.flush();
            index.flush();
            written.complete(null);
        } catch (IOException | RuntimeException e) {
            written.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            written.completeExceptionally(e);
        }
    }

    /** Counts the bytes written through it; closing it leaves the spool file open (the spool closes that). */
    private static final class CountingStream extends FilterOutputStream {

        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the spool file is closed by the spool, after the index
        }
    }

    /** Runs the writer on a thread of its own, for callers without a pool. */
    static Executor ownThread() {
        return task -> {
            Thread t = new Thread(task, "spool-writer");
            t.setDaemon(true);
            t.start();
        };
    }
}
