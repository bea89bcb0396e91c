package io.outboundbridge.wiring;

import io.outboundbridge.claim.SingleInstance;
import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerException;
import io.outboundbridge.run.ListLedger;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.VetoCamelContextStartException;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance in Camel's lifecycle. Before the first poll: on an embedded H2 ledger no other instance may be live
 * on it (the start stops, saying why and what to do); the instance registers, lets go of what an earlier process of
 * its id held (on H2: of any id, H2 serves one instance), and takes back the lists in processing no instance works
 * on. When the context stops, the instance deregisters and lets go of the folders' locks.
 */
final class InstanceService extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceService.class);

    private final Ledger ledger;
    private final BridgeSettings settings;
    private final ListLedger lists;
    private final Path inbox;
    private final java.util.List<SingleInstance> locks;

    InstanceService(Ledger ledger, BridgeSettings settings, ListLedger lists, Path inbox,
            java.util.List<SingleInstance> locks) {
        this.ledger = ledger;
        this.settings = settings;
        this.lists = lists;
        this.inbox = inbox;
        this.locks = locks;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted)
            throws VetoCamelContextStartException {
        if (alreadyStarted) {
            return;
        }
        try {
            ledger.awaitOpen();
            boolean embedded = settings.ledger().isH2();
            if (embedded && !settings.ledgerUrl().isEmpty()) {
                // an H2 ledger named by URL may be shared by processes with other folders: the instances seen tell
                Optional<String> other = SingleInstance.otherLive(ledger, settings.instanceId());
                if (other.isPresent()) {
                    throw new VetoCamelContextStartException(other.get(), context, true);
                }
            }
            ledger.startInstance(embedded);
            lists.recover(settings.processing(), inbox);
        } catch (LedgerException e) {
            throw new VetoCamelContextStartException(e.getMessage(), e, context, true);
        }
        LOG.info("Instance {} (claims held for {} ms, bridge.instance.lease) on ledger {}", settings.instanceId(),
                settings.instanceLease(), settings.ledger().safeUrl());
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // registered in onCamelContextStarting, before the routes start
    }

    @Override
    protected void doStart() {
        // registered before the routes start (onCamelContextStarting)
    }

    @Override
    protected void doStop() {
        try {
            ledger.stopInstance();
        } catch (RuntimeException e) {
            LOG.debug("cannot deregister {}: {}", settings.instanceId(), e.getMessage());
        }
        releaseLocks();
    }

    /** Lets go of the folders' locks (a stop, or a start that failed). */
    void releaseLocks() {
        for (SingleInstance lock : locks) {
            try {
                lock.close();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("cannot release a folder lock: {}", e.toString());
            }
        }
    }
}
