package io.outboundbridge.task;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The customers of one vendor call as the JSON array the vendor receives, in UTF-8: each customer was serialized
 * once, when the list was read, and goes out as those bytes. Jackson writes it in place of a {@code List<Customer>}.
 * Equality is identity: hashing 400 KB each time Camel looks a request up (bean caches key on it) would cost more
 * than the call.
 */
public final class CustomerBatch implements JsonSerializable {

    private final int size;
    private final byte[] json;

    /**
     * @param size customers in the array
     * @param json a JSON array of {@code size} customer objects, UTF-8
     */
    public CustomerBatch(int size, byte[] json) {
        if (size < 0 || json == null || json.length < 2 || json[0] != '[' || json[json.length - 1] != ']') {
            throw new IllegalArgumentException("a customer batch is a JSON array of its customers");
        }
        this.size = size;
        this.json = json;
    }

    /** A batch of customer objects serialized by {@code writer} (tests and tools; the service reads its spool). */
    public static CustomerBatch of(java.util.List<Customer> customers,
            com.fasterxml.jackson.databind.ObjectWriter writer) {
        try {
            return new CustomerBatch(customers.size(), writer.writeValueAsBytes(customers));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize customers", e);
        }
    }

    public int size() {
        return size;
    }

    /** The JSON array (a copy). */
    public byte[] json() {
        return json.clone();
    }

    /** The JSON array as text. */
    @Override
    public String toString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeRawValue(new RawUtf8(json));
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(gen, serializers);
    }

    /**
     * Ready-encoded UTF-8 for {@link JsonGenerator#writeRawValue(com.fasterxml.jackson.core.SerializableString)}:
     * a byte-writing generator copies the bytes as they are; a char-writing one gets the text, decoded on demand.
     */
    private static final class RawUtf8 implements SerializableString {

        private final byte[] utf8;
        private SerializedString text;

        RawUtf8(byte[] utf8) {
            this.utf8 = utf8;
        }

        private SerializedString text() {
            if (text == null) {
                text = new SerializedString(new String(utf8, StandardCharsets.UTF_8));
            }
            return text;
        }

        @Override
        public String getValue() {
            return text().getValue();
        }

        @Override
        public int charLength() {
            return text().charLength();
        }

        @Override
        public char[] asQuotedChars() {
            return text().asQuotedChars();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return utf8;
        }

        @Override
        public byte[] asQuotedUTF8() {
            return text().asQuotedUTF8();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            return text().appendQuotedUTF8(buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            return text().appendQuoted(buffer, offset);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + utf8.length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            return text().appendUnquoted(buffer, offset);
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) throws IOException {
            return text().writeQuotedUTF8(out);
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(utf8);
            return utf8.length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
            return text().putQuotedUTF8(buffer);
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < utf8.length) {
                return -1;
            }
            buffer.put(utf8);
            return utf8.length;
        }
    }
}
