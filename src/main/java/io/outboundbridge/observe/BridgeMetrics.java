package io.outboundbridge.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The bridge's business metrics, in the Micrometer registry Camel serves at {@code /observe/metrics}: Micrometer's
 * Prometheus naming turns {@code bridge.vendor.calls} into {@code bridge_vendor_calls_total}. Counted where the fact
 * is known (a call answered, a list filed), once per call or list, never per row: the cost is a few counter
 * increments per thousand customers.
 */
public final class BridgeMetrics {

    /** The label value of a call that got no answer (timeout, reset): the vendor may still have received it. */
    public static final String NO_ANSWER = "no_answer";
    /** The label value of a call that could not connect: nothing was sent. */
    public static final String NOT_SENT = "not_sent";

    /** Buckets of the vendor call latency histogram: the vendor answers in tens of milliseconds, times out at 30 s. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Counter rowsRead;
    private final Counter rowsAccepted;
    private final Counter rowsRejected;
    private final Counter customersConfirmed;
    private final Map<String, Counter> filed = new ConcurrentHashMap<>();
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        rowsRead = Counter.builder("bridge.rows.read").description("data rows read in lists filed").register(registry);
        rowsAccepted = Counter.builder("bridge.rows.accepted").description("valid rows in lists filed")
                .register(registry);
        rowsRejected = Counter.builder("bridge.rows.rejected").description("invalid rows in lists filed")
                .register(registry);
        customersConfirmed = Counter.builder("bridge.customers.confirmed")
                .description("customers the vendor confirmed (create and append requests accepted)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * A list filed in the archive ({@code failed} false) or in error at {@code stage}, with its row counts (null
     * when it failed before it was read).
     */
    public void listFiled(boolean failed, String stage, Long rows, Long accepted, Long rejected) {
        String outcome = failed ? "error" : "archive";
        String at = failed && stage != null ? stage : "";
        filed.computeIfAbsent(outcome + '/' + at, k -> Counter.builder("bridge.lists.filed")
                .description("lists filed, by outcome (archive, error) and the stage an error list failed at")
                .tag("outcome", outcome).tag("stage", at).register(registry)).increment();
        add(rowsRead, rows);
        add(rowsAccepted, accepted);
        add(rowsRejected, rejected);
    }

    private static void add(Counter counter, Long n) {
        if (n != null && n > 0) {
            counter.increment(n);
        }
    }

    /** Customers of a request the vendor accepted. */
    public void customersConfirmed(int n) {
        customersConfirmed.increment(n);
    }

    /**
     * One attempt at a vendor call and how it ended: the vendor's result code ({@code 10000}), {@code http_NNN} for
     * an answer without one, {@link #NO_ANSWER} or {@link #NOT_SENT}; {@code nanos} from sending to the answer read.
     */
    public void vendorCall(boolean create, String code, long nanos) {
        String endpoint = endpoint(create);
        calls.computeIfAbsent(endpoint + '/' + code, k -> Counter.builder("bridge.vendor.calls")
                .description("vendor call attempts by endpoint (create, append) and result code")
                .tag("endpoint", endpoint).tag("code", code).register(registry)).increment();
        latency.computeIfAbsent(endpoint, k -> Timer.builder("bridge.vendor.call.duration")
                .description("time from sending a vendor call to its answer read (or its failure)")
                .tag("endpoint", endpoint).serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A vendor call sent again after a retryable failure. */
    public void vendorRetry(boolean create) {
        String endpoint = endpoint(create);
        retries.computeIfAbsent(endpoint, k -> Counter.builder("bridge.vendor.retries")
                .description("vendor calls sent again after a retryable failure, by endpoint")
                .tag("endpoint", endpoint).register(registry)).increment();
    }

    private static String endpoint(boolean create) {
        return create ? "create" : "append";
    }

    /** Lists being processed now (picked up, not yet filed). */
    public void listsInFlight(Supplier<? extends Number> count) {
        gauge("bridge.lists.in.flight", "lists picked up and not yet filed", null, Map.of(), count);
    }

    /** Lists whose outcome neither the archive nor the error folder took: they wait in processing. */
    public void listsUnfiled(Supplier<? extends Number> count) {
        gauge("bridge.lists.unfiled", "lists whose outcome could not be filed (readiness is DOWN meanwhile)", null,
                Map.of(), count);
    }

    /** Age of the oldest list waiting in an inbox (0 when none waits). */
    public void inboxOldestListAge(String inbox, Supplier<Duration> age) {
        gauge("bridge.inbox.oldest.list.age", "age of the oldest list waiting in the inbox (0 when none)", "seconds",
                Map.of("inbox", inbox), () -> age.get().toMillis() / 1000.0);
    }

    /** When an inbox was last polled successfully, in seconds since the epoch (0 before its first poll). */
    public void inboxLastPoll(String inbox, Supplier<? extends Number> epochSeconds) {
        gauge("bridge.inbox.last.successful.poll.timestamp", "when the inbox was last polled successfully",
                "seconds", Map.of("inbox", inbox), epochSeconds);
    }

    /**
     * The vendor breaker's state, the Prometheus way for an enum: one series per state, 1 for the current one
     * ({@code closed}, {@code open}, {@code half_open}).
     */
    public void breakerState(Supplier<String> state) {
        for (String s : new String[] {"closed", "open", "half_open"}) {
            gauge("bridge.vendor.breaker.state", "1 for the vendor breaker's current state", null, Map.of("state", s),
                    () -> s.equalsIgnoreCase(state.get()) ? 1 : 0);
        }
    }

    private void gauge(String name, String description, String unit, Map<String, String> tags,
            Supplier<? extends Number> value) {
        ToDoubleFunction<Supplier<? extends Number>> read = v -> v.get().doubleValue();
        Gauge.Builder<Supplier<? extends Number>> b = Gauge.builder(name, value, read).description(description)
                .baseUnit(unit).strongReference(true);
        tags.forEach(b::tag);
        b.register(registry);
    }
}
