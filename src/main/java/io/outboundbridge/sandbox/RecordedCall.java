package io.outboundbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One call the sandbox received, answered or faulted.
 *
 * @param path       the request path
 * @param body       the exact bytes received; null when the sandbox does not record customers
 * @param httpStatus the HTTP status answered; 0 when the connection was dropped without an answer
 * @param code       the vendor code answered (or, for {@code dropAfterProcessing}, the one processing gave); null for none
 * @param fault      the injected fault's name (e.g. {@code httpStatus(503)}), null for a normal call
 * @param arrivedAt  when the call arrived, by the sandbox clock
 * @param headers    every request header, names in lower case
 */
public record RecordedCall(
        String path,
        String appId,
        String timestamp,
        String sign,
        byte[] body,
        int httpStatus,
        String code,
        String fault,
        Instant arrivedAt,
        java.util.Map<String, java.util.List<String>> headers) {

    /** The body as UTF-8 text, or null when it was not recorded. */
    public String bodyText() {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RecordedCall[" + path + ", status=" + httpStatus + ", code=" + code + ", fault=" + fault + ", at="
                + arrivedAt + "]";
    }
}
