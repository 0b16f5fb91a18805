package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A message an agent sends to the server (protocol version 1, see the module README). One record per
 * message type. {@link #parse(String)} validates a text frame completely: a parsed message has every
 * required field with the right JSON type. Relayed messages keep their JSON object, which the server
 * forwards with {@code "from"} set (any client-supplied {@code "from"} is overwritten).
 */
public sealed interface InboundMessage {

    /** The optional client-chosen {@code id} echoed in error replies, or null. */
    String id();

    /**
     * {@code {"type":"register","agent_id":"a1","token":"…","features":["candidates"]}}; {@code token} may be
     * absent on open servers, {@code features} (since revision 3) lists what the client can receive.
     */
    record Register(String agentId, String token, Set<String> features, String presence, String id)
            implements InboundMessage {
        public Register {
            features = Set.copyOf(features);
        }

        /** A register without presence (before revision 5). */
        public Register(String agentId, String token, Set<String> features, String id) {
            this(agentId, token, features, null, id);
        }

        /** A register without features (before revision 3). */
        public Register(String agentId, String token, String id) {
            this(agentId, token, Set.of(), id);
        }
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

    /**
     * {@code {"type":"candidates","to":"a2","candidates":[{"candidate":"…","sdpMid":"0","sdpMLineIndex":0},…]}}
     * (revision 3): 1 to {@link Protocol#MAX_BATCH_CANDIDATES} candidates to one agent in one message. Each
     * element is validated as a {@link Candidate}'s fields; an empty {@code candidate} is end-of-candidates.
     * {@code elements} are the element objects, in order, as received.
     */
    record Candidates(String to, List<ObjectNode> elements, ObjectNode body, String id) implements Relayed {
        public Candidates {
            elements = List.copyOf(elements);
        }

        @Override
        public String type() {
            return "candidates";
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
     * {@code {"type":"link_report","links":[{"agent":"a2","mode":"HIGH","rtt_ms":1.5},…]}} (revision 4): the
     * sender's current mesh links, 0 to {@link Protocol#MAX_REPORTED_LINKS}; it replaces the sender's previous
     * report. Not relayed: the server keeps the latest per agent for {@code /mesh} and the page.
     */
    record LinkReport(List<ReportedLink> links, String id) implements InboundMessage {
        public LinkReport {
            links = List.copyOf(links);
        }
    }

    /**
     * One link of a {@link LinkReport}: the neighbour's agent id, the link's mode (1 to 16 of {@code A-Z_}, e.g.
     * {@code HIGH}, {@code MEDIUM}, {@code LOW}) and its round-trip time in ms (0 to 600,000, or null if unknown).
     */
    record ReportedLink(String agent, String mode, Double rttMs) {
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
            case "register" -> new Register(requiredString(obj, "agent_id"), optionalString(obj, "token"),
                    features(obj), presence(obj), id);
            case "offer" -> new Offer(requiredString(obj, "to"), requiredString(obj, "sdp"), obj, id);
            case "answer" -> new Answer(requiredString(obj, "to"), requiredString(obj, "sdp"), obj, id);
            case "candidate" -> new Candidate(requiredString(obj, "to"), requiredString(obj, "candidate"),
                    optionalString(obj, "sdpMid"), optionalIndex(obj, "sdpMLineIndex"), obj, id);
            case "candidates" -> new Candidates(requiredString(obj, "to"), batch(obj), obj, id);
            case "bye" -> new Bye(requiredString(obj, "to"), obj, id);
            case "link_report" -> new LinkReport(links(obj), id);
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

    /** {@code presence} (revision 5): absent, null, or 1 to 512 characters of base64url; opaque to the server. */
    private static String presence(ObjectNode obj) throws ParseException {
        String p = optionalString(obj, "presence");
        if (p != null && !Protocol.PRESENCE.matcher(p).matches()) {
            throw new ParseException(ParseError.INVALID_VALUE,
                    "field 'presence' must be 1 to 512 characters of A-Z a-z 0-9 _ -");
        }
        return p;
    }

    /** {@code features}: absent, null, or an array of at most 16 strings of at most 64 characters. */
    private static Set<String> features(ObjectNode obj) throws ParseException {
        JsonNode n = obj.get("features");
        if (n == null || n.isNull()) {
            return Set.of();
        }
        if (!n.isArray() || n.size() > Protocol.MAX_FEATURES) {
            throw new ParseException(ParseError.INVALID_VALUE,
                    "field 'features' must be an array of at most " + Protocol.MAX_FEATURES + " strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode f : n) {
            if (!f.isTextual() || f.textValue().length() > 64) {
                throw new ParseException(ParseError.INVALID_VALUE,
                        "field 'features' must hold strings of at most 64 characters");
            }
            out.add(f.textValue());
        }
        return out;
    }

    /** The {@code candidates} array of a batch: 1..64 objects, each with a candidate's fields. */
    private static List<ObjectNode> batch(ObjectNode obj) throws ParseException {
        JsonNode n = obj.get("candidates");
        if (n == null || n.isNull()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "missing field 'candidates'");
        }
        if (!n.isArray()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field 'candidates' must be an array");
        }
        if (n.isEmpty() || n.size() > Protocol.MAX_BATCH_CANDIDATES) {
            throw new ParseException(ParseError.INVALID_LENGTH, "field 'candidates' must hold 1 to "
                    + Protocol.MAX_BATCH_CANDIDATES + " candidates, not " + n.size());
        }
        List<ObjectNode> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isObject()) {
                throw new ParseException(ParseError.INVALID_VALUE, "candidates[" + i + "] must be an object");
            }
            ObjectNode o = (ObjectNode) e;
            try {
                requiredString(o, "candidate");
                optionalString(o, "sdpMid");
                optionalIndex(o, "sdpMLineIndex");
            } catch (ParseException pe) {
                String m = pe.getMessage();
                String prefix = pe.error() + ": ";
                throw new ParseException(pe.error(), "candidates[" + i + "]: "
                        + (m.startsWith(prefix) ? m.substring(prefix.length()) : m));
            }
            if (o.has("type") || o.has("to") || o.has("from") || o.has("id")) {
                // the batch's own fields: an element's would override them when the batch is unrolled
                throw new ParseException(ParseError.INVALID_VALUE,
                        "candidates[" + i + "] must not carry 'type', 'to', 'from' or 'id'");
            }
            out.add(o);
        }
        return out;
    }

    /** The {@code links} array of a {@code link_report}: 0..64 objects with agent, mode and rtt_ms. */
    private static List<ReportedLink> links(ObjectNode obj) throws ParseException {
        JsonNode n = obj.get("links");
        if (n == null || n.isNull()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "missing field 'links'");
        }
        if (!n.isArray()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field 'links' must be an array");
        }
        if (n.size() > Protocol.MAX_REPORTED_LINKS) {
            throw new ParseException(ParseError.INVALID_LENGTH, "field 'links' must hold at most "
                    + Protocol.MAX_REPORTED_LINKS + " links, not " + n.size());
        }
        List<ReportedLink> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isObject()) {
                throw new ParseException(ParseError.INVALID_VALUE, "links[" + i + "] must be an object");
            }
            ObjectNode o = (ObjectNode) e;
            String agent = requiredString(o, "agent");
            String mode = requiredString(o, "mode");
            if (!Protocol.validAgentId(agent)) {
                throw new ParseException(ParseError.INVALID_VALUE, "links[" + i + "].agent is not an agent id");
            }
            if (!Protocol.LINK_MODE.matcher(mode).matches()) {
                throw new ParseException(ParseError.INVALID_VALUE, "links[" + i + "].mode must be 1 to 16 of A-Z and _");
            }
            JsonNode rtt = o.get("rtt_ms");
            Double rttMs = null;
            if (rtt != null && !rtt.isNull()) {
                if (!rtt.isNumber() || !(rtt.doubleValue() >= 0 && rtt.doubleValue() <= 600_000)) {
                    throw new ParseException(ParseError.INVALID_VALUE, "links[" + i + "].rtt_ms must be 0..600000 or null");
                }
                rttMs = rtt.doubleValue();
            }
            out.add(new ReportedLink(agent, mode, rttMs));
        }
        return out;
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
