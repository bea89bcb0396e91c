package io.outboundbridge.claim;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this instance's claims every third of the lease, on a thread of Camel's (shut down with the context): a
 * claim the heartbeat could not renew within the lease is lost ({@link ListClaims#lost}).
 */
public final class ClaimHeartbeat extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimHeartbeat.class);

    private final CamelContext context;
    private final ListClaims claims;
    private final long periodMillis;
    private ScheduledExecutorService timer;
    private volatile boolean failing;

    public ClaimHeartbeat(CamelContext context, ListClaims claims, long leaseMillis) {
        this.context = context;
        this.claims = claims;
        this.periodMillis = Math.max(1, leaseMillis / 3);
    }

    @Override
    protected void doStart() {
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "claim-heartbeat");
        timer.scheduleWithFixedDelay(this::beat, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** One renewal; a failure is logged once until the next success (the claims lapse if it lasts a lease). */
    void beat() {
        try {
            claims.renew();
            if (failing) {
                LOG.info("{} renews its claims again", claims.instance());
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("{} cannot renew its claims ({}): lists not renewed within bridge.instance.lease send "
                        + "nothing more", claims.instance(), e.getMessage());
                failing = true;
            }
        }
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            context.getExecutorServiceManager().shutdownNow(timer);
            timer = null;
        }
    }
}
