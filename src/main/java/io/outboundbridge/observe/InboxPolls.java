package io.outboundbridge.observe;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * When each inbox was last polled successfully: every polling consumer (the local inbox, each partner's SFTP inbox)
 * keeps its own poll strategy, wrapped to note the time of each poll that succeeded, published as the gauge
 * {@code bridge_inbox_last_successful_poll_timestamp_seconds{inbox="ROUTE ID"}}.
 */
public final class InboxPolls implements StartupListener {

    private final BridgeMetrics metrics;
    private final Clock clock;

    public InboxPolls(BridgeMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            return;
        }
        for (Route route : context.getRoutes()) {
            Consumer consumer = route.getConsumer();
            if (consumer instanceof ScheduledPollConsumer polling) {
                AtomicLong last = new AtomicLong();
                // a consumer without a strategy of its own polls with Camel's default one
                PollingConsumerPollStrategy own = polling.getPollStrategy() != null ? polling.getPollStrategy()
                        : new DefaultPollingConsumerPollStrategy();
                polling.setPollStrategy(new Noting(own, last, clock));
                metrics.inboxLastPoll(route.getRouteId(), () -> last.get() / 1000.0);
            }
        }
    }

    /** A poll strategy that notes when a poll succeeded and otherwise does what the consumer's own one does. */
    private record Noting(PollingConsumerPollStrategy delegate, AtomicLong lastMillis, Clock clock)
            implements PollingConsumerPollStrategy {

        @Override
        public boolean begin(Consumer consumer, Endpoint endpoint) {
            return delegate.begin(consumer, endpoint);
        }

        @Override
        public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
            delegate.commit(consumer, endpoint, polledMessages);
            lastMillis.set(clock.millis());
        }

        @Override
        public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause)
                throws Exception {
            return delegate.rollback(consumer, endpoint, retryCounter, cause);
        }
    }
}
