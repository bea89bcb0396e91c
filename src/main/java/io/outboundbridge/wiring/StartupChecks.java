package io.outboundbridge.wiring;

import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerException;
import io.outboundbridge.ledger.PastRun;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.VetoCamelContextStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks made once the ledger is open and before the routes start (nothing is polled yet): a failed one stops the
 * start with a message that says what is wrong and the way out.
 *
 * <p>The ledger's history: every outcome file of the last {@code bridge.ledger.reconcile-days} days that names
 * customers the vendor confirmed must be held by the ledger. A ledger restored from an older copy, or cut short,
 * lacks them and would send their contents again under new names; {@code ledger-restore} records them.
 */
public final class StartupChecks implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

    /** Lists named in the message before "and N more". */
    static final int NAMED = 10;

    private final Ledger ledger;
    private final Path archive;
    private final Path error;
    private final ZoneId zone;
    private final int days;
    private final String config;

    private StartupChecks(Ledger ledger, BridgeSettings settings, Function<String, Optional<String>> lookup) {
        this.ledger = ledger;
        this.archive = settings.archive();
        this.error = settings.error();
        this.zone = settings.timezone();
        this.days = OutcomeHistory.days(lookup);
        this.config = lookup.apply("bridge.config").orElse("config");
    }

    /**
     * Runs the checks when {@code context} starts.
     *
     * @throws IllegalArgumentException naming the key of a wrong setting
     */
    public static void register(CamelContext context, Ledger ledger, BridgeSettings settings,
            Function<String, Optional<String>> lookup) throws Exception {
        context.addStartupListener(new StartupChecks(ledger, settings, lookup));
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted)
            throws VetoCamelContextStartException {
        if (alreadyStarted) {
            return;
        }
        try {
            ledger.awaitOpen();
        } catch (LedgerException e) {
            // the ledger's own start-up check stops the start with the reason
            return;
        }
        Optional<String> lacking = lackingHistory();
        if (lacking.isPresent()) {
            throw new VetoCamelContextStartException(lacking.get(), context, true);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // checked in onCamelContextStarting, before the routes start
    }

    /** Why the ledger cannot be trusted with the outcome files of the last days, if it cannot. */
    Optional<String> lackingHistory() {
        if (days == 0) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        OutcomeHistory.Reading reading = OutcomeHistory.read(archive, error, LocalDate.now(zone), days);
        reading.unreadable().forEach(r -> LOG.warn("Outcome file not checked against the ledger: {}", r));
        List<PastRun> unrecorded = ledger.unrecorded(reading.runs());
        LOG.info("Ledger checked against {} outcome files of the last {} days in {} ms", reading.runs().size(), days,
                (System.nanoTime() - start) / 1_000_000);
        return unrecorded.isEmpty() ? Optional.empty() : Optional.of(message(unrecorded, days, config));
    }

    static String message(List<PastRun> unrecorded, int days, String config) {
        String named = unrecorded.stream().limit(NAMED).map(r -> r.source() + " " + r.taskList())
                .collect(Collectors.joining(", "));
        String more = unrecorded.size() > NAMED ? " and " + (unrecorded.size() - NAMED) + " more" : "";
        return "the ledger lacks " + unrecorded.size() + " list(s) the vendor confirmed customers of, found in the "
                + "outcome files of the last " + days + " days (" + OutcomeHistory.DAYS_KEY + "): " + named + more
                + ". It was restored from an older copy or lost part of its file; started as it is, it would send "
                + "these contents again. Record them from their outcome files with: java -jar " + jar()
                + " ledger-restore --config " + config + " --days " + days + "; then start again";
    }

    /** This jar, as a person would name it on the command line. */
    private static String jar() {
        try {
            Path jar = Path.of(StartupChecks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toString().endsWith(".jar") ? jar.toString() : "target/outbound-bridge.jar";
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "target/outbound-bridge.jar";
        }
    }
}
