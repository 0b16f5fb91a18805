package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.signaling.protocol.Message;
import io.jrtc.signaling.protocol.SignalingJson;
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
    record LinkReport(List<ReportedLink> links, Message.LinkReport.Nat nat, String id) implements InboundMessage {
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
        String type = SignalingJson.typeOf(obj);
        String id = optionalId(obj);
        if (!ACCEPTED.contains(type)) { // including the types only the server sends
            throw new ParseException(ParseError.INVALID_TYPE, "unknown type '" + clip(type) + "'");
        }
        return switch (SignalingJson.decode(obj, text)) {
            case Message.Register r -> new Register(r.agentId(), r.token(), features(r.features()),
                    presence(r.presence()), id);
            case Message.Offer o -> new Offer(o.to(), o.sdp(), obj, id);
            case Message.Answer a -> new Answer(a.to(), a.sdp(), obj, id);
            case Message.Candidate c -> new Candidate(c.to(), c.candidate(), c.sdpMid(), c.sdpMLineIndex(), obj, id);
            case Message.Candidates b -> new Candidates(b.to(), batch(obj, b), obj, id);
            case Message.Bye b -> new Bye(b.to(), obj, id);
            case Message.LinkReport r -> new LinkReport(links(r), r.nat(), id);
            default -> throw new ParseException(ParseError.INVALID_TYPE, "unknown type '" + clip(type) + "'");
        };
    }

    /** The types an agent may send. */
    java.util.Set<String> ACCEPTED = java.util.Set.of("register", "offer", "answer", "candidate", "candidates", "bye",
            "link_report");

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
    private static String presence(String p) throws ParseException {
        if (p != null && !Protocol.PRESENCE.matcher(p).matches()) {
            throw new ParseException(ParseError.INVALID_VALUE,
                    "field 'presence' must be 1 to 512 characters of A-Z a-z 0-9 _ -");
        }
        return p;
    }

    /** {@code features}: absent, null, or an array of at most 16 strings of at most 64 characters. */
    private static Set<String> features(List<String> features) throws ParseException {
        if (features.size() > Protocol.MAX_FEATURES) {
            throw new ParseException(ParseError.INVALID_VALUE,
                    "field 'features' must be an array of at most " + Protocol.MAX_FEATURES + " strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String f : features) {
            if (f.length() > 64) {
                throw new ParseException(ParseError.INVALID_VALUE,
                        "field 'features' must hold strings of at most 64 characters");
            }
            out.add(f);
        }
        return out;
    }

    /** The element objects of a checked batch; none may carry the batch's own fields. */
    private static List<ObjectNode> batch(ObjectNode obj, Message.Candidates b) throws ParseException {
        JsonNode n = obj.get("candidates");
        List<ObjectNode> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            if (b.candidates().get(i).extra().keySet().stream()
                    .anyMatch(k -> k.equals("type") || k.equals("to") || k.equals("from") || k.equals("id"))) {
                // the batch's own fields: an element's would override them when the batch is unrolled
                throw new ParseException(ParseError.INVALID_VALUE,
                        "candidates[" + i + "] must not carry 'type', 'to', 'from' or 'id'");
            }
            out.add((ObjectNode) n.get(i));
        }
        return out;
    }

    /** The links of a checked {@code link_report}, whose agents must be agent ids. */
    private static List<ReportedLink> links(Message.LinkReport r) throws ParseException {
        List<ReportedLink> out = new ArrayList<>(r.links().size());
        for (int i = 0; i < r.links().size(); i++) {
            Message.LinkReport.Link l = r.links().get(i);
            if (!Protocol.validAgentId(l.agent())) {
                throw new ParseException(ParseError.INVALID_VALUE, "links[" + i + "].agent is not an agent id");
            }
            out.add(new ReportedLink(l.agent(), l.mode(), l.rttMs()));
        }
        return out;
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
