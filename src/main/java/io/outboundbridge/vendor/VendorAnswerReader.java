package io.outboundbridge.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.task.Phones;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * Reads the vendor's response envelope; a body that is not the envelope becomes an answer without a code. The
 * vendor's text goes on to logs and reports, so phone numbers in it are masked here, where it comes in. An answer
 * is a few hundred bytes: one larger than {@code vendor.max-answer-bytes} is not read past that.
 */
public final class VendorAnswerReader {

    private static final int SHOWN_CHARS = 200;
    /** The longest vendor message kept (logs, reports, the ledger); the vendor's are a line or two. */
    static final int MESSAGE_CHARS = 1000;
    private final ObjectMapper mapper = new ObjectMapper();
    private final int maxBytes;

    /** @param maxBytes the largest answer read; a larger one is an answer without a code that says so */
    public VendorAnswerReader(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the largest answer read must be at least 1 byte (found " + maxBytes
                    + ")");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Reads the answer to one call from its HTTP status and its body as it arrives (null for none), at most
     * {@code maxBytes + 1} bytes of it, then closes the body. The connection of an answer that is larger is closed
     * rather than read to its end to be reused.
     *
     * @throws IOException when the body cannot be read (the connection failed while the answer came)
     */
    public VendorAnswer read(InputStream body, Integer httpStatus) throws IOException {
        if (body == null) {
            return parse(null, httpStatus);
        }
        boolean whole = false;
        try {
            byte[] start = body.readNBytes(maxBytes + 1);
            whole = start.length <= maxBytes;
            return whole ? parse(start, httpStatus) : tooLarge(start, httpStatus);
        } finally {
            if (whole) {
                body.close();
            } else {
                discard(body);
            }
        }
    }

    /** The answer to one call from its HTTP status and its whole body (null for none). */
    public VendorAnswer parse(byte[] body, Integer httpStatus) {
        int status = httpStatus == null ? 0 : httpStatus;
        if (body == null || body.length == 0) {
            return new VendorAnswer(status, null, "empty answer (HTTP " + status + ")", null);
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root != null && root.isObject() && root.hasNonNull("code")) {
                JsonNode data = root.get("data");
                return new VendorAnswer(status, root.get("code").asText(),
                        root.hasNonNull("message") ? bounded(Phones.maskIn(root.get("message").asText())) : null,
                        data == null || data.isNull() ? null : data.asText());
            }
        } catch (IOException e) {
            // not JSON: reported below with the start of the body
        }
        return new VendorAnswer(status, null, "not the vendor's JSON envelope (HTTP " + status + "): " + excerpt(body),
                null);
    }

    /** An answer larger than the cap: not the envelope as far as the bridge is concerned, with its start. */
    private VendorAnswer tooLarge(byte[] start, Integer httpStatus) {
        int status = httpStatus == null ? 0 : httpStatus;
        return new VendorAnswer(status, null, "answer larger than " + maxBytes + " bytes (HTTP " + status
                + "), not read past that: " + excerpt(Arrays.copyOf(start, Math.min(start.length, SHOWN_CHARS * 4))),
                null);
    }

    /** The start of a body on one line, phone numbers masked (before it is cut, so none is cut in two). */
    private static String excerpt(byte[] body) {
        String text = Phones.maskIn(new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " "));
        return text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
    }

    /**
     * Closes the body of an answer not read to its end without reading the rest: closing HttpClient's stream would
     * read it all to reuse the connection, so its connection is dropped instead.
     */
    private static void discard(InputStream body) throws IOException {
        if (body instanceof EofSensorInputStream connection) {
            connection.abort();
        } else {
            body.close();
        }
    }

    /** A vendor message cut to {@link #MESSAGE_CHARS}, saying how long it was. */
    static String bounded(String message) {
        return message.length() <= MESSAGE_CHARS ? message
                : message.substring(0, MESSAGE_CHARS) + "...(" + message.length() + " characters)";
    }
}
