package io.outboundbridge.run;

import io.outboundbridge.vendor.VendorBreaker;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * Whether a vendor call that failed for a retryable reason goes again ({@code retryWhile} of the route's retries):
 * yes while it has retries left ({@code vendor.retry.max-retries}, with the route's backoff); once they are used up
 * the failure opens the vendor breaker and the call goes again as soon as the breaker lets it (its sender waits in
 * {@link VendorRequests#attempt}), with no backoff of its own. A failed probe opens the breaker again. No: once
 * another task of the list failed for good. A Camel SPI, like {@link SignVendorRequest}: it sets the delay of the
 * next attempt, which only the exchange carries.
 */
public final class VendorRetries implements Predicate {

    private final int maxRetries;
    private final VendorBreaker breaker;

    public VendorRetries(int maxRetries, VendorBreaker breaker) {
        this.maxRetries = maxRetries;
        this.breaker = breaker;
    }

    @Override
    public boolean matches(Exchange exchange) {
        ListRun run = exchange.getProperty("run", ListRun.class);
        VendorCall call = exchange.getProperty(SignVendorRequest.CALL_PROPERTY, VendorCall.class);
        int counter = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        boolean toBreaker = call != null && call.takeProbe() || counter > maxRetries;
        if (toBreaker) {
            Throwable failure = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            breaker.failed(reason(failure));
            // the breaker's wait takes the place of the backoff
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, 0L);
        } else {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        }
        return run == null || !run.isStopping();
    }

    private static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String text = failure.getMessage();
        return failure instanceof io.outboundbridge.vendor.VendorCallException ? text
                : failure.getClass().getSimpleName() + (text == null ? "" : ": " + text);
    }
}
