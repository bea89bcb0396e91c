package io.outboundbridge.ledger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
}
