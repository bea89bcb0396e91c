package io.outboundbridge.wiring;

import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerException;
import io.outboundbridge.ledger.PastRun;
import io.outboundbridge.ledger.PastRuns;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.VetoCamelContextStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks of what the service finds at start-up, made in the background while Camel builds the routes and waited for
 * before the routes start (nothing is polled yet): a failed one stops the start with a message that says what is
 * wrong and the way out.
 *
 * <p>The ledger's history: every outcome file of the last {@code bridge.ledger.reconcile-days} days that names
 * customers the vendor confirmed must be held by the ledger. A ledger restored from an older copy, or cut short,
 * lacks them and would send their contents again under new names; {@code ledger-restore} records them.
 */
public final class StartupChecks implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

    /** How many days of outcome files the ledger is held against at start-up; 0 = not at all. */
    public static final String DAYS_KEY = "bridge.ledger.reconcile-days";
    static final int MAX_DAYS = 3650;

    /** Lists named in the message before "and N more". */
    static final int NAMED = 10;

    private final Ledger ledger;
    private final Path archive;
    private final Path error;
    private final LocalDate today;
    private final int days;
    private final String config;
    /**
     * The ledger held against the outcome files of the last days, on a thread of its own while Camel builds the
     * routes (the ledger opens meanwhile too): what the ledger lacks, if anything.
     */
    private final CompletableFuture<Optional<String>> lacking;

    /**
     * Starts holding the ledger against the outcome files of the last {@code days} days (none when 0), in the
     * background.
     *
     * @param config the config folder, for the command in the message
     */
    StartupChecks(Ledger ledger, Path archive, Path error, ZoneId zone, int days, String config) {
        this.ledger = ledger;
        this.archive = archive;
        this.error = error;
        this.today = LocalDate.now(zone);
        this.days = days;
        this.config = config;
        this.lacking = days == 0 ? CompletableFuture.completedFuture(Optional.empty())
                : CompletableFuture.supplyAsync(this::checkHistory, task -> {
                    Thread checker = new Thread(task, "outbound-bridge-ledger-history");
                    checker.setDaemon(true);
                    checker.start();
                });
    }

    /** The setting {@value #DAYS_KEY}, checked: a wrong value stops the start naming the key. */
    public static int days(Function<String, Optional<String>> lookup) {
        String value = lookup.apply(DAYS_KEY).map(String::trim).orElse("");
        try {
            int days = Integer.parseInt(value);
            if (days < 0 || days > MAX_DAYS) {
                throw new NumberFormatException();
            }
            return days;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + DAYS_KEY + ": must be a whole number 0.." + MAX_DAYS
                    + " (found '" + value + "')");
        }
    }

    /**
     * Runs the checks when {@code context} starts.
     *
     * @throws IllegalArgumentException naming the key of a wrong setting
     */
    public static void register(CamelContext context, Ledger ledger, BridgeSettings settings,
            Function<String, Optional<String>> lookup) throws Exception {
        context.addStartupListener(new StartupChecks(ledger, settings.archive(), settings.error(), settings.timezone(),
                days(lookup), lookup.apply("bridge.config").orElse("config")));
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted)
            throws VetoCamelContextStartException {
        if (alreadyStarted) {
            return;
        }
        Optional<String> why;
        try {
            why = lackingHistory();
        } catch (CompletionException e) {
            // the ledger went away while it was read: the check cannot be trusted, the start stops
            throw new VetoCamelContextStartException("cannot check the ledger against the outcome files: "
                    + e.getCause().getMessage(), e.getCause(), context, true);
        }
        if (why.isPresent()) {
            throw new VetoCamelContextStartException(why.get(), context, true);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // checked in onCamelContextStarting, before the routes start
    }

    /**
     * Why the ledger cannot be trusted with the outcome files of the last days, if it cannot; empty also when the
     * ledger could not be opened (its own check says why).
     */
    Optional<String> lackingHistory() {
        return lacking.join();
    }

    private Optional<String> checkHistory() {
        long start = System.nanoTime();
        PastRuns.Reading read = PastRuns.read(archive, error, today, days);
        read.unreadable().forEach(r -> LOG.warn("Outcome file not checked against the ledger: {}", r));
        try {
            ledger.awaitOpen();
        } catch (LedgerException e) {
            return Optional.empty();
        }
        List<PastRun> unrecorded = ledger.unrecorded(read.runs());
        LOG.info("Ledger checked against {} outcome files of the last {} days in {} ms", read.runs().size(), days,
                (System.nanoTime() - start) / 1_000_000);
        return unrecorded.isEmpty() ? Optional.empty() : Optional.of(message(unrecorded, days, config));
    }

    static String message(List<PastRun> unrecorded, int days, String config) {
        String named = unrecorded.stream().limit(NAMED).map(r -> r.source() + " " + r.taskList())
                .collect(Collectors.joining(", "));
        String more = unrecorded.size() > NAMED ? " and " + (unrecorded.size() - NAMED) + " more" : "";
        return "the ledger lacks " + unrecorded.size() + " list(s) the vendor confirmed customers of, found in the "
                + "outcome files of the last " + days + " days (" + DAYS_KEY + "): " + named + more
                + ". It may have been put back from an older copy, replaced or cut short; started as it is, it would "
                + "send these contents again. Record them from their outcome files with: java -jar " + jar()
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
