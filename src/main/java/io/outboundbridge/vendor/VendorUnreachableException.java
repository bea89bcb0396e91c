package io.outboundbridge.vendor;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The vendor could not be reached (connection refused, no route, unknown host, connect timeout): no byte of the call
 * left, so unlike a call that got no answer it cannot have been acted on, and it is retried freely.
 */
public class VendorUnreachableException extends VendorRetryableException {

    public VendorUnreachableException(String message) {
        super(message);
    }

    /** The failure to connect that {@code cause} is (the first of its chain that says why), in words. */
    public static VendorUnreachableException of(Throwable cause) {
        return new VendorUnreachableException("the vendor could not be reached: " + reason(cause) + "; nothing was sent");
    }

    private static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof ConnectException) {
                String text = t.getMessage() == null ? "" : t.getMessage();
                return text.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused" : "cannot connect ("
                        + text + ")";
            }
            // what HttpClient throws when the connection is not made in vendor.connect-timeout
            if (t instanceof InterruptedIOException) {
                return "connect timed out";
            }
        }
        return "cannot connect (" + cause + ")";
    }
}
