package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outboundbridge.sandbox.Fault;
import io.outboundbridge.sandbox.RecordedTask;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.support.CapturedLogs;
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

    @Test
    void should_hold_a_confirmation_the_ledger_could_not_record_and_send_no_customer_twice() throws Exception {
        LedgerSettings ledger = postgres.newDatabase();
        Folders folders = new Folders(tmp.resolve("data"));
        Map<String, String> settings = Map.of("bridge.ledger.url", ledger.url(), "bridge.ledger.user", ledger.user(),
                "bridge.ledger.password", ledger.password(), "vendor.batch-size", "2");
        StringBuilder list = new StringBuilder(HEADER);
        for (int i = 1; i <= 6; i++) {
            list.append("客户").append(i).append(",,C").append(i).append(",,1380000000").append(i).append(",,,,,\n");
        }
        try (InProcessBridge bridge = InProcessBridge.start(folders, sandbox, settings);
                CapturedLogs logs = CapturedLogs.start()) {
            // the first append reaches the vendor; the ledger goes away before its confirmation comes back
            sandbox.enqueue(Fault.hold("append").onAppend());
            folders.drop("held.csv", list.toString());
            assertThat(sandbox.awaitHeld("append", Duration.ofSeconds(30))).isTrue();
            postgres.stop();
            sandbox.release("append");
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.text().contains("held until the ledger answers"));
            assertThat(sandbox.totalCustomers()).as("the create and the held append, nothing after").isEqualTo(4);

            postgres.start();
            Outcome outcome = folders.awaitOutcome("held.csv", Duration.ofSeconds(30));
            assertThat(outcome.archived()).as(outcome.report().toString()).isTrue();
            RecordedTask task = sandbox.tasks().get(0);
            assertThat(task.externalCustomerIds()).as("every customer once, in order")
                    .containsExactly("C1", "C2", "C3", "C4", "C5", "C6");
            assertThat(sandbox.tasks()).hasSize(1);
            assertThat(Folders.filesUnder(folders.processing())).isEmpty();
            assertThat(Folders.filesUnder(folders.inbox())).isEmpty();
        }
    }
}
