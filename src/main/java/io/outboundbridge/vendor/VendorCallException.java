package io.outboundbridge.vendor;

/** A vendor call that did not succeed; the answer, when there was one, is kept on the list's run. */
public class VendorCallException extends RuntimeException {

    public VendorCallException(String message) {
        super(message);
    }
}
