package io.outboundbridge.vendor;

/** The vendor answered with a code or status that is worth retrying (20001, 29008, HTTP 5xx). */
public class VendorRetryableException extends VendorCallException {

    public VendorRetryableException(String message) {
        super(message);
    }
}
