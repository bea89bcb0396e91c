package io.outboundbridge.run;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list that must stay where it is: the service's stop interrupted it while it waited for the vendor breaker, or
 * this instance lost its claim on it to another instance (which works on the file now). A list the stop interrupted
 * stays where it is
 * (processing, or the partner's remote processing folder) with its run unfinished in the ledger, and the next start
 * resumes it after its last confirmed request, as after a crash. Nothing is filed: the consumer's own completion
 * (which would move the list to the archive or error folder) is taken off its exchange and never run. A Camel SPI,
 * like {@link SignVendorRequest}: only the exchange carries that completion.
 */
public final class LeaveForRestart implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(LeaveForRestart.class);

    @Override
    public void process(Exchange exchange) {
        ListRun run = exchange.getProperty("run", ListRun.class);
        if (run != null) {
            run.markOutcomeRecorded();
        }
        // handed over to an exchange that never completes: the list is neither moved nor deleted
        exchange.getExchangeExtension().handoverCompletions(new DefaultExchange(exchange.getContext()));
        if (exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof io.outboundbridge.ledger.ClaimLostException) {
            LOG.debug("{} is left where it is, to the instance that holds it now", run);
            return;
        }
        LOG.warn("{} stays in processing: the service stopped while it waited for the vendor; the next start resumes "
                + "it after its last confirmed request, under the same task ids", run);
    }
}
