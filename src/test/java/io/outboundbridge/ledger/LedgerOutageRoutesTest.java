package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.Folders;
import io.outboundbridge.support.InProcessBridge;
import io.outboundbridge.support.Outcome;
import io.outboundbridge.support.Sandboxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real service on a PostgreSQL ledger that goes away and comes back on the same address (issue cases 6 and
 * 8): while it is down nothing is taken or sent and lists wait in the inbox, none in error; once it is back every
 * list is filed and every customer was sent once.
 */
class LedgerOutageRoutesTest {

    static final String HEADER = "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,"
            + "mobile3,relation3\n";

    @TempDir
    Path tmp;

    @TempDir
    Path clusterDir;

    private LocalPostgres postgres;
    private SandboxVendor sandbox;

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
    void should_leave_lists_waiting_in_the_inbox_while_postgresql_is_down_and_file_them_once_it_is_back()
            throws Exception {
        LedgerSettings ledger = postgres.newDatabase();
        Folders folders = new Folders(tmp.resolve("data"));
        Map<String, String> settings = Map.of("bridge.ledger.url", ledger.url(), "bridge.ledger.user", ledger.user(),
                "bridge.ledger.password", ledger.password());
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, settings)) {
            folders.drop("before.csv", HEADER + "甲,,A1,,13800000001,,,,,\n");
            assertThat(folders.awaitOutcome("before.csv").archived()).isTrue();

            postgres.stop();
            folders.drop("during.csv", HEADER + "乙,,B1,,13800000002,,,,,\n");
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            assertThat(Files.exists(folders.inbox().resolve("during.csv"))).as("waits in the inbox").isTrue();
            assertThat(Folders.filesUnder(folders.error())).isEmpty();
            assertThat(sandbox.totalCustomers()).isEqualTo(1);

            postgres.start();
            Outcome during = folders.awaitOutcome("during.csv", Duration.ofSeconds(30));
            assertThat(during.archived()).isTrue();
            assertThat(sandbox.totalCustomers()).isEqualTo(2);
            assertThat(Folders.filesUnder(folders.error())).isEmpty();
            assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
            assertThat(Folders.filesUnder(folders.processing())).isEmpty();
        }
    }
}
