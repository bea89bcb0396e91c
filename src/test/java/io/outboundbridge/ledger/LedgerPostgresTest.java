package io.outboundbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger on PostgreSQL: the same contract as on H2, on a throw-away cluster ({@link LocalPostgres}); skipped,
 * with the reason, where PostgreSQL's server is not installed.
 */
class LedgerPostgresTest extends LedgerContractTest {

    @TempDir
    static Path clusterDir;

    private static LocalPostgres postgres;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(LocalPostgres.unavailable().isEmpty(), () -> LocalPostgres.unavailable().orElseThrow());
        postgres = LocalPostgres.start(clusterDir);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    LedgerSettings newDatabase() throws Exception {
        return postgres.newDatabase();
    }

    @Test
    void should_fail_fast_while_postgresql_is_down_and_carry_on_once_it_is_back() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        Progress before = ledger.progress(f.id());

        postgres.stop();
        try {
            assertThatThrownBy(() -> ledger.progress(f.id()))
                    .isInstanceOf(LedgerUnavailableException.class)
                    .hasMessageContaining(settings.safeUrl())
                    .hasMessageContaining("lists wait")
                    .hasMessageNotContaining(LocalPostgres.PASSWORD);
            long start = System.nanoTime();
            assertThatThrownBy(() -> ledger.requestSent(f.id(), 1, 3, 1000))
                    .isInstanceOf(LedgerUnavailableException.class);
            assertThatThrownBy(() -> ledger.begin(sha("b"), "b.csv", "default", T0))
                    .isInstanceOf(LedgerUnavailableException.class);
            assertThatThrownBy(() -> ledger.uniqueTaskName("default-b"))
                    .isInstanceOf(LedgerUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(ledger.available()).isFalse();
            assertThatThrownBy(ledger::check).isInstanceOf(LedgerUnavailableException.class);
        } finally {
            postgres.start();
        }

        await().atMost(Duration.ofSeconds(30)).until(ledger::available);
        assertThat(ledger.progress(f.id())).isEqualTo(before);
        ledger.requestSent(f.id(), 1, 3, 1000);
        ledger.requestConfirmed(f.id(), 1, 3, "10000", "ok");
        assertThat(ledger.progress(f.id()).task(1).orElseThrow().customersConfirmed()).isEqualTo(2500);
    }

    @Test
    void should_drop_the_dead_connections_of_a_restart_and_carry_on_at_the_next_call() throws Exception {
        FileEntry f = halfSent("a", "a.csv");
        Progress before = ledger.progress(f.id());

        postgres.stop();
        postgres.start();

        assertThat(ledger.progress(f.id())).isEqualTo(before);
        assertThat(ledger.begin(sha("b"), "b.csv", "default", T0).fileName()).isEqualTo("b.csv");
        assertThat(ledger.available()).isTrue();
    }
}
