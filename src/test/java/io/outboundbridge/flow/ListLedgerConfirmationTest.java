package io.outboundbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outboundbridge.ledger.FileEntry;
import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerSettings;
import io.outboundbridge.task.CustomerBatch;
import io.outboundbridge.task.PlannedRequest;
import io.outboundbridge.vendor.VendorAnswer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A confirmed request is written to the ledger while the task's next request is prepared, and that request waits
 * for the write: the executor here runs nothing until the test lets it.
 */
class ListLedgerConfirmationTest {

    private static final VendorAnswer CREATED = new VendorAnswer(200, "10000", "请求成功", "7001");
    private static final VendorAnswer APPENDED = new VendorAnswer(200, "10000", "请求成功", null);

    @TempDir
    Path tmp;

    private final List<Runnable> held = new ArrayList<>();

    private static PlannedRequest request(int task, int sequence) {
        return new PlannedRequest(task, "default-a", sequence, sequence == 1,
                new CustomerBatch(2, "[{},{}]".getBytes(StandardCharsets.UTF_8)));
    }

    private void releaseHeld() {
        List<Runnable> now = new ArrayList<>(held);
        held.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void should_hold_the_next_request_until_the_last_confirmation_is_in_the_ledger() throws Exception {
        try (Ledger ledger = Ledger.open(LedgerSettings.embedded(tmp.resolve("data")))) {
            ListLedger lists = new ListLedger(ledger, ZoneId.of("Asia/Shanghai"), Clock.systemUTC(), held::add);
            FileEntry f = ledger.begin("sha-a", "a.csv", "default", Instant.now());
            FileRun run = new FileRun("a.csv", "default", null, "default-a", tmp);
            run.markClaimed(f.id());
            ledger.taskPlanned(f.id(), 1, ledger.uniqueTaskName("default-a"));
            ledger.requestSent(f.id(), 1, 1, 2);

            lists.confirmed(run, request(1, 1), CREATED);
            CompletableFuture<Void> next = CompletableFuture.runAsync(() -> lists.awaitConfirmed(run, request(1, 2)));

            assertThat(held).hasSize(1);
            assertThat(ledger.progress(f.id()).task(1).orElseThrow().vendorTaskId()).isNull();
            Thread.sleep(100);
            assertThat(next).isNotDone();

            releaseHeld();

            next.get(10, TimeUnit.SECONDS);
            assertThat(ledger.progress(f.id()).task(1).orElseThrow().vendorTaskId()).isEqualTo(7001L);

            lists.confirmed(run, request(1, 2), APPENDED);
            releaseHeld();
            lists.awaitConfirmed(run);
            assertThat(ledger.progress(f.id()).task(1).orElseThrow().lastConfirmedSequence()).isEqualTo(2);
            assertThat(run.getFailure()).isNull();
        }
    }

    @Test
    void should_fail_the_next_request_and_the_list_when_a_confirmation_cannot_be_recorded() throws Exception {
        try (Ledger ledger = Ledger.open(LedgerSettings.embedded(tmp.resolve("data")))) {
            ListLedger lists = new ListLedger(ledger, ZoneId.of("Asia/Shanghai"), Clock.systemUTC(), held::add);
            FileEntry f = ledger.begin("sha-b", "b.csv", "default", Instant.now());
            FileRun run = new FileRun("b.csv", "default", null, "default-b", tmp);
            run.markClaimed(f.id());
            ledger.taskPlanned(f.id(), 1, ledger.uniqueTaskName("default-b"));

            // an append of a task whose create the ledger never saw confirmed: the ledger refuses to record it
            lists.confirmed(run, request(1, 2), APPENDED);
            releaseHeld();

            assertThatThrownBy(() -> lists.awaitConfirmed(run, request(1, 3)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("vendor id");
            lists.awaitConfirmed(run);
            assertThat(run.getFailure()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("vendor id");
        }
    }
}
