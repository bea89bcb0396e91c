package io.outboundbridge.ledger;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** A ledger that lost history, on the embedded H2 database. */
class LedgerHistoryH2Test extends LedgerHistoryContractTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path dataDir;

    @Override
    LedgerSettings newDatabase() {
        return LedgerSettings.embedded(dataDir.resolve("data-" + DATABASES.incrementAndGet()));
    }
}
