package io.outboundbridge.sign;

/**
 * The three authentication headers of one vendor call. {@link #toString()} leaves the signature out so the record
 * can be logged.
 */
public record SignedHeaders(String appId, String timestamp, String sign) {

    @Override
    public String toString() {
        return "SignedHeaders[appId=" + appId + ", timestamp=" + timestamp + ", sign=(" + (sign == null ? 0 : sign.length())
                + " chars)]";
    }
}
