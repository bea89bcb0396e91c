package io.outboundbridge.ledger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger that lost history, on PostgreSQL ({@link LocalPostgres}); skipped, with the reason, where PostgreSQL's
 * server is not installed.
 */
class LedgerHistoryPostgresTest extends LedgerHistoryContractTest {

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
}
