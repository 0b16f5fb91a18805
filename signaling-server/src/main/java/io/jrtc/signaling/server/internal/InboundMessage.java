package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;

/**
 * A message an agent sends to the server (protocol version 1, see the module README). One record per
 * message type. {@link #parse(String)} validates a text frame completely: a parsed message has every
 * required field with the right JSON type. Relayed messages keep their JSON object, which the server
 * forwards with {@code "from"} set (any client-supplied {@code "from"} is overwritten).
 */
public sealed interface InboundMessage {

    /** The optional client-chosen {@code id} echoed in error replies, or null. */
    String id();

    /** {@code {"type":"register","agent_id":"a1","token":"…"}}; {@code token} may be absent on open servers. */
    record Register(String agentId, String token, String id) implements InboundMessage {
    }

    /** A message relayed to the agent named in {@code to}. */
    sealed interface Relayed extends InboundMessage {
        /** The wire type: offer, answer, candidate or bye. */
        String type();

        String to();

        /** The JSON object as received, to be forwarded with {@code from}. */
        ObjectNode body();
    }

    /** {@code {"type":"offer","to":"a2","sdp":"…"}}. */
    record Offer(String to, String sdp, ObjectNode body, String id) implements Relayed {
        @Override
        public String type() {
            return "offer";
        }
    }

    /** {@code {"type":"answer","to":"a2","sdp":"…"}}. */
    record Answer(String to, String sdp, ObjectNode body, String id) implements Relayed {
        @Override
        public String type() {
            return "answer";
        }
    }

    /**
     * {@code {"type":"candidate","to":"a2","candidate":"…","sdpMid":"0","sdpMLineIndex":0}}; an empty
     * {@code candidate} means end-of-candidates. {@code sdpMid} and {@code sdpMLineIndex} may be null.
     */
    record Candidate(String to, String candidate, String sdpMid, Integer sdpMLineIndex, ObjectNode body, String id)
            implements Relayed {
        @Override
        public String type() {
            return "candidate";
        }

        public boolean isEndOfCandidates() {
            return candidate.isEmpty();
        }
    }

    /** {@code {"type":"bye","to":"a2"}}. */
    record Bye(String to, ObjectNode body, String id) implements Relayed {
        @Override
        public String type() {
            return "bye";
        }
    }

    /**
     * Parses and validates one text frame. Never throws anything but {@link ParseException}:
     * {@link ParseError#INVALID_VALUE} for non-JSON or a non-object, {@link ParseError#INVALID_TYPE} for a
     * missing or unknown {@code type}, {@link ParseError#INVALID_LENGTH} for a missing required field and
     * {@link ParseError#INVALID_VALUE} for a field of the wrong JSON type or range.
     */
    static InboundMessage parse(String text) throws ParseException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ParseException(ParseError.INVALID_VALUE, "not valid JSON: " + shortReason(e));
        }
        if (root == null || !root.isObject()) {
            throw new ParseException(ParseError.INVALID_VALUE, "a message must be a JSON object");
        }
        ObjectNode obj = (ObjectNode) root;
        JsonNode typeNode = obj.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw new ParseException(ParseError.INVALID_TYPE, "missing field 'type'");
        }
        if (!typeNode.isTextual()) {
            throw new ParseException(ParseError.INVALID_TYPE, "field 'type' must be a string");
        }
        String id = optionalId(obj);
        String type = typeNode.textValue();
        return switch (type) {
            case "register" -> new Register(requiredString(obj, "agent_id"), optionalString(obj, "token"), id);
            case "offer" -> new Offer(requiredString(obj, "to"), requiredString(obj, "sdp"), obj, id);
            case "answer" -> new Answer(requiredString(obj, "to"), requiredString(obj, "sdp"), obj, id);
            case "candidate" -> new Candidate(requiredString(obj, "to"), requiredString(obj, "candidate"),
                    optionalString(obj, "sdpMid"), optionalIndex(obj, "sdpMLineIndex"), obj, id);
            case "bye" -> new Bye(requiredString(obj, "to"), obj, id);
            default -> throw new ParseException(ParseError.INVALID_TYPE,
                    "unknown type '" + clip(type) + "'");
        };
    }

    /**
     * The {@code id} of a message that could not be parsed (or was refused before parsing), when the text is
     * at least a JSON object with a well-formed {@code id}; otherwise null. Never throws.
     */
    static String idOf(String text) {
        try {
            JsonNode root = Json.MAPPER.readTree(text);
            return root != null && root.isObject() ? optionalId((ObjectNode) root) : null;
        } catch (JacksonException | ParseException | RuntimeException e) {
            return null;
        }
    }

    private static String requiredString(ObjectNode obj, String field) throws ParseException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "missing field '" + field + "'");
        }
        if (!n.isTextual()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field '" + field + "' must be a string");
        }
        return n.textValue();
    }

    private static String optionalString(ObjectNode obj, String field) throws ParseException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field '" + field + "' must be a string or null");
        }
        return n.textValue();
    }

    private static Integer optionalIndex(ObjectNode obj, String field) throws ParseException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0 || n.intValue() > 65535) {
            throw new ParseException(ParseError.INVALID_VALUE,
                    "field '" + field + "' must be an integer 0..65535 or null");
        }
        return n.intValue();
    }

    private static String optionalId(ObjectNode obj) throws ParseException {
        JsonNode n = obj.get("id");
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual() && n.textValue().length() <= 64) {
            return n.textValue();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return Long.toString(n.longValue());
        }
        throw new ParseException(ParseError.INVALID_VALUE, "field 'id' must be a string (<= 64 chars) or an integer");
    }

    private static String clip(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
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
