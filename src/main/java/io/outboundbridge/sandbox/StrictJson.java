package io.outboundbridge.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Reads request bodies into the vendor model as strictly as a Java vendor would: unknown fields, duplicate keys
 * and any type coercion ({@code 1} for a Boolean, {@code "5"} for an Integer, {@code 5} for a String) are refused,
 * with a message that starts with the field's JSON path.
 */
final class StrictJson {

    private static final ObjectMapper MAPPER = strictMapper();
    /** One reader per type, made once: the mapper's per-call lookup of the type and its root deserializer is skipped. */
    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type);
        }
    };

    private StrictJson() {
    }

    /** A body that does not fit the model; the message names the field. */
    static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;

        BadBody(String message) {
            super(message);
        }
    }

    static <T> T read(byte[] body, Class<T> type) throws BadBody {
        T value;
        try {
            value = type.cast(READERS.get(type).readValue(body));
        } catch (UnrecognizedPropertyException e) {
            throw new BadBody(path(e) + ": unknown field");
        } catch (MismatchedInputException e) {
            throw new BadBody(path(e) + ": must be a JSON " + kind(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw new BadBody(path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new BadBody("body: not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new BadBody("body: unreadable (" + e.getClass().getSimpleName() + ")");
        }
        if (value == null) {
            throw new BadBody("body: a JSON object is required");
        }
        return value;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "body" : sb.toString();
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "value of another type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "integer number";
        }
        if (type == String.class) {
            return "string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.String, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.String,
                CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        for (LogicalType structured : List.of(LogicalType.POJO, LogicalType.Collection)) {
            refuse(mapper, structured, CoercionInputShape.EmptyString, CoercionInputShape.String,
                    CoercionInputShape.Integer);
        }
        return mapper;
    }

    private static void refuse(JsonMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
