package io.jrtc.signaling.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;

/**
 * Reads and writes {@link Message}s as JSON text frames. Reading is strict (duplicate keys and trailing tokens
 * are refused, nesting and lengths are bounded) and throws only {@link ParseException}. Stateless and thread-safe.
 */
public final class SignalingJson {

    /** The protocol's mapper: strict reading; Jackson picks a {@link Message}'s record by its {@code type}. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 22).maxNumberLength(64).build());
    }

    private static final ObjectReader READER = MAPPER.readerFor(Message.class);

    private SignalingJson() {
    }

    /** The text frame for {@code m}: {@code type} first, then its fields in protocol order, then its extras. */
    public static String encode(Message m) {
        if (m instanceof Message.Unknown u) {
            return u.json();
        }
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write " + m.type(), e);
        }
    }

    /**
     * Parses one text frame. A {@code type} this version does not know gives {@link Message.Unknown}. Fails with
     * {@link ParseError#INVALID_VALUE} for non-JSON, a non-object or a mistyped field, {@link ParseError#INVALID_TYPE}
     * for a missing or non-string {@code type}, {@link ParseError#INVALID_LENGTH} for a missing required field.
     */
    public static Message decode(String text) throws ParseException {
        try {
            return READER.readValue(text); // one pass: Jackson picks the record by "type" as it streams
        } catch (JacksonException e) {
            // read it again, step by step, to say what is wrong (or that the type is unknown), in the order
            // readObject and the creators check it: JSON and trailing content first, then type, then fields
            return decode(readObject(text), text);
        }
    }

    /** {@code text} as a JSON object; {@link ParseError#INVALID_VALUE} when it is not JSON or not an object. */
    public static ObjectNode readObject(String text) throws ParseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ParseException(ParseError.INVALID_VALUE, "not valid JSON: " + shortReason(e));
        }
        if (root == null || !root.isObject()) {
            throw new ParseException(ParseError.INVALID_VALUE, "a message must be a JSON object");
        }
        return (ObjectNode) root;
    }

    /** Decodes an object already read from {@code text} (kept for {@link Message.Unknown}). */
    public static Message decode(ObjectNode root, String text) throws ParseException {
        String type = typeOf(root);
        try {
            return MAPPER.treeToValue(root, Message.class);
        } catch (InvalidTypeIdException e) {
            return new Message.Unknown(type, text);
        } catch (JacksonException e) {
            ParseException checked = checked(e);
            throw checked != null ? checked : new ParseException(ParseError.INVALID_VALUE, shortReason(e));
        }
    }

    /** What a record's creator refused, when that is why Jackson failed; else null. */
    private static ParseException checked(JacksonException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof ParseException pe) {
                return pe;
            }
            if (c instanceof IllegalArgumentException iae) {
                return new ParseException(ParseError.INVALID_VALUE, iae.getMessage());
            }
        }
        return null;
    }

    /** The {@code type} of a message object; {@link ParseError#INVALID_TYPE} when it is missing or not a string. */
    public static String typeOf(ObjectNode root) throws ParseException {
        JsonNode t = root.get("type");
        if (t == null || t.isNull()) {
            throw new ParseException(ParseError.INVALID_TYPE, "missing field 'type'");
        }
        if (!t.isTextual()) {
            throw new ParseException(ParseError.INVALID_TYPE, "field 'type' must be a string");
        }
        return t.textValue();
    }

    private static String shortReason(JacksonException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m.length() <= 120 ? m : m.substring(0, 120) + "…";
    }
}
