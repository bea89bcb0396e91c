package io.outboundbridge.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedCall;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real service with Camel's management server on a free port, read over HTTP as Prometheus and a probe read it:
 * the metrics after real lists say what the sandbox received and what was filed (readiness while the ledger is down:
 * ledger/LedgerReadinessTest).
 */
class ManagementEndpointTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,"
            + "mobile3,relation3\n";

    @TempDir
    Path tmp;

    private SandboxVendor sandbox;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        sandbox = Sandboxes.start();
    }

    @AfterEach
    void stop() throws Exception {
        sandbox.close();
    }

    static Map<String, String> management(Map<String, String> more) {
        Map<String, String> s = new HashMap<>(more);
        s.put("camel.management.enabled", "true");
        s.put("camel.management.port", "0");
        return s;
    }

    private static String rows(int from, int to, String badPhoneAt) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = from; i <= to; i++) {
            String phone = String.valueOf(i).equals(badPhoneAt) ? "12345" : "1380000" + String.format("%04d", i);
            sb.append("客户").append(i).append(",,ID").append(i).append(",,").append(phone).append(",本人,,,,\n");
        }
        return sb.toString();
    }

    @Test
    void should_serve_metrics_that_match_what_the_sandbox_received_and_what_was_filed() throws Exception {
        Folders folders = new Folders(tmp.resolve("data"));
        Instant started = Instant.now();
        // 4 customers a request: a list of 9 valid rows is a create and two appends
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox,
                management(Map.of("vendor.batch-size", "4")))) {
            URI base = ManagementAddress.of(bridge.context()).orElseThrow();
            assertThat(base.getHost()).isEqualTo("127.0.0.1");
            assertThat(base.getPort()).isPositive().isNotEqualTo(9876);

            // a good list, held at the vendor a moment (in flight), one with a row rejected whose create is answered
            // 29008 once (retried), one the vendor refuses
            sandbox.enqueue(Fault.hold("good").onCreate(), Fault.code("29008").onCreate());
            folders.drop("good.csv", rows(1, 3, null));
            assertThat(sandbox.awaitHeld("good", Duration.ofSeconds(20))).isTrue();
            assertThat(value(scrape(base), "bridge_lists_in_flight")).isEqualTo(1);
            sandbox.release("good");
            Outcome good = folders.awaitOutcome("good.csv");
            folders.drop("with-rejects.csv", rows(11, 20, "15"));
            Outcome withRejects = folders.awaitOutcome("with-rejects.csv");
            sandbox.enqueue(Fault.code("29002").onCreate());
            folders.drop("refused.csv", rows(31, 31, null));
            Outcome refused = folders.awaitOutcome("refused.csv");
            assertThat(good.archived()).isTrue();
            assertThat(withRejects.archived()).isTrue();
            assertThat(withRejects.report().path("rejected").asLong()).isEqualTo(1);
            assertThat(refused.archived()).isFalse();
            String stage = refused.report().path("stage").asText();

            Map<String, Double> m = scrape(base);
            assertThat(value(m, "bridge_lists_filed_total", "outcome", "archive")).isEqualTo(2);
            assertThat(value(m, "bridge_lists_filed_total", "outcome", "error", "stage", stage)).isEqualTo(1);
            List<Outcome> all = List.of(good, withRejects, refused);
            assertThat(value(m, "bridge_rows_read_total")).isEqualTo(sum(all, "rows")).isEqualTo(14);
            assertThat(value(m, "bridge_rows_accepted_total")).isEqualTo(sum(all, "accepted")).isEqualTo(13);
            assertThat(value(m, "bridge_rows_rejected_total")).isEqualTo(sum(all, "rejected")).isEqualTo(1);
            assertThat(value(m, "bridge_customers_confirmed_total")).isEqualTo(sandbox.totalCustomers()).isEqualTo(12);

            // every call the sandbox answered, by endpoint and code, and no other
            Map<String, Long> received = sandbox.calls().stream().collect(Collectors.groupingBy(
                    c -> endpoint(c) + " " + c.code(), TreeMap::new, Collectors.counting()));
            Map<String, Long> counted = new TreeMap<>();
            m.forEach((series, v) -> {
                if (series.startsWith("bridge_vendor_calls_total{")) {
                    counted.put(label(series, "endpoint") + " " + label(series, "code"), v.longValue());
                }
            });
            assertThat(counted).isEqualTo(received).containsEntry("create 29008", 1L)
                    .containsEntry("create 29002", 1L).containsEntry("create 10000", 2L)
                    .containsEntry("append 10000", 2L);
            assertThat(value(m, "bridge_vendor_retries_total", "endpoint", "create")).isEqualTo(1);
            assertThat(value(m, "bridge_vendor_call_duration_seconds_count", "endpoint", "create")).isEqualTo(4);
            assertThat(value(m, "bridge_vendor_call_duration_seconds_bucket", "endpoint", "append", "le", "+Inf"))
                    .isEqualTo(2);
            assertThat(m.keySet()).anyMatch(s -> s.startsWith("bridge_vendor_call_duration_seconds_bucket{")
                    && s.contains("le=\"0.1\""));

            assertThat(value(m, "bridge_lists_in_flight")).isZero();
            assertThat(value(m, "bridge_lists_unfiled")).isZero();
            assertThat(value(m, "bridge_inbox_oldest_list_age_seconds", "inbox", "poll-customer-drops")).isZero();
            assertThat(value(m, "bridge_inbox_last_successful_poll_timestamp_seconds", "inbox", "poll-customer-drops"))
                    .isGreaterThanOrEqualTo(started.getEpochSecond());
            // Camel's own metrics are served beside ours
            assertThat(m.keySet()).anyMatch(s -> s.startsWith("camel_exchanges_total{"));

            assertThat(get(base, "/observe/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(base, "/observe/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void should_show_the_age_of_a_list_waiting_in_the_inbox() throws Exception {
        Folders folders = new Folders(tmp.resolve("data"));
        // a list is taken only once unchanged for a minute: it waits
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox,
                management(Map.of("bridge.inbox.read-lock-min-age", "60000")))) {
            URI base = ManagementAddress.of(bridge.context()).orElseThrow();
            assertThat(value(scrape(base), "bridge_inbox_oldest_list_age_seconds", "inbox", "poll-customer-drops"))
                    .isZero();
            folders.drop("waiting.csv", rows(1, 1, null));

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> value(scrape(base),
                    "bridge_inbox_oldest_list_age_seconds", "inbox", "poll-customer-drops") >= 1.5);
            assertThat(value(scrape(base), "bridge_lists_in_flight")).isZero();
            assertThat(sandbox.calls()).isEmpty();
        }
    }

    @Test
    void should_be_not_ready_while_a_list_could_not_be_filed_and_ready_once_it_is() throws Exception {
        Folders folders = new Folders(tmp.resolve("data"));
        // day folders that cannot be made: a file stands where each would be
        String day = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        java.nio.file.Files.createDirectories(folders.archive());
        java.nio.file.Files.createDirectories(folders.error());
        Path archiveBlock = java.nio.file.Files.writeString(folders.archive().resolve(day), "not a folder");
        Path errorBlock = java.nio.file.Files.writeString(folders.error().resolve(day), "not a folder");
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox,
                management(Map.of("bridge.refile-interval", "2000")))) {
            URI base = ManagementAddress.of(bridge.context()).orElseThrow();
            folders.drop("nowhere.csv", rows(1, 2, null));

            HttpResponse<String> down = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(base, "/observe/health/ready"), r -> r.statusCode() == 503);
            assertThat(down.body()).contains("1 list(s) could not be filed");
            assertThat(get(base, "/observe/health/live").statusCode()).isEqualTo(200);

            java.nio.file.Files.delete(archiveBlock);
            java.nio.file.Files.delete(errorBlock);
            assertThat(folders.awaitOutcome("nowhere.csv").archived()).isTrue();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(base, "/observe/health/ready").statusCode() == 200);
            Map<String, Double> m = scrape(base);
            assertThat(value(m, "bridge_lists_unfiled")).isZero();
            assertThat(value(m, "bridge_lists_filed_total", "outcome", "archive")).isEqualTo(1);
            assertThat(sandbox.totalCustomers()).isEqualTo(2);
        }
    }

    @Test
    void should_be_not_ready_while_the_vendor_breaker_is_open_and_ready_once_it_closes() throws Exception {
        Folders folders = new Folders(tmp.resolve("data"));
        Map<String, String> s = new HashMap<>();
        s.put("vendor.breaker.open-for", "3000");
        s.put("vendor.retry.max-retries", "1");
        s.put("vendor.retry.initial-delay", "20");
        s.put("vendor.retry.max-delay", "50");
        // the create and its one retry meet 29008: the breaker opens; its probe 3 s later meets a vendor that answers
        sandbox.enqueue(io.outboundbridge.sandbox.Fault.code("29008"), io.outboundbridge.sandbox.Fault.code("29008"));
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, management(s))) {
            URI base = ManagementAddress.of(bridge.context()).orElseThrow();
            folders.drop("outage.csv", rows(1, 2, null));

            HttpResponse<String> down = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> get(base, "/observe/health/ready"), r -> r.statusCode() == 503);
            assertThat(down.body()).contains("vendor-breaker");
            Map<String, Double> open = scrape(base);
            assertThat(value(open, "bridge_vendor_breaker_state", "state", "closed")).isZero();
            assertThat(value(open, "bridge_vendor_breaker_state", "state", "closed")
                    + value(open, "bridge_vendor_breaker_state", "state", "open")
                    + value(open, "bridge_vendor_breaker_state", "state", "half_open")).isEqualTo(1);
            assertThat(get(base, "/observe/health/live").statusCode()).isEqualTo(200);

            assertThat(folders.awaitOutcome("outage.csv").archived()).isTrue();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(base, "/observe/health/ready").statusCode() == 200);
            Map<String, Double> closed = scrape(base);
            assertThat(value(closed, "bridge_vendor_breaker_state", "state", "closed")).isEqualTo(1);
            assertThat(value(closed, "bridge_vendor_calls_total", "endpoint", "create", "code", "29008")).isEqualTo(2);
            assertThat(value(closed, "bridge_vendor_calls_total", "endpoint", "create", "code", "10000")).isEqualTo(1);
            assertThat(sandbox.totalCustomers()).isEqualTo(2);
        }
    }

    private static String endpoint(RecordedCall call) {
        return call.path().endsWith("/create") ? "create" : "append";
    }

    private static long sum(List<Outcome> outcomes, String field) {
        return outcomes.stream().mapToLong(o -> o.report().path(field).asLong()).sum();
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every series of a Prometheus text scrape: {@code name{labels}} to its value. */
    private Map<String, Double> scrape(URI base) throws Exception {
        HttpResponse<String> r = get(base, "/observe/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> series = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return series;
    }

    /** The value of the one series named {@code name} with these labels (others may be there); 0 when none. */
    private static double value(Map<String, Double> series, String name, String... labels) {
        List<Map.Entry<String, Double>> found = series.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!labels[i + 1].equals(label(e.getKey(), labels[i]))) {
                            return false;
                        }
                    }
                    return true;
                }).toList();
        assertThat(found).as(name + " " + String.join(",", labels)).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? 0 : found.get(0).getValue();
    }

    private static String label(String series, String label) {
        int at = series.indexOf(label + "=\"");
        if (at < 0 || (at > 0 && series.charAt(at - 1) != '{' && series.charAt(at - 1) != ',')) {
            return null;
        }
        int from = at + label.length() + 2;
        return series.substring(from, series.indexOf('"', from));
    }
}
