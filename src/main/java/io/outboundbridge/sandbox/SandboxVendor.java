package io.outboundbridge.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor's create and append calls simulated over real HTTP on loopback, strict to SPEC.md: real signature
 * checks, strict JSON, every field rule. Records what it accepted and every call, and misbehaves on demand
 * ({@link Fault}) so retries, lost answers and slow vendors can be tested. Never on the production path.
 */
public final class SandboxVendor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxVendor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.lang.management.ThreadMXBean THREAD_CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static final int THREADS = 8;
    /**
     * With an answer latency each call holds its thread for that long (the simulated vendor is busy elsewhere, not
     * on our CPU): enough threads that several instances' calls in flight wait side by side, not in a queue.
     */
    private static final int THREADS_WITH_LATENCY = 96;
    /** Connections waiting to be accepted: room for a client that opens many at once. */
    private static final int BACKLOG = 256;
    /** A Content-Length up to this is read into one array of that size; a larger claim is read as it comes. */
    private static final int MAX_PRESIZED_BODY = 64 * 1024 * 1024;

    static {
        // without TCP_NODELAY the JDK server's small writes meet the client's delayed ACK: ~44 ms per request.
        // Read once, when the first HttpServer is created, so it must be set before that.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final SandboxSettings settings;
    private final TaskBook book;
    private final CallProcessor processor;
    private final FaultQueue faults = new FaultQueue();
    private final CallLog calls = new CallLog();
    private final HandlingTimes handlingTimes = new HandlingTimes();
    private final List<Long> hugeAnswersWritten = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService pool;
    private final HttpServer server;

    private SandboxVendor(SandboxSettings settings) throws IOException {
        this.settings = settings;
        this.book = new TaskBook(settings.firstTaskId(), settings.recordCustomers());
        this.processor = new CallProcessor(settings, book);
        AtomicInteger n = new AtomicInteger();
        int threads = settings.answerLatency().isZero() ? THREADS : THREADS_WITH_LATENCY;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sandbox-vendor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), BACKLOG);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Starts a sandbox vendor; it listens until {@link #close()}. */
    public static SandboxVendor start(SandboxSettings settings) {
        try {
            SandboxVendor vendor = new SandboxVendor(settings);
            LOG.info("sandbox vendor listening on {} (appId {}, public key {}, answer latency {} ms)", vendor.baseUrl(),
                    settings.appId(), settings.publicKey() == null ? "not uploaded" : "uploaded",
                    settings.answerLatency().toMillis());
            return vendor;
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox vendor cannot listen on " + settings.host() + ":"
                    + settings.port(), e);
        }
    }

    /** {@code http://host:port}, without a trailing slash. */
    public URI baseUrl() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public SandboxSettings settings() {
        return settings;
    }

    /** Faults for the next matching calls, consumed in order. */
    public void enqueue(Fault... more) {
        faults.enqueue(more);
    }

    /** Lets the calls held by {@code Fault.hold(name)} go on (also one that arrives later). */
    public void release(String name) {
        faults.release(name);
    }

    /** Waits until a call is held by {@code Fault.hold(name)}; false when none was within the timeout. */
    public boolean awaitHeld(String name, Duration timeout) {
        try {
            return faults.awaitHeld(name, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every accepted task, in creation order. */
    public List<RecordedTask> tasks() {
        return book.tasks();
    }

    public Optional<RecordedTask> task(String name) {
        return book.task(name);
    }

    /** Every call received, answered or faulted, in the order they were answered. */
    public List<RecordedCall> calls() {
        return calls.all();
    }

    /**
     * For each {@link Fault#hugeAnswer} answered, once its writing ended, the bytes written: all of them, or as many
     * as went out before the client closed the connection.
     */
    public List<Long> hugeAnswersWritten() {
        return List.copyOf(hugeAnswersWritten);
    }

    /** Customers accepted over all tasks. */
    public int totalCustomers() {
        return book.totalCustomers();
    }

    /**
     * The sandbox's own time for each of its most recent calls (at most 4096), in nanoseconds, oldest first: from the
     * request reaching the handler to the answer written, body read, checks and recording included. For benchmarks.
     */
    public long[] recentHandlingNanos() {
        return handlingTimes.recent();
    }

    /** As {@link #recentHandlingNanos()}, the handling thread's CPU time: what other load on the machine leaves out. */
    public long[] recentHandlingCpuNanos() {
        return handlingTimes.recentCpu();
    }

    private static long cpuNanos() {
        return THREAD_CPU.isCurrentThreadCpuTimeSupported() ? THREAD_CPU.getCurrentThreadCpuTime() : -1;
    }

    /** Forgets tasks, calls and queued faults, lets held calls go, and restarts task ids at the first one. */
    public void reset() {
        faults.clear();
        book.reset();
        calls.clear();
        handlingTimes.clear();
        hugeAnswersWritten.clear();
    }

    /** Stops at once: open connections are closed, held calls are interrupted. */
    @Override
    public void close() {
        pool.shutdownNow();
        server.stop(0);
        faults.clear();
        LOG.info("sandbox vendor on port {} stopped", port());
    }

    private void handle(HttpExchange ex) {
        long started = System.nanoTime();
        long cpuStarted = cpuNanos();
        try {
            handle0(ex);
        } finally {
            long cpu = cpuStarted < 0 ? -1 : cpuNanos() - cpuStarted;
            handlingTimes.add(System.nanoTime() - started, cpu);
        }
    }

    private void handle0(HttpExchange ex) {
        Instant arrivedAt = settings.clock().instant();
        Headers h = ex.getRequestHeaders();
        String path = ex.getRequestURI().getRawPath();
        Endpoint endpoint = Endpoint.of(ex.getRequestMethod(), path);
        try {
            byte[] body = readBody(ex);
            CallProcessor.Call call = new CallProcessor.Call(endpoint, ex.getRequestMethod(), path, h.getFirst("appId"),
                    h.getFirst("timestamp"), h.getFirst("sign"), h.getFirst("Content-Type"), body, headers(h));
            if (endpoint == null) {
                record(call, arrivedAt, 404, null, null);
                if (settings.logCalls()) {
                    LOG.info("sandbox vendor: {} {} -> HTTP 404", ex.getRequestMethod(), path);
                } else {
                    LOG.debug("sandbox vendor: {} {} -> HTTP 404", ex.getRequestMethod(), path);
                }
                sendText(ex, 404, "not found");
                return;
            }
            answer(ex, call, arrivedAt, faults.next(endpoint));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop(ex);
        } catch (IOException e) {
            LOG.debug("sandbox vendor: connection failed while answering {}: {}", path, e.toString());
            drop(ex);
        }
    }

    private void answer(HttpExchange ex, CallProcessor.Call call, Instant arrivedAt, Fault fault)
            throws IOException, InterruptedException {
        String faultName = fault == null ? null : fault.toString();
        if (fault != null) {
            switch (fault.kind()) {
                case CODE -> {
                    SandboxAnswer injected = new SandboxAnswer(fault.code(), fault.text(), null);
                    finish(ex, call, arrivedAt, new CallProcessor.Outcome(injected, 0, null), faultName, false);
                    return;
                }
                case HTTP_STATUS -> {
                    record(call, arrivedAt, fault.status(), null, faultName);
                    log(call, "HTTP " + fault.status(), null, 0, null, faultName);
                    sendText(ex, fault.status(), fault.text());
                    return;
                }
                case HUGE_ANSWER -> {
                    record(call, arrivedAt, 200, null, faultName);
                    log(call, "HTTP 200, " + fault.size() + " bytes", null, 0, null, faultName);
                    sendHuge(ex, fault.size());
                    return;
                }
                case DROP_BEFORE_PROCESSING -> {
                    record(call, arrivedAt, 0, null, faultName);
                    log(call, "dropped", null, 0, null, faultName);
                    drop(ex);
                    return;
                }
                // a slow vendor is the behaviour simulated here, so this thread really waits
                case DELAY -> Thread.sleep(fault.delay().toMillis());
                case HOLD -> faults.hold(fault.holdName());
                default -> {
                }
            }
        }
        boolean dropAnswer = fault != null && fault.kind() == Fault.Kind.DROP_AFTER_PROCESSING;
        CallProcessor.Outcome outcome = process(call);
        if (!settings.answerLatency().isZero()) {
            // the vendor's own time per call, after its work is done: the caller waits, this CPU does not
            Thread.sleep(settings.answerLatency().toMillis());
        }
        finish(ex, call, arrivedAt, outcome, faultName, dropAnswer);
    }

    private CallProcessor.Outcome process(CallProcessor.Call call) {
        try {
            return processor.process(call);
        } catch (RuntimeException e) {
            LOG.warn("sandbox vendor: unexpected failure processing {}", call.path(), e);
            return new CallProcessor.Outcome(new SandboxAnswer(SandboxAnswer.SYSTEM_ERROR, "系统异常", null), 0, null);
        }
    }

    private void finish(HttpExchange ex, CallProcessor.Call call, Instant arrivedAt, CallProcessor.Outcome o,
            String faultName, boolean dropAnswer) throws IOException {
        String code = o.answer().code();
        // recorded before answering, so a client that has its answer always finds the call recorded
        record(call, arrivedAt, dropAnswer ? 0 : 200, code, faultName);
        log(call, dropAnswer ? "answer dropped" : "HTTP 200", code, o.customers(), o.taskId(), faultName);
        if (dropAnswer) {
            drop(ex);
        } else {
            send(ex, 200, "application/json;charset=UTF-8", JSON.writeValueAsBytes(o.answer()));
        }
    }

    private void record(CallProcessor.Call call, Instant arrivedAt, int status, String code, String faultName) {
        calls.add(new RecordedCall(call.path(), call.appId(), call.timestamp(), call.sign(),
                settings.recordCustomers() ? call.body() : null, status, code, faultName, arrivedAt, call.headers()));
    }

    /** Every request header, names in lower case, so tests can see that nothing else reached the vendor. */
    private static java.util.Map<String, java.util.List<String>> headers(Headers h) {
        java.util.Map<String, java.util.List<String>> copy = new java.util.TreeMap<>();
        h.forEach((name, values) -> copy.put(name.toLowerCase(java.util.Locale.ROOT), java.util.List.copyOf(values)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    private void log(CallProcessor.Call call, String http, String code, int customers, Long taskId, String fault) {
        if (settings.logCalls()) {
            LOG.info("sandbox vendor: {} -> {} code={} customers={} taskId={}{}", call.endpoint(), http, code,
                    customers, taskId, fault == null ? "" : " fault=" + fault);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("sandbox vendor: {} -> {} code={} customers={} taskId={}{}", call.endpoint(), http, code,
                    customers, taskId, fault == null ? "" : " fault=" + fault);
        }
    }

    /**
     * The body in one read into an array of its announced length (the JDK server's stream ends there), instead of
     * collecting 8 KB chunks and copying them; without a usable Content-Length, whatever comes until the end.
     */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        java.io.InputStream in = ex.getRequestBody();
        String announced = ex.getRequestHeaders().getFirst("Content-Length");
        if (announced != null && !announced.isEmpty() && announced.length() <= 9
                && announced.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int length = Integer.parseInt(announced);
            if (length <= MAX_PRESIZED_BODY) {
                byte[] body = in.readNBytes(length);
                // a stream longer than announced cannot happen with the JDK server; read on rather than lose bytes
                int next = in.read();
                if (next < 0) {
                    return body;
                }
                java.io.ByteArrayOutputStream rest = new java.io.ByteArrayOutputStream(body.length + 8192);
                rest.writeBytes(body);
                rest.write(next);
                in.transferTo(rest);
                return rest.toByteArray();
            }
        }
        return in.readAllBytes();
    }

    /**
     * Writes a body of {@code size} bytes as it goes (one line repeated), so the sandbox holds none of it; records how
     * much was written before it ended or the client went away.
     */
    private void sendHuge(HttpExchange ex, long size) throws IOException {
        byte[] line = "a huge answer, not the vendor's JSON envelope\n".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = line[i % line.length];
        }
        long written = 0;
        try {
            ex.getResponseHeaders().set("Content-Type", "text/plain;charset=UTF-8");
            ex.sendResponseHeaders(200, size);
            try (OutputStream out = ex.getResponseBody()) {
                while (written < size) {
                    int n = (int) Math.min(chunk.length, size - written);
                    out.write(chunk, 0, n);
                    written += n;
                }
            }
        } finally {
            hugeAnswersWritten.add(written);
        }
    }

    private static void sendText(HttpExchange ex, int status, String text) throws IOException {
        send(ex, status, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Closes the connection without a byte of response. Closing an exchange whose response headers were not sent
     * makes the JDK server close the socket itself (it cannot be reused for a next request), so the client sees the
     * connection end with no response.
     */
    private static void drop(HttpExchange ex) {
        ex.close();
    }

    @Override
    public String toString() {
        return "SandboxVendor[" + baseUrl() + "]";
    }
}
