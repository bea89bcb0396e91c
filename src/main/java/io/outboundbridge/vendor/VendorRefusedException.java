package io.outboundbridge.vendor;

/** The vendor refused the call for good (10001, 10002, 29002, an unknown code or a non-JSON answer). */
public class VendorRefusedException extends VendorCallException {

    public VendorRefusedException(String message) {
        super(message);
    }
}
