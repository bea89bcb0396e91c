package io.outboundbridge.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.alert.AlertOutbox;
import io.outboundbridge.alert.Alerts;
import io.outboundbridge.alert.InboxWatch;
import io.outboundbridge.alert.OutcomeAlerts;
import io.outboundbridge.claim.ClaimHeartbeat;
import io.outboundbridge.claim.ListClaims;
import io.outboundbridge.claim.SingleInstance;
import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerException;
import io.outboundbridge.observe.BridgeMetrics;
import io.outboundbridge.observe.InboxAge;
import io.outboundbridge.observe.InboxPolls;
import io.outboundbridge.observe.Observability;
import io.outboundbridge.partner.PartnerConnections;
import io.outboundbridge.partner.SftpEndpointDefaults;
import io.outboundbridge.reading.InboxFiles;
import io.outboundbridge.reading.ListInspector;
import io.outboundbridge.reading.RejectPolicy;
import io.outboundbridge.run.CustomerLists;
import io.outboundbridge.run.ListLedger;
import io.outboundbridge.run.OutcomeFiles;
import io.outboundbridge.run.Outcomes;
import io.outboundbridge.run.RequestPlans;
import io.outboundbridge.run.SignVendorRequest;
import io.outboundbridge.run.LeaveForRestart;
import io.outboundbridge.run.VendorRequests;
import io.outboundbridge.run.VendorRetries;
import io.outboundbridge.sign.KeyFilePermissions;
import io.outboundbridge.sign.PemKeys;
import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.Profile;
import io.outboundbridge.task.ProfileLoader;
import io.outboundbridge.task.TaskPlanner;
import io.outboundbridge.vendor.VendorAnswerReader;
import io.outboundbridge.vendor.VendorBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.VetoCamelContextStartException;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.URISupport;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the beans the routes call, from the settings, and checks everything that can be checked before a
 * file is read: settings, profiles, the private key. A problem stops the start with a message naming it.
 */
