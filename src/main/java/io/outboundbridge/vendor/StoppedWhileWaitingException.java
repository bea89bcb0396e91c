package io.outboundbridge.vendor;

/**
 * A call that waited for the vendor breaker was given up because the service is stopping: its list is left in
 * processing, resumed at the next start like after a crash (nothing is filed, nothing recorded as failed).
 */
public class StoppedWhileWaitingException extends VendorCallException {

    public StoppedWhileWaitingException(String message) {
        super(message);
    }
}
