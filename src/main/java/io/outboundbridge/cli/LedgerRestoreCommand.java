package io.outboundbridge.cli;

import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.PastRun;
import io.outboundbridge.wiring.BridgeSettings;
import io.outboundbridge.ledger.PastRuns;
import io.outboundbridge.wiring.StartupChecks;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ledger-restore}: records in the ledger the lists of the last days' outcome files that it lacks (a ledger
 * restored from an older copy, or cut short), so that their contents are never sent again.
 */
@Command(name = "ledger-restore", description = "Record in the ledger the lists of the last days' outcome files that "
        + "it lacks (restored from an older copy): a list that went through as done, a failed one with the tasks and "
        + "customers the vendor confirmed. The same content dropped again is then refused as a duplicate.")
final class LedgerRestoreCommand implements Callable<Integer> {

    /** Days read when neither --days nor the setting says (the setting is 0: no check at start-up). */
    static final int DEFAULT_DAYS = 7;

    @Option(names = "--config", description = "config folder", defaultValue = "config")
    Path config;

    @Option(names = "--days", description = "days of outcome files to read (default: bridge.ledger.reconcile-days, "
            + "or 7 when that is 0)")
    Integer days;

    @Override
    public Integer call() {
        BridgeSettings settings;
        int reading;
        try {
            Function<String, Optional<String>> lookup = BridgeProperties.lookup(config, Map.of());
            settings = BridgeSettings.read(lookup);
            int configured = StartupChecks.days(lookup);
            reading = days != null ? days : configured > 0 ? configured : DEFAULT_DAYS;
            if (reading < 1) {
                throw new IllegalArgumentException("--days must be at least 1 (found " + reading + ")");
            }
        } catch (RuntimeException e) {
            System.err.println("ledger-restore: configuration error: " + e.getMessage());
            return 2;
        }
        PastRuns.Reading history = PastRuns.read(settings.archive(), settings.error(),
                LocalDate.now(settings.timezone()), reading);
        history.unreadable().forEach(u -> System.err.println("ledger-restore: not read: " + u));
        int failed = 0;
        int recorded = 0;
        int twice = 0;
        List<PastRun> unrecorded;
        try (Ledger ledger = Ledger.open(settings.ledger())) {
            unrecorded = ledger.unrecorded(history.runs());
            for (PastRun run : unrecorded) {
                try {
                    PastRun.Restoration r = ledger.restore(run);
                    recorded++;
                    System.out.printf("%-9s %s %s%n", r.how() == PastRun.Restored.COMPLETED ? "completed" : "recorded",
                            run.source(), run.taskList());
                    if (r.how() == PastRun.Restored.SENT_TWICE) {
                        twice++;
                        System.out.println("  warning: the ledger holds the same content as " + r.heldBy() + ": it was "
                                + "sent again while the ledger lacked " + run.source() + "; the vendor has its customers "
                                + "twice, in tasks " + run.taskList() + " and those of " + r.heldBy());
                    }
                } catch (IllegalStateException | IllegalArgumentException e) {
                    failed++;
                    System.err.println("ledger-restore: cannot record " + run.source() + ": " + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            System.err.println("ledger-restore: " + e.getMessage());
            return 2;
        }
        System.out.printf("%d outcome file(s) of the last %d days read: %d list(s) recorded in the ledger, %d held "
                + "already%s%s%n", history.runs().size(), reading, recorded,
                history.runs().stream().filter(PastRun::vendorConfirmed).count() - unrecorded.size(),
                twice > 0 ? ", " + twice + " sent twice (see the warnings)" : "",
                failed > 0 ? ", " + failed + " could not be recorded" : "");
        return failed > 0 ? 1 : 0;
    }
}