public class BridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);

    /** The setting the launcher passes the routes folder in, as the user gave it (named when a route is missing). */
    public static final String ROUTES_FOLDER = "bridge.routes";

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        BridgeSettings settings = BridgeSettings.read(properties::resolveProperty);
        properties.addPropertiesFunction(new AbsolutePathFunction(properties));
        properties.addPropertiesFunction(new RouteSwitches(settings));
        // the ledger opens (H2, Flyway) while the rest is wired and Camel builds the routes: the routes start, and the
        // inbox is polled, only once it is open, and a ledger that cannot be opened stops the start (LedgerService)
        Ledger ledger = Ledger.openInBackground(settings.ledger(), settings.instanceId(), settings.instanceLease());
        LedgerService ledgerService = new LedgerService(ledger);
        context.addService(ledgerService, true, true);
        context.addStartupListener(ledgerService);
        // a ledger that lacks lists of the outcome files stops the start, before anything is polled
        StartupChecks.register(context, ledger, settings, properties::resolveProperty);
        context.addStartupListener(new RequiredRoutes(properties.resolveProperty(ROUTES_FOLDER).orElse("the routes folder")));

        Map<String, Profile> profiles = ProfileLoader.loadAll(settings.profiles());
        if (settings.appId().isEmpty()) {
            throw new IllegalArgumentException("setting vendor.app-id: required (the application id the vendor issued)");
        }
        KeyFilePermissions.warning(settings.privateKey()).ifPresent(LOG::warn);
        RequestSigner signer = new RequestSigner(settings.appId(), PemKeys.readPrivateKey(settings.privateKey()),
                settings.signTemplate(), settings.signAlgorithm(), Clock.systemUTC());
        Clock clock = Clock.system(settings.timezone());
        ObjectMapper mapper = new ObjectMapper();

        // which instance works on which list: the inbox consumers' read lock, renewed by the heartbeat
        ListClaims listClaims = new ListClaims(ledger, settings.instanceId(), settings.instanceLease(), inbox(properties),
                settings.processing());
        ListLedger listLedger = new ListLedger(ledger, settings.timezone(), clock, listClaims);
        // on the embedded H2 ledger, one instance: a second one on the same processing or data folder stops here
        List<SingleInstance> locks = new ArrayList<>();
        if (settings.ledger().isH2()) {
            locks.add(SingleInstance.lock(settings.processing(), "processing folder"));
            if (settings.ledgerUrl().isEmpty()) {
                locks.add(SingleInstance.lock(settings.data(), "data folder"));
            }
        }
        // registers the instance and takes back the lists no instance works on before the first poll
        InstanceService instance = new InstanceService(ledger, settings, listLedger, inbox(properties), locks);
        context.addService(instance, true, true);
        context.addStartupListener(instance);
        // renews the claims every lease/3 until the context stops (before the ledger closes: added after it)
        context.addService(new ClaimHeartbeat(context, listClaims, settings.instanceLease()), true, true);

        // every bean the routes use, by the name they use it under
        Registry registry = context.getRegistry();
        registry.bind("listClaims", listClaims);
        BridgeMetrics metrics = new BridgeMetrics(Observability.bridgeRegistry(context,
                properties.resolveProperty("camel.main.jmx-enabled").map(Boolean::parseBoolean).orElse(false)));
        registry.bind("bridgeMetrics", metrics);
        Observability observability = new Observability(context, metrics);
        registry.bind("observability", observability);
        observe(context, observability, ledger, listLedger, properties, clock);
        registry.bind("customerLists", customerLists(settings, profiles, mapper, settings.work(), clock));
        registry.bind("listLedger", listLedger);
        // the vendor breaker: open while the vendor is out (lists wait, none is taken); also closes intake for good
        // once the vendor refused our credentials. Waiting senders (and confirmations held for the ledger) give up
        // when the service stops, before Camel waits for the lists in flight, so a stop does not wait out
        // camel.main.shutdown-timeout
        VendorBreaker vendorBreaker = new VendorBreaker(Duration.ofMillis(settings.breakerOpenFor()), clock);
        registry.bind("vendorBreaker", vendorBreaker);
        registry.bind("vendorCircuitBreaker", vendorBreaker.circuitBreaker());
        // readiness DOWN and the bridge_vendor_breaker_state gauge while it is not closed
        observability.vendorBreaker(vendorBreaker::state);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext camelContext) {
                vendorBreaker.stopping();
                listLedger.stopping();
            }
        });
        registry.bind("vendorRetries", new VendorRetries(settings.maxRetries(), vendorBreaker));
        registry.bind("leaveForRestart", new LeaveForRestart());
        InboxFiles inboxFiles = new InboxFiles(settings.inboxMinAge(), clock,
                () -> ledger.available() ? vendorBreaker.intakeClosedBecause() : "the ledger cannot be reached");
        vendorBreaker.onTransition(t -> {
            if (!t.to().equals("HALF_OPEN")) {
                inboxFiles.recheck();
            }
        });
        vendorBreaker.onCredentialsRefused(answer -> inboxFiles.recheck());
        registry.bind("inboxFiles", inboxFiles);
        // the tasks of a list sent side by side (split-tasks); the pool is Camel's, shut down with the context
        registry.bind("taskSenders", context.getExecutorServiceManager()
                .newFixedThreadPool(this, "task-sender", settings.parallelTasks()));
        // lists side by side (bridge.parallel-lists): the poll thread works on one itself (CallerRuns) and hands the
        // others to these threads, with no queue, so the consumer takes a list only when a thread is free to work on
        // it: nothing waits claimed in this instance while another instance could take it (threads step of the
        // inbox routes, left out for one list at a time)
        registry.bind("listWorkers", listWorkers(context, settings.parallelLists()));
        registry.bind("keepListExchange", new UseOriginalAggregationStrategy(false));
        registry.bind("requestPlans",
                new RequestPlans(new TaskPlanner(settings.batchSize(), settings.maxCustomersPerTask())));
        registry.bind("vendorRequests", new VendorRequests(settings.createPath(), settings.appendPath(), clock,
                listLedger, new VendorAnswerReader(settings.maxAnswerBytes()), vendorBreaker, metrics));
        registry.bind("signVendorRequest", new SignVendorRequest(signer));
        OutcomeFiles outcomeFiles = new OutcomeFiles();
        registry.bind("outcomes", new Outcomes(clock, outcomeFiles, metrics, settings.instanceId()));
        registry.bind("outcomeFiles", outcomeFiles);
        // partner SFTP inboxes (poll-partner-sftp): their poll strategy and file filter (inboxFiles, then the lists
        // the server refused to let us read), Camel's sftp component with its repairs, and strict host key checking
        // for every SFTP endpoint
        PartnerConnections partnerConnections = new PartnerConnections(listLedger::recovered);
        registry.bind("partnerConnections", partnerConnections);
        registry.bind("partnerFiles", (GenericFileFilter<Object>) file -> inboxFiles.accept(file)
                && partnerConnections.accept(file));
        context.getCamelContextExtension().registerEndpointCallback(new SftpEndpointDefaults());
        // an option in bridge.inbox.uri that the inbox route also sets: the URI's value wins (the sftp component is
        // our partner one, with its repairs)
        context.addComponent("file", new FirstOptionWins.Files());
        context.addComponent("sftp", new FirstOptionWins.Sftp());
        // alerts (send-alert, check-alert-conditions): any bean or route calls alerts.raise / alerts.recovered
        BridgeSettings.Alerting alerting = BridgeSettings.alerting(properties::resolveProperty);
        Alerts alerts = new Alerts(alerting.enabled(), alerting.quietPeriod(), Clock.systemUTC(),
                settings.instanceId(), new AlertOutbox(context));
        registry.bind("alerts", alerts);
        registry.bind("outcomeAlerts", new OutcomeAlerts(alerts));
        registry.bind("inboxWatch", new InboxWatch(context, alerts, alerting.inboxDownAfter(), Clock.systemUTC()));
        // the breaker's transitions are alerts (raise and recovered return at once: they run on the sender's thread)
        vendorBreaker.onTransition(t -> {
            if (t.to().equals("OPEN") && !t.from().equals("HALF_OPEN")) {
                alerts.raise("vendor-breaker-open", "vendor", "the vendor is out (" + t.reason()
                        + "): lists wait in processing, none is taken; a probe call at " + t.probeAt());
            } else if (t.to().equals("CLOSED")) {
                alerts.recovered("vendor-breaker-open", "vendor", "a probe call succeeded: lists carry on");
            }
        });
        LOG.info("Instance {}; profiles {}; inbox {}; vendor {} as appId {}", settings.instanceId(), profiles.keySet(),
                properties.resolveProperty("bridge.inbox.uri").map(URISupport::sanitizeUri).orElse("?"),
                properties.resolveProperty("vendor.base-url").orElse("?"), settings.appId());
    }

    /**
     * What operators see (/observe/health/ready, /observe/metrics; JMX in Karaf): readiness DOWN while the ledger
     * cannot be reached or a list's outcome could not be filed (an inbox that cannot be polled is Camel's own consumer
     * check), and the gauges read from the bridge's state.
     */
    private static void observe(CamelContext context, Observability observability, Ledger ledger,
            ListLedger listLedger, PropertiesComponent properties, Clock clock) throws Exception {
        BridgeMetrics metrics = observability.metrics();
        observability.readiness("ledger", () -> {
            try {
                ledger.check();
                return Optional.empty();
            } catch (LedgerException e) {
                return Optional.of("the ledger cannot be reached, lists wait in the inbox: " + e.getMessage());
            }
        });
        observability.readiness("outcomes-filed", () -> listLedger.unfiledCount() == 0 ? Optional.empty()
                : Optional.of(listLedger.unfiledCount() + " list(s) could not be filed: they wait in processing until "
                        + "the archive or error folder takes their outcome (the log names them)"));
        metrics.listsUnfiled(listLedger::unfiledCount);
        // a list is in flight while its exchange is in process-customer-list (the routes it calls included)
        metrics.listsInFlight(() -> context.getInflightRepository().size("process-customer-list"));
        String inboxUri = properties.resolveProperty("bridge.inbox.uri").orElse("");
        if (inboxUri.startsWith("file:")) {
            String folder = inboxUri.substring("file:".length()).replaceFirst("\\?.*", "");
            metrics.inboxOldestListAge("poll-customer-drops", new InboxAge(java.nio.file.Path.of(folder),
                    Pattern.compile(properties.resolveProperty("bridge.inbox.include").orElse(".*")), clock)::oldest);
        }
        context.addStartupListener(new InboxPolls(metrics, clock));
    }

    /** The threads of lists side by side beyond the poll thread's own; Camel's pool, shut down with the context. */
    private java.util.concurrent.ExecutorService listWorkers(CamelContext context, int parallelLists) {
        if (parallelLists == 1) {
            // the threads step is disabled then, but Camel still looks its executor up
            return new org.apache.camel.util.concurrent.SynchronousExecutorService();
        }
        ThreadPoolProfile profile = new ThreadPoolProfileBuilder("list-workers").poolSize(parallelLists - 1)
                .maxPoolSize(parallelLists - 1).maxQueueSize(0).rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns)
                .build();
        return context.getExecutorServiceManager().newThreadPool(this, "list-worker", profile);
    }

    /** The steps of a list before sending, as the settings configure them; scratch files go to {@code work}. */
    public static CustomerLists customerLists(BridgeSettings settings, Map<String, Profile> profiles,
            ObjectMapper mapper, java.nio.file.Path work, Clock clock) {
        return new CustomerLists(profiles, new PhoneNormalizer(settings.phonePattern()),
                new ListInspector(settings.charset(), mapper),
                new RejectPolicy(settings.rejectMode(), settings.maxInvalidRatio(), settings.batchSize()), work,
                settings.processing(), clock);
    }

    /**
     * Closes the ledger of a start that failed (Camel stops nothing of a context that failed to start), once it is
     * open if it was still opening: a process that exits next leaves no migration half done.
     */
    public static void closeLedger(CamelContext context) {
        InstanceService instance = context == null ? null : context.hasService(InstanceService.class);
        if (instance != null) {
            instance.releaseLocks();
        }
        LedgerService service = context == null ? null : context.hasService(LedgerService.class);
        if (service != null) {
            service.ledger.close();
        }
    }

    /** The local inbox folder when the inbox is a folder (crash recovery puts interrupted lists back there). */
    private static java.nio.file.Path inbox(PropertiesComponent properties) {
        return java.nio.file.Path.of(properties.resolveProperty("bridge.inbox")
                .orElseThrow(() -> new IllegalArgumentException("setting bridge.inbox: required"))).toAbsolutePath()
                .normalize();
    }

    /**
     * The ledger in Camel's lifecycle: waited for before the routes start (a failure to open it stops the start),
     * closed when Camel stops.
     */
    private static final class LedgerService extends org.apache.camel.support.service.ServiceSupport
            implements StartupListener {
        private final Ledger ledger;

        LedgerService(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void onCamelContextStarting(CamelContext context, boolean alreadyStarted)
                throws VetoCamelContextStartException {
            try {
                ledger.awaitOpen();
            } catch (LedgerException e) {
                // a veto stops Camel with a one-line warning naming the reason, not an error with the whole stack
                throw new VetoCamelContextStartException(e.getMessage(), e, context, true);
            }
        }

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // open since onCamelContextStarting
        }

        @Override
        protected void doStop() {
            ledger.close();
        }
    }

}
