package io.jrtc.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field checks every message's creator runs on its JSON object: a missing (or null) required field is
 * {@link ParseError#INVALID_LENGTH}, a field of the wrong JSON type or range {@link ParseError#INVALID_VALUE}.
 */
final class Fields {

    private Fields() {
    }

    static String required(JsonNode o, String f) throws ParseException {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "missing field '" + f + "'");
        }
        if (!n.isTextual()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field '" + f + "' must be a string");
        }
        return n.textValue();
    }

    static String optional(JsonNode o, String f) throws ParseException {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field '" + f + "' must be a string or null");
        }
        return n.textValue();
    }

    /** An integer 0..65535 or null ({@code sdpMLineIndex}). */
    static Integer index(JsonNode o, String f) throws ParseException {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0 || n.intValue() > 65535) {
            throw new ParseException(ParseError.INVALID_VALUE,
                    "field '" + f + "' must be an integer 0..65535 or null");
        }
        return n.intValue();
    }

    /** An absent or null list is empty; else an array of strings. */
    static List<String> strings(JsonNode o, String f) throws ParseException {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field '" + f + "' must be an array");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new ParseException(ParseError.INVALID_VALUE, "field '" + f + "' must hold strings");
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** A required array field. */
    static JsonNode array(JsonNode o, String f) throws ParseException {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "missing field '" + f + "'");
        }
        if (!n.isArray()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field '" + f + "' must be an array");
        }
        return n;
    }

    static ObjectNode object(JsonNode e, String what) throws ParseException {
        if (!e.isObject()) {
            throw new ParseException(ParseError.INVALID_VALUE, what + " must be an object");
        }
        return (ObjectNode) e;
    }

    /** The fields of a message {@code o} that are neither {@code type} nor in {@code known}, in order. */
    static Map<String, JsonNode> extra(JsonNode o, Set<String> known) {
        return extra(o, known, true);
    }

    /**
     * The fields of {@code o} not in {@code known}, in order; {@code type} too unless {@code message} (it is a
     * message's discriminator, but only an unknown field of an object inside one, such as a batch element).
     */
    static Map<String, JsonNode> extra(JsonNode o, Set<String> known, boolean message) {
        Map<String, JsonNode> out = null;
        for (var e : o.properties()) {
            if (!(message && e.getKey().equals("type")) && !known.contains(e.getKey())) {
                if (out == null) {
                    out = new LinkedHashMap<>();
                }
                out.put(e.getKey(), e.getValue());
            }
        }
        return out == null ? Map.of() : Collections.unmodifiableMap(out);
    }

    /** An order-keeping, unmodifiable copy of a message's {@code extra} (null is empty), which cannot hold {@code type}. */
    static Map<String, JsonNode> copy(Map<String, JsonNode> extra) {
        if (extra != null && extra.containsKey("type")) {
            throw new IllegalArgumentException("'type' is not an extra field");
        }
        return copyAny(extra);
    }

    /** An order-keeping, unmodifiable copy of {@code extra} (null is empty). */
    static Map<String, JsonNode> copyAny(Map<String, JsonNode> extra) {
        if (extra == null || extra.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }
}
