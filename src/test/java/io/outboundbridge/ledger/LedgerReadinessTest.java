package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outboundbridge.observe.ManagementAddress;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Sandboxes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real service on a PostgreSQL ledger that goes away and comes back, probed over HTTP on Camel's management
 * server: {@code /observe/health/ready} is DOWN with the reason while the ledger cannot be reached and UP again once
 * it is back; {@code /observe/health/live} stays UP (waiting for the ledger is no reason to restart).
 */
class LedgerReadinessTest {

    @TempDir
    Path tmp;

    @TempDir
    Path clusterDir;

    private LocalPostgres postgres;
    private SandboxVendor sandbox;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(LocalPostgres.unavailable().isEmpty(), () -> LocalPostgres.unavailable().orElseThrow());
        postgres = LocalPostgres.start(clusterDir);
        sandbox = Sandboxes.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void should_be_not_ready_with_the_reason_while_the_ledger_cannot_be_reached_and_stay_live() throws Exception {
        LedgerSettings ledger = postgres.newDatabase();
        Folders folders = new Folders(tmp.resolve("data"));
        Map<String, String> settings = Map.of("bridge.ledger.url", ledger.url(), "bridge.ledger.user", ledger.user(),
                "bridge.ledger.password", ledger.password(), "camel.management.enabled", "true",
                "camel.management.port", "0");
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, settings)) {
            URI base = ManagementAddress.of(bridge.context()).orElseThrow();
            // ready once the inbox was polled (Camel's consumer check is DOWN until its first poll)
            HttpResponse<String> up = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(base, "/observe/health/ready"), r -> r.statusCode() == 200);
            assertThat(up.body()).contains("\"name\":\"ledger\",\"status\":\"UP\"");

            postgres.stop();
            HttpResponse<String> down = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(base, "/observe/health/ready"), r -> r.statusCode() == 503);
            assertThat(down.body()).contains("the ledger cannot be reached").doesNotContain(ledger.password());
            HttpResponse<String> live = get(base, "/observe/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).doesNotContain("the ledger cannot be reached");
            assertThat(get(base, "/observe/health").body()).contains("the ledger cannot be reached");

            postgres.start();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(base, "/observe/health/ready").statusCode() == 200);
            assertThat(get(base, "/observe/health/live").statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
