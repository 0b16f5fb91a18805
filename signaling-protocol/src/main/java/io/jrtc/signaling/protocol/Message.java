package io.jrtc.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The messages of jrtc-signaling/1 (revision 5; {@code signaling-server/README.md}), as they are on the wire: one
 * record per {@code type}, chosen by Jackson from the {@code "type"} property ({@link JsonTypeInfo} and
 * {@link JsonSubTypes}). Field names are the wire's; optional fields are null (or empty) when absent. Fields a
 * record does not know are kept in {@code extra}, in order, and written back after the known ones. A type this
 * version does not know decodes to {@link Unknown}. {@link SignalingJson} reads and writes them.
 *
 * <p>Each record's JSON creator checks its fields: a missing required field fails with
 * {@link ParseError#INVALID_LENGTH}, a mistyped or out-of-range one with {@link ParseError#INVALID_VALUE}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Message.Register.class, name = "register"),
        @JsonSubTypes.Type(value = Message.Registered.class, name = "registered"),
        @JsonSubTypes.Type(value = Message.AgentJoined.class, name = "agent_joined"),
        @JsonSubTypes.Type(value = Message.AgentLeft.class, name = "agent_left"),
        @JsonSubTypes.Type(value = Message.Offer.class, name = "offer"),
        @JsonSubTypes.Type(value = Message.Answer.class, name = "answer"),
        @JsonSubTypes.Type(value = Message.Candidate.class, name = "candidate"),
        @JsonSubTypes.Type(value = Message.Candidates.class, name = "candidates"),
        @JsonSubTypes.Type(value = Message.Bye.class, name = "bye"),
        @JsonSubTypes.Type(value = Message.LinkReport.class, name = "link_report"),
        @JsonSubTypes.Type(value = Message.Error.class, name = "error")})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Message {

    /** The wire {@code type}. */
    @JsonIgnore
    String type();

    /** The fields this version does not know, in wire order; written after the known ones. */
    @JsonAnyGetter
    Map<String, JsonNode> extra();

    /** A message relayed to the agent in {@link #to()}, with {@code from} stamped by the server. */
    sealed interface Relayed extends Message {
        String to();

        /** The sender as the server stamped it; null on a message being sent. */
        String from();
    }

    /** {@code register}: {@code agent_id}, {@code token}, {@code features} (revision 3), {@code presence} (revision 5). */
    @JsonPropertyOrder({"agent_id", "token", "features", "presence"})
    record Register(@JsonProperty("agent_id") String agentId, String token,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> features, String presence,
            @JsonIgnore Map<String, JsonNode> extra) implements Message {
        private static final Set<String> KNOWN = Set.of("agent_id", "token", "features", "presence");

        public Register {
            Objects.requireNonNull(agentId, "agentId");
            features = features == null ? List.of() : List.copyOf(features);
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Register fromJson(ObjectNode o) throws ParseException {
            return new Register(Fields.required(o, "agent_id"), Fields.optional(o, "token"),
                    Fields.strings(o, "features"), Fields.optional(o, "presence"), Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "register";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }

        @Override
        public String toString() {
            return "Register[agentId=" + agentId + ", token=" + (token == null ? "none" : "<redacted>")
                    + ", features=" + features + ", presence=" + presence + ", extra=" + extra.keySet() + "]";
        }
    }

    /**
     * {@code registered}: {@code agent_id}, {@code connected_agents}, {@code ice_servers}, {@code protocol_version}
     * (null when absent), {@code rate_limit} (revision 2), {@code features} and {@code max_batch_candidates}
     * (revision 3), {@code presence} (revision 5: agent id to blob); {@code features} and {@code presence} are null
     * when absent (an empty one is written as {@code []} or <code>{}</code>).
     */
    @JsonPropertyOrder({"agent_id", "connected_agents", "ice_servers", "protocol_version", "rate_limit", "features",
            "max_batch_candidates", "presence"})
    record Registered(@JsonProperty("agent_id") String agentId,
            @JsonProperty("connected_agents") List<String> connectedAgents,
            @JsonProperty("ice_servers") List<IceServer> iceServers,
            @JsonProperty("protocol_version") Integer protocolVersion,
            @JsonProperty("rate_limit") RateLimit rateLimit,
            List<String> features,
            @JsonProperty("max_batch_candidates") Integer maxBatchCandidates,
            Map<String, String> presence,
            @JsonIgnore Map<String, JsonNode> extra) implements Message {
        private static final Set<String> KNOWN = Set.of("agent_id", "connected_agents", "ice_servers",
                "protocol_version", "rate_limit", "features", "max_batch_candidates", "presence");

        public Registered {
            Objects.requireNonNull(agentId, "agentId");
            connectedAgents = connectedAgents == null ? List.of() : List.copyOf(connectedAgents);
            iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
            features = features == null ? null : List.copyOf(features);
            presence = presence == null ? null
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(presence));
            if (maxBatchCandidates != null && (maxBatchCandidates < 1 || maxBatchCandidates > 65535)) {
                throw new IllegalArgumentException("max_batch_candidates must be 1..65535");
            }
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Registered fromJson(ObjectNode o) throws ParseException {
            return new Registered(Fields.required(o, "agent_id"), Fields.strings(o, "connected_agents"),
                    IceServer.list(o), protocolVersion(o), RateLimit.of(o), features(o),
                    maxBatch(o), presence(o), Fields.extra(o, KNOWN));
        }

        private static Integer protocolVersion(JsonNode o) throws ParseException {
            JsonNode n = o.get("protocol_version");
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new ParseException(ParseError.INVALID_VALUE, "protocol_version must be an integer");
            }
            return n.intValue();
        }

        private static List<String> features(JsonNode o) throws ParseException {
            JsonNode n = o.get("features");
            return n == null || n.isNull() ? null : Fields.strings(o, "features");
        }

        private static Integer maxBatch(JsonNode o) throws ParseException {
            JsonNode n = o.get("max_batch_candidates");
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > 65535) {
                throw new ParseException(ParseError.INVALID_VALUE, "max_batch_candidates must be an integer 1..65535");
            }
            return n.intValue();
        }

        private static Map<String, String> presence(JsonNode o) throws ParseException {
            JsonNode n = o.get("presence");
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isObject()) {
                throw new ParseException(ParseError.INVALID_VALUE, "field 'presence' must be an object");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (var e : n.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new ParseException(ParseError.INVALID_VALUE, "field 'presence' must hold strings");
                }
                out.put(e.getKey(), e.getValue().textValue());
            }
            return out;
        }

        @Override
        public String type() {
            return "registered";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /** One of {@code registered.ice_servers}, a W3C {@code RTCIceServer}; {@code urls} may be one string on the wire. */
    @JsonPropertyOrder({"urls", "username", "credential"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record IceServer(List<String> urls, String username, String credential) {
        public IceServer {
            urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        }

        static List<IceServer> list(JsonNode o) throws ParseException {
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
                List<String> list = urls != null && urls.isTextual() ? List.of(urls.textValue())
                        : Fields.strings(s, "urls");
                if (list.isEmpty()) {
                    throw new ParseException(ParseError.INVALID_LENGTH, "an ICE server needs urls");
                }
                out.add(new IceServer(list, Fields.optional(s, "username"), Fields.optional(s, "credential")));
            }
            return out;
        }

        @Override
        public String toString() {
            return "IceServer[urls=" + urls + ", username=" + username + ", credential="
                    + (credential == null ? "none" : "<redacted>") + "]";
        }
    }

    /** {@code registered.rate_limit} (revision 2): the budget a client paces itself to. */
    @JsonPropertyOrder({"messages_per_second", "burst", "max_backlog", "max_message_bytes"})
    record RateLimit(@JsonProperty("messages_per_second") double messagesPerSecond, int burst,
            @JsonProperty("max_backlog") int maxBacklog, @JsonProperty("max_message_bytes") int maxMessageBytes) {
        public RateLimit {
            if (!(messagesPerSecond > 0) || burst < 1 || maxBacklog < 0 || maxMessageBytes < 1) {
                throw new IllegalArgumentException("rate_limit values out of range");
            }
        }

        static RateLimit of(JsonNode o) throws ParseException {
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
                return new RateLimit(mps.doubleValue(), burst.intValue(), backlog.intValue(), bytes.intValue());
            } catch (IllegalArgumentException e) {
                throw new ParseException(ParseError.INVALID_VALUE, "rate_limit: " + e.getMessage());
            }
        }
    }

    /** {@code agent_joined}: {@code agent_id}, and {@code presence} (revision 5) when it registered a blob. */
    @JsonPropertyOrder({"agent_id", "presence"})
    record AgentJoined(@JsonProperty("agent_id") String agentId, String presence,
            @JsonIgnore Map<String, JsonNode> extra) implements Message {
        private static final Set<String> KNOWN = Set.of("agent_id", "presence");

        public AgentJoined {
            Objects.requireNonNull(agentId, "agentId");
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static AgentJoined fromJson(ObjectNode o) throws ParseException {
            return new AgentJoined(Fields.required(o, "agent_id"), Fields.optional(o, "presence"),
                    Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "agent_joined";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /** {@code agent_left}: {@code agent_id}. */
    record AgentLeft(@JsonProperty("agent_id") String agentId, @JsonIgnore Map<String, JsonNode> extra)
            implements Message {
        private static final Set<String> KNOWN = Set.of("agent_id");

        public AgentLeft {
            Objects.requireNonNull(agentId, "agentId");
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static AgentLeft fromJson(ObjectNode o) throws ParseException {
            return new AgentLeft(Fields.required(o, "agent_id"), Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "agent_left";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /** {@code offer}: {@code to}, {@code from}, {@code sdp}. */
    @JsonPropertyOrder({"to", "from", "sdp"})
    record Offer(String to, String from, String sdp, @JsonIgnore Map<String, JsonNode> extra) implements Relayed {
        private static final Set<String> KNOWN = Set.of("to", "from", "sdp");

        public Offer {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(sdp, "sdp");
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Offer fromJson(ObjectNode o) throws ParseException {
            return new Offer(Fields.required(o, "to"), Fields.optional(o, "from"), Fields.required(o, "sdp"),
                    Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "offer";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /** {@code answer}: {@code to}, {@code from}, {@code sdp}. */
    @JsonPropertyOrder({"to", "from", "sdp"})
    record Answer(String to, String from, String sdp, @JsonIgnore Map<String, JsonNode> extra) implements Relayed {
        private static final Set<String> KNOWN = Set.of("to", "from", "sdp");

        public Answer {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(sdp, "sdp");
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Answer fromJson(ObjectNode o) throws ParseException {
            return new Answer(Fields.required(o, "to"), Fields.optional(o, "from"), Fields.required(o, "sdp"),
                    Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "answer";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /**
     * {@code candidate}: {@code to}, {@code from}, {@code candidate} (empty: end-of-candidates), {@code sdpMid} and
     * {@code sdpMLineIndex} (0..65535), both written even when null.
     */
    @JsonPropertyOrder({"to", "from", "candidate", "sdpMid", "sdpMLineIndex"})
    record Candidate(String to, String from, String candidate,
            @JsonProperty("sdpMid") @JsonInclude(JsonInclude.Include.ALWAYS) String sdpMid,
            @JsonProperty("sdpMLineIndex") @JsonInclude(JsonInclude.Include.ALWAYS) Integer sdpMLineIndex,
            @JsonIgnore Map<String, JsonNode> extra) implements Relayed {
        private static final Set<String> KNOWN = Set.of("to", "from", "candidate", "sdpMid", "sdpMLineIndex");

        public Candidate {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(candidate, "candidate");
            Element.checkIndex(sdpMLineIndex);
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Candidate fromJson(ObjectNode o) throws ParseException {
            return new Candidate(Fields.required(o, "to"), Fields.optional(o, "from"),
                    Fields.required(o, "candidate"), Fields.optional(o, "sdpMid"), Fields.index(o, "sdpMLineIndex"),
                    Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "candidate";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /**
     * {@code candidates} (revision 3): {@code to}, {@code from} and 1 to {@link #MAX} {@link Element}s, each a
     * candidate's own fields.
     */
    @JsonPropertyOrder({"to", "from", "candidates"})
    record Candidates(String to, String from, List<Element> candidates, @JsonIgnore Map<String, JsonNode> extra)
            implements Relayed {
        /** The feature name in {@code register.features} and {@code registered.features}. */
        public static final String FEATURE = "candidates";
        /** The most elements in one batch. */
        public static final int MAX = 64;
        private static final Set<String> KNOWN = Set.of("to", "from", "candidates");

        public Candidates {
            Objects.requireNonNull(to, "to");
            candidates = List.copyOf(candidates);
            if (candidates.isEmpty() || candidates.size() > MAX) {
                throw new IllegalArgumentException("a batch holds 1 to " + MAX + " candidates, not "
                        + candidates.size());
            }
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Candidates fromJson(ObjectNode o) throws ParseException {
            String to = Fields.required(o, "to");
            String from = Fields.optional(o, "from");
            JsonNode list = Fields.array(o, "candidates");
            if (list.isEmpty() || list.size() > MAX) {
                throw new ParseException(ParseError.INVALID_LENGTH, "field 'candidates' must hold 1 to " + MAX
                        + " candidates, not " + list.size());
            }
            List<Element> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                ObjectNode e = Fields.object(list.get(i), "candidates[" + i + "]");
                try {
                    out.add(new Element(Fields.required(e, "candidate"), Fields.optional(e, "sdpMid"),
                            Fields.index(e, "sdpMLineIndex"), Fields.extra(e, Element.KNOWN, false)));
                } catch (ParseException pe) {
                    String m = pe.getMessage();
                    String prefix = pe.error() + ": ";
                    throw new ParseException(pe.error(), "candidates[" + i + "]: "
                            + (m.startsWith(prefix) ? m.substring(prefix.length()) : m));
                }
            }
            return new Candidates(to, from, out, Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "candidates";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /**
     * One element of a {@link Candidates} batch; {@code sdpMid} and {@code sdpMLineIndex} are written even when null.
     * Its {@code extra} holds any other field, a {@code type}, {@code to}, {@code from} or {@code id} included.
     */
    @JsonPropertyOrder({"candidate", "sdpMid", "sdpMLineIndex"})
    record Element(String candidate, @JsonProperty("sdpMid") String sdpMid,
            @JsonProperty("sdpMLineIndex") Integer sdpMLineIndex, @JsonIgnore Map<String, JsonNode> extra) {
        static final Set<String> KNOWN = Set.of("candidate", "sdpMid", "sdpMLineIndex");

        public Element {
            Objects.requireNonNull(candidate, "candidate");
            checkIndex(sdpMLineIndex);
            extra = Fields.copyAny(extra);
        }

        static void checkIndex(Integer sdpMLineIndex) {
            if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > 65535)) {
                throw new IllegalArgumentException("sdpMLineIndex out of range: " + sdpMLineIndex);
            }
        }

        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /** {@code bye}: {@code to}, {@code from}. */
    @JsonPropertyOrder({"to", "from"})
    record Bye(String to, String from, @JsonIgnore Map<String, JsonNode> extra) implements Relayed {
        private static final Set<String> KNOWN = Set.of("to", "from");

        public Bye {
            Objects.requireNonNull(to, "to");
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Bye fromJson(ObjectNode o) throws ParseException {
            return new Bye(Fields.required(o, "to"), Fields.optional(o, "from"), Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "bye";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /**
     * {@code link_report} (revision 4): 0 to {@link #MAX_LINKS} {@link Link}s, and since revision 6 an optional
     * {@code nat}: the sender's NAT behaviour as its last RFC 5780 check found it ({@link Nat}; omitted when unknown).
     */
    @JsonPropertyOrder({"links", "nat"})
    record LinkReport(List<Link> links, @JsonInclude(JsonInclude.Include.NON_NULL) Nat nat,
            @JsonIgnore Map<String, JsonNode> extra) implements Message {
        /** The feature a server announces when it takes link reports. */
        public static final String FEATURE = "link_report";
        /** The most links one report may list. */
        public static final int MAX_LINKS = 64;
        private static final Set<String> KNOWN = Set.of("links", "nat");

        /** Without a NAT behaviour (revision 4). */
        public LinkReport(List<Link> links, Map<String, JsonNode> extra) {
            this(links, null, extra);
        }

        public LinkReport {
            links = List.copyOf(links);
            if (links.size() > MAX_LINKS) {
                throw new IllegalArgumentException("a link report lists at most " + MAX_LINKS + " links, not "
                        + links.size());
            }
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static LinkReport fromJson(ObjectNode o) throws ParseException {
            JsonNode n = Fields.array(o, "links");
            if (n.size() > MAX_LINKS) {
                throw new ParseException(ParseError.INVALID_LENGTH, "field 'links' must hold at most " + MAX_LINKS
                        + " links, not " + n.size());
            }
            List<Link> links = new ArrayList<>(n.size());
            for (int i = 0; i < n.size(); i++) {
                ObjectNode e = Fields.object(n.get(i), "links[" + i + "]");
                String agent = Fields.required(e, "agent");
                String mode = Fields.required(e, "mode");
                if (!Link.MODE.matcher(mode).matches()) {
                    throw new ParseException(ParseError.INVALID_VALUE, "links[" + i + "].mode must be 1 to 16 of A-Z and _");
                }
                JsonNode rtt = e.get("rtt_ms");
                Double rttMs = null;
                if (rtt != null && !rtt.isNull()) {
                    if (!rtt.isNumber() || !(rtt.doubleValue() >= 0 && rtt.doubleValue() <= 600_000)) {
                        throw new ParseException(ParseError.INVALID_VALUE, "links[" + i + "].rtt_ms must be 0..600000 or null");
                    }
                    rttMs = rtt.doubleValue();
                }
                links.add(new Link(agent, mode, rttMs));
            }
            Nat nat = null;
            JsonNode n2 = o.get("nat");
            if (n2 != null && !n2.isNull()) {
                ObjectNode no = Fields.object(n2, "nat");
                String[] v = new String[3];
                String[] names = {"status", "mapping", "filtering"};
                for (int i = 0; i < 3; i++) {
                    v[i] = Fields.required(no, names[i]);
                    if (!Nat.VALUE.matcher(v[i]).matches()) {
                        throw new ParseException(ParseError.INVALID_VALUE, "nat." + names[i]
                                + " must be 1 to 32 of a-z, 0-9 and -, starting with a letter");
                    }
                }
                nat = new Nat(v[0], v[1], v[2]);
            }
            return new LinkReport(links, nat, Fields.extra(o, KNOWN));
        }

        /**
         * The sender's NAT behaviour (revision 6), RFC 5780's words in lower case with dashes: {@code status}
         * ({@code complete}, {@code no-rfc5780-support}, {@code server-unreachable}, {@code server-error}),
         * {@code mapping} and {@code filtering} ({@code endpoint-independent}, {@code address-dependent},
         * {@code address-and-port-dependent}, {@code unknown}). Each 1 to 32 of {@code a-z 0-9 -}, starting with a
         * letter; a server shows them as they are.
         */
        @JsonPropertyOrder({"status", "mapping", "filtering"})
        public record Nat(String status, String mapping, String filtering) {
            static final java.util.regex.Pattern VALUE = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,31}");

            public Nat {
                for (String v : new String[] {status, mapping, filtering}) {
                    if (v == null || !VALUE.matcher(v).matches()) {
                        throw new IllegalArgumentException("a NAT field is 1 to 32 of a-z, 0-9 and -, starting with a "
                                + "letter, not '" + v + "'");
                    }
                }
            }
        }

        @Override
        public String type() {
            return "link_report";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }

        /** One link: the neighbour's agent id, the mode (1 to 16 of {@code A-Z _}), the RTT in ms (0..600,000) or null. */
        @JsonPropertyOrder({"agent", "mode", "rtt_ms"})
        public record Link(String agent, String mode,
                @JsonProperty("rtt_ms") @JsonInclude(JsonInclude.Include.ALWAYS) Double rttMs) {
            static final java.util.regex.Pattern MODE = java.util.regex.Pattern.compile("[A-Z_]{1,16}");

            public Link {
                Objects.requireNonNull(agent, "agent");
                Objects.requireNonNull(mode, "mode");
                if (!MODE.matcher(mode).matches()) {
                    throw new IllegalArgumentException("a link mode is 1 to 16 of A-Z and _, not '" + mode + "'");
                }
                if (rttMs != null && !(rttMs >= 0 && rttMs <= 600_000)) {
                    throw new IllegalArgumentException("rttMs must be 0..600000 or null, not " + rttMs);
                }
            }
        }
    }

    /** {@code error}: {@code code} (snake_case), {@code message}, and the echoes {@code id} and {@code to}. */
    @JsonPropertyOrder({"code", "message", "id", "to"})
    record Error(String code, String message, String id, String to, @JsonIgnore Map<String, JsonNode> extra)
            implements Message {
        private static final Set<String> KNOWN = Set.of("code", "message", "id", "to");

        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            extra = Fields.copy(extra);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Error fromJson(ObjectNode o) throws ParseException {
            return new Error(Fields.required(o, "code"), Fields.required(o, "message"), Fields.optional(o, "id"),
                    Fields.optional(o, "to"), Fields.extra(o, KNOWN));
        }

        @Override
        public String type() {
            return "error";
        }

        @Override
        @JsonAnyGetter
        public Map<String, JsonNode> extra() {
            return extra;
        }
    }

    /** A message of a type this version does not know, kept as the text it came in. */
    record Unknown(String type, String json) implements Message {
        public Unknown {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(json, "json");
        }

        @Override
        public Map<String, JsonNode> extra() {
            return Map.of();
        }
    }
}
