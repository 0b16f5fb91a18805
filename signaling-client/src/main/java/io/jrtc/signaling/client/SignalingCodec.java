package io.jrtc.signaling.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON encoding of {@link SignalingMessage}s (protocol version 1), with Jackson's tree model: explicit field
 * names, no reflection. Stateless and thread-safe.
 */
public final class SignalingCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 22).maxNumberLength(64).build());
    }

    private SignalingCodec() {
    }

    /** The JSON text frame for {@code m}. */
    public static String encode(SignalingMessage m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", m.type());
        switch (m) {
            case SignalingMessage.Register r -> {
                n.put("agent_id", r.agentId());
                if (r.token() != null) {
                    n.put("token", r.token());
                }
                if (!r.features().isEmpty()) {
                    ArrayNode f = n.putArray("features");
                    r.features().forEach(f::add);
                }
                if (r.presence() != null) {
                    n.put("presence", r.presence());
                }
            }
            case SignalingMessage.Registered r -> {
                n.put("agent_id", r.agentId());
                ArrayNode agents = n.putArray("connected_agents");
                r.connectedAgents().forEach(agents::add);
                ArrayNode servers = n.putArray("ice_servers");
                for (IceServer s : r.iceServers()) {
                    ObjectNode o = servers.addObject();
                    ArrayNode urls = o.putArray("urls");
                    s.urls().forEach(urls::add);
                    if (s.username() != null) {
                        o.put("username", s.username());
                    }
                    if (s.credential() != null) {
                        o.put("credential", s.credential());
                    }
                }
                n.put("protocol_version", r.protocolVersion());
                if (r.rateLimit() != null) {
                    ObjectNode rl = n.putObject("rate_limit");
                    rl.put("messages_per_second", r.rateLimit().messagesPerSecond());
                    rl.put("burst", r.rateLimit().burst());
                    rl.put("max_backlog", r.rateLimit().maxBacklog());
                    rl.put("max_message_bytes", r.rateLimit().maxMessageBytes());
                }
                if (!r.features().isEmpty()) {
                    ArrayNode f = n.putArray("features");
                    r.features().forEach(f::add);
                }
                if (r.maxBatchCandidates() > 0) {
                    n.put("max_batch_candidates", r.maxBatchCandidates());
                }
                if (!r.presence().isEmpty()) {
                    ObjectNode p = n.putObject("presence");
                    r.presence().forEach(p::put);
                }
            }
            case SignalingMessage.AgentJoined j -> {
                n.put("agent_id", j.agentId());
                if (j.presence() != null) {
                    n.put("presence", j.presence());
                }
            }
            case SignalingMessage.AgentLeft l -> n.put("agent_id", l.agentId());
            case SignalingMessage.Offer o -> {
                relayed(n, o);
                n.put("sdp", o.sdp());
            }
            case SignalingMessage.Answer a -> {
                relayed(n, a);
                n.put("sdp", a.sdp());
            }
            case SignalingMessage.Candidate c -> {
                relayed(n, c);
                candidateFields(n, c);
            }
            case SignalingMessage.Candidates b -> {
                relayed(n, b);
                ArrayNode list = n.putArray("candidates");
                for (SignalingMessage.Candidate c : b.candidates()) {
                    candidateFields(list.addObject(), c);
                }
            }
            case SignalingMessage.Bye b -> relayed(n, b);
            case SignalingMessage.LinkReport r -> {
                ArrayNode links = n.putArray("links");
                for (SignalingMessage.LinkReport.Link l : r.links()) {
                    ObjectNode o = links.addObject();
                    o.put("agent", l.agent());
                    o.put("mode", l.mode());
                    if (l.rttMs() == null) {
                        o.putNull("rtt_ms");
                    } else {
                        o.put("rtt_ms", l.rttMs());
                    }
                }
            }
            case SignalingMessage.Error e -> {
                n.put("code", e.code());
                n.put("message", e.message());
                if (e.id() != null) {
                    n.put("id", e.id());
                }
                if (e.to() != null) {
                    n.put("to", e.to());
                }
            }
            case SignalingMessage.Unknown u -> {
                return u.json();
            }
        }
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private static void candidateFields(ObjectNode n, SignalingMessage.Candidate c) {
        n.put("candidate", c.candidate());
        if (c.sdpMid() == null) {
            n.putNull("sdpMid");
        } else {
            n.put("sdpMid", c.sdpMid());
        }
        if (c.sdpMLineIndex() == null) {
            n.putNull("sdpMLineIndex");
        } else {
            n.put("sdpMLineIndex", c.sdpMLineIndex());
        }
    }

    private static void relayed(ObjectNode n, SignalingMessage.Relayed r) {
        n.put("to", r.to());
        if (r.from() != null) {
            n.put("from", r.from());
        }
    }

    /**
     * Parses one JSON text frame. Unknown {@code type}s become {@link SignalingMessage.Unknown}. Throws only
     * {@link ParseException}: {@link ParseError#INVALID_VALUE} for non-JSON, non-objects or mistyped fields,
     * {@link ParseError#INVALID_TYPE} for a missing or non-string type, {@link ParseError#INVALID_LENGTH} for a
     * missing required field.
     */
    public static SignalingMessage decode(String text) throws ParseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ParseException(ParseError.INVALID_VALUE, "not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ParseException(ParseError.INVALID_VALUE, "a message must be a JSON object");
        }
        JsonNode t = root.get("type");
        if (t == null || !t.isTextual()) {
            throw new ParseException(ParseError.INVALID_TYPE, "missing or non-string 'type'");
        }
        String type = t.textValue();
        return switch (type) {
            case "register" -> new SignalingMessage.Register(required(root, "agent_id"), optional(root, "token"),
                    stringList(root, "features"), optional(root, "presence"));
            case "registered" -> new SignalingMessage.Registered(required(root, "agent_id"),
                    stringList(root, "connected_agents"), iceServers(root), protocolVersion(root), rateLimit(root),
                    stringList(root, "features"), maxBatch(root), presenceMap(root));
            case "agent_joined" -> new SignalingMessage.AgentJoined(required(root, "agent_id"),
                    optional(root, "presence"));
            case "agent_left" -> new SignalingMessage.AgentLeft(required(root, "agent_id"));
            case "offer" -> new SignalingMessage.Offer(required(root, "to"), optional(root, "from"),
                    required(root, "sdp"));
            case "answer" -> new SignalingMessage.Answer(required(root, "to"), optional(root, "from"),
                    required(root, "sdp"));
            case "candidate" -> new SignalingMessage.Candidate(required(root, "to"), optional(root, "from"),
                    required(root, "candidate"), optional(root, "sdpMid"), index(root));
            case "candidates" -> candidates(root);
            case "bye" -> new SignalingMessage.Bye(required(root, "to"), optional(root, "from"));
            case "link_report" -> linkReport(root);
            case "error" -> new SignalingMessage.Error(required(root, "code"), required(root, "message"),
                    optional(root, "id"), optional(root, "to"));
            default -> new SignalingMessage.Unknown(type, text);
        };
    }

    private static String required(JsonNode o, String f) throws ParseException {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "missing field '" + f + "'");
        }
        if (!n.isTextual()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field '" + f + "' must be a string");
        }
        return n.textValue();
    }

    private static String optional(JsonNode o, String f) throws ParseException {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field '" + f + "' must be a string or null");
        }
        return n.textValue();
    }

    /** A link report (revision 4): 0..64 links of agent, mode and rtt_ms. */
    private static SignalingMessage.LinkReport linkReport(JsonNode root) throws ParseException {
        JsonNode n = root.get("links");
        if (n == null || n.isNull()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "missing field 'links'");
        }
        if (!n.isArray() || n.size() > SignalingMessage.LinkReport.MAX_LINKS) {
            throw new ParseException(ParseError.INVALID_VALUE, "field 'links' must be an array of at most "
                    + SignalingMessage.LinkReport.MAX_LINKS + " links");
        }
        List<SignalingMessage.LinkReport.Link> links = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw new ParseException(ParseError.INVALID_VALUE, "a link must be an object");
            }
            JsonNode rtt = e.get("rtt_ms");
            if (rtt != null && !rtt.isNull() && !rtt.isNumber()) {
                throw new ParseException(ParseError.INVALID_VALUE, "field 'rtt_ms' must be a number or null");
            }
            try {
                links.add(new SignalingMessage.LinkReport.Link(required(e, "agent"), required(e, "mode"),
                        rtt == null || rtt.isNull() ? null : rtt.doubleValue()));
            } catch (IllegalArgumentException ex) {
                throw new ParseException(ParseError.INVALID_VALUE, ex.getMessage());
            }
        }
        return new SignalingMessage.LinkReport(links);
    }

    /** A batch: 1..64 element objects, each with a candidate's fields (revision 3). */
    private static SignalingMessage.Candidates candidates(JsonNode root) throws ParseException {
        String to = required(root, "to");
        String from = optional(root, "from");
        JsonNode list = root.get("candidates");
        if (list == null || list.isNull()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "missing field 'candidates'");
        }
        if (!list.isArray()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field 'candidates' must be an array");
        }
        if (list.isEmpty() || list.size() > SignalingMessage.Candidates.MAX) {
            throw new ParseException(ParseError.INVALID_LENGTH, "field 'candidates' must hold 1 to "
                    + SignalingMessage.Candidates.MAX + " candidates, not " + list.size());
        }
        List<SignalingMessage.Candidate> out = new ArrayList<>(list.size());
        for (JsonNode e : list) {
            if (!e.isObject()) {
                throw new ParseException(ParseError.INVALID_VALUE, "each of 'candidates' must be an object");
            }
            out.add(new SignalingMessage.Candidate(to, from, required(e, "candidate"), optional(e, "sdpMid"),
                    index(e)));
        }
        return new SignalingMessage.Candidates(to, from, out);
    }

    /** {@code max_batch_candidates}: absent gives 0; else an integer 1..65535. */
    private static int maxBatch(JsonNode o) throws ParseException {
        JsonNode n = o.get("max_batch_candidates");
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > 65535) {
            throw new ParseException(ParseError.INVALID_VALUE, "max_batch_candidates must be an integer 1..65535");
        }
        return n.intValue();
    }

    private static Integer index(JsonNode o) throws ParseException {
        JsonNode n = o.get("sdpMLineIndex");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0 || n.intValue() > 65535) {
            throw new ParseException(ParseError.INVALID_VALUE, "sdpMLineIndex must be an integer 0..65535");
        }
        return n.intValue();
    }

    /** {@code rate_limit}, announced since protocol 1 revision 2: null when absent. */
    private static SignalingMessage.RateLimit rateLimit(JsonNode o) throws ParseException {
        JsonNode n = o.get("rate_limit");
        if (n == null || n.isNull()) {
            return null;
        }
        JsonNode mps = n.get("messages_per_second");
        JsonNode burst = n.get("burst");
        JsonNode backlog = n.get("max_backlog");
        JsonNode bytes = n.get("max_message_bytes");
        if (!n.isObject() || mps == null || !mps.isNumber() || burst == null || !burst.canConvertToInt()
                || backlog == null || !backlog.canConvertToInt() || bytes == null || !bytes.canConvertToInt()) {
            throw new ParseException(ParseError.INVALID_VALUE, "rate_limit must be an object with numbers "
                    + "messages_per_second, burst, max_backlog and max_message_bytes");
        }
        try {
            return new SignalingMessage.RateLimit(mps.doubleValue(), burst.intValue(), backlog.intValue(),
                    bytes.intValue());
        } catch (IllegalArgumentException e) {
            throw new ParseException(ParseError.INVALID_VALUE, "rate_limit: " + e.getMessage());
        }
    }

    private static int protocolVersion(JsonNode o) throws ParseException {
        JsonNode n = o.get("protocol_version");
        if (n == null || n.isNull()) {
            return 1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new ParseException(ParseError.INVALID_VALUE, "protocol_version must be an integer");
        }
        return n.intValue();
    }

    /** {@code registered.presence} (revision 5): absent, or an object of agent ids to opaque strings. */
    private static java.util.Map<String, String> presenceMap(JsonNode o) throws ParseException {
        JsonNode n = o.get("presence");
        if (n == null || n.isNull()) {
            return java.util.Map.of();
        }
        if (!n.isObject()) {
            throw new ParseException(ParseError.INVALID_VALUE, "field 'presence' must be an object");
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (var e : n.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ParseException(ParseError.INVALID_VALUE, "field 'presence' must hold strings");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static List<String> stringList(JsonNode o, String f) throws ParseException {
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

    private static List<IceServer> iceServers(JsonNode o) throws ParseException {
        JsonNode n = o.get("ice_servers");
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new ParseException(ParseError.INVALID_VALUE, "ice_servers must be an array");
        }
        List<IceServer> out = new ArrayList<>(n.size());
        for (JsonNode s : n) {
            if (!s.isObject()) {
                throw new ParseException(ParseError.INVALID_VALUE, "ice_servers must hold objects");
            }
            JsonNode urls = s.get("urls");
            List<String> list;
            if (urls != null && urls.isTextual()) {
                list = List.of(urls.textValue()); // RTCIceServer allows a single string
            } else {
                list = stringList(s, "urls");
            }
            if (list.isEmpty()) {
                throw new ParseException(ParseError.INVALID_LENGTH, "an ICE server needs urls");
            }
            out.add(new IceServer(list, optional(s, "username"), optional(s, "credential")));
        }
        return out;
    }
}
