package io.outboundbridge.sign;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string that is signed, as a template over {@code {appId}}, {@code {timestamp}}, {@code {method}},
 * {@code {path}} and {@code {body}} (the exact bytes sent). The vendor does not say what it signs (SPEC.md, open
 * point), so the product makes it configurable; the default is {@code {appId}{timestamp}}.
 */
public final class SignTemplate {

    /** The product's default: plain concatenation of appId and timestamp. */
    public static final String DEFAULT = "{appId}{timestamp}";
    public static final Set<String> PLACEHOLDERS = Set.of("appId", "timestamp", "method", "path", "body");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final String template;
    /** Literal text as UTF-8 bytes, or a placeholder name as a String. */
    private final List<Object> parts = new ArrayList<>();

    public SignTemplate(String template) {
        Objects.requireNonNull(template, "sign template");
        if (template.isEmpty()) {
            throw new IllegalArgumentException("sign template is empty");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            String name = m.group(1);
            if (!PLACEHOLDERS.contains(name)) {
                throw new IllegalArgumentException("sign template '" + template + "': unknown placeholder {" + name
                        + "}; allowed: {appId} {timestamp} {method} {path} {body}");
            }
            literal(template.substring(at, m.start()));
            parts.add(name);
            at = m.end();
        }
        literal(template.substring(at));
        this.template = template;
    }

    private void literal(String text) {
        if (!text.isEmpty()) {
            parts.add(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The bytes to sign: text parts in UTF-8, {@code body} as given; a null body is empty. */
    public byte[] render(String appId, String timestamp, String method, String path, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + (body == null ? 0 : body.length));
        write(out::writeBytes, appId, timestamp, method, path, body);
        return out.toByteArray();
    }

    /**
     * Feeds the bytes {@link #render} returns to {@code signature}, part by part: a 400 KB body is not copied
     * into a rendering first.
     */
    public void update(Signature signature, String appId, String timestamp, String method, String path, byte[] body)
            throws SignatureException {
        write(signature::update, appId, timestamp, method, path, body);
    }

    @FunctionalInterface
    private interface Sink<E extends Exception> {
        void write(byte[] bytes) throws E;
    }

    private <E extends Exception> void write(Sink<E> sink, String appId, String timestamp, String method, String path,
            byte[] body) throws E {
        for (Object part : parts) {
            if (part instanceof byte[] bytes) {
                sink.write(bytes);
            } else {
                switch ((String) part) {
                    case "appId" -> sink.write(text("appId", appId));
                    case "timestamp" -> sink.write(text("timestamp", timestamp));
                    case "method" -> sink.write(text("method", method));
                    case "path" -> sink.write(text("path", path));
                    default -> sink.write(body == null ? new byte[0] : body);
                }
            }
        }
    }

    private static byte[] text(String name, String value) {
        return Objects.requireNonNull(value, name).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return template;
    }
}
