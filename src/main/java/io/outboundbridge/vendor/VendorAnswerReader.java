package io.outboundbridge.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.task.Phones;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the vendor's response envelope; a body that is not the envelope becomes an answer without a code. The
 * vendor's text goes on to logs and reports, so phone numbers in it are masked here, where it comes in.
 */
public final class VendorAnswerReader {

    private static final int SHOWN_CHARS = 200;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Reads the answer to one call from its HTTP status and body. */
    public VendorAnswer read(byte[] body, Integer httpStatus) {
        int status = httpStatus == null ? 0 : httpStatus;
        if (body == null || body.length == 0) {
            return new VendorAnswer(status, null, "empty answer (HTTP " + status + ")", null);
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root != null && root.isObject() && root.hasNonNull("code")) {
                JsonNode data = root.get("data");
                return new VendorAnswer(status, root.get("code").asText(),
                        root.hasNonNull("message") ? Phones.maskIn(root.get("message").asText()) : null,
                        data == null || data.isNull() ? null : data.asText());
            }
        } catch (IOException e) {
            // not JSON: reported below with the start of the body
        }
        // masked before it is cut, so no number is cut in two and left half shown
        String text = Phones.maskIn(new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " "));
        String shown = text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
        return new VendorAnswer(status, null, "not the vendor's JSON envelope (HTTP " + status + "): " + shown, null);
    }
}
