package io.jrtc.signaling.client;

import java.util.List;
import java.util.Objects;

/**
 * The messages of the jrtc signaling protocol, version 1 ({@code signaling-server/README.md}). One record
 * per message type; {@link SignalingCodec} maps them to and from JSON text frames.
 *
 * <p>Messages an application sends are the {@link Relayed} ones ({@link Offer}, {@link Answer},
 * {@link Candidate}, {@link Bye}) with {@code from == null}; the server fills in {@code from} and delivers
 * each only to the agent named in {@code to}. {@link Candidates} (a batch, protocol 1 revision 3) is relayed too;
 * the client builds batches from queued candidates itself and unrolls received ones.
 */
public sealed interface SignalingMessage {

    /** The wire {@code type}. */
    String type();

    /** A message the server relays to the agent in {@link #to()}. */
    sealed interface Relayed extends SignalingMessage {
        /** The target agent. */
        String to();

        /** The sender, as stamped by the server; null on messages being sent. */
        String from();
    }

    /**
     * {@code {"type":"register","agent_id":…,"token":…,"features":[…]}}; sent by the client itself on every
     * (re)connect. {@code features} (revision 3) lists what the client can receive, e.g. {@code "candidates"}.
     */
    record Register(String agentId, String token, List<String> features, String presence) implements SignalingMessage {
        public Register {
            Objects.requireNonNull(agentId, "agentId");
            features = List.copyOf(features);
        }

        /** A register without a presence blob (before revision 5). */
        public Register(String agentId, String token, List<String> features) {
            this(agentId, token, features, null);
        }

        /** A register without features. */
        public Register(String agentId, String token) {
            this(agentId, token, List.of());
        }

        @Override
        public String type() {
            return "register";
        }

        @Override
        public String toString() {
            return "Register[agentId=" + agentId + ", token=" + (token == null ? "none" : "<redacted>")
                    + ", features=" + features + "]";
        }
    }

    /**
     * The server's reply to a successful register. {@code rateLimit} is the server's announced budget, or null
     * from a server that does not announce one (before protocol 1, revision 2). {@code features} (revision 3)
     * lists what the server accepts, e.g. {@code "candidates"}, with {@code maxBatchCandidates} elements per
     * batch (0 when not announced).
     */
    record Registered(String agentId, List<String> connectedAgents, List<IceServer> iceServers, int protocolVersion,
            RateLimit rateLimit, List<String> features, int maxBatchCandidates, java.util.Map<String, String> presence)
            implements SignalingMessage {
        /** The feature a server announces when it hands out presence blobs (revision 5). */
        public static final String FEATURE_PRESENCE = "presence";

        public Registered {
            Objects.requireNonNull(agentId, "agentId");
            presence = java.util.Map.copyOf(presence);
            connectedAgents = List.copyOf(connectedAgents);
            iceServers = List.copyOf(iceServers);
            features = List.copyOf(features);
            if (maxBatchCandidates < 0) {
                throw new IllegalArgumentException("maxBatchCandidates < 0");
            }
        }

        /** A reply without presence blobs (before revision 5). */
        public Registered(String agentId, List<String> connectedAgents, List<IceServer> iceServers,
                int protocolVersion, RateLimit rateLimit, List<String> features, int maxBatchCandidates) {
            this(agentId, connectedAgents, iceServers, protocolVersion, rateLimit, features, maxBatchCandidates,
                    java.util.Map.of());
        }

        /** A reply without features (before revision 3). */
        public Registered(String agentId, List<String> connectedAgents, List<IceServer> iceServers,
                int protocolVersion, RateLimit rateLimit) {
            this(agentId, connectedAgents, iceServers, protocolVersion, rateLimit, List.of(), 0);
        }

        /**
         * Whether the server hands out the presence blobs agents register with (revision 5): then
         * {@link #presence()} has each other agent's blob (by agent id) and {@link AgentJoined#presence()} the
         * newcomer's; an agent without one registered none.
         */
        public boolean relaysPresence() {
            return features.contains(FEATURE_PRESENCE);
        }

        /** Whether the server takes {@link LinkReport}s (revision 4). */
        public boolean acceptsLinkReports() {
            return features.contains(LinkReport.FEATURE);
        }

        /** Whether the server accepts {@code candidates} batches. */
        public boolean acceptsCandidateBatches() {
            return features.contains(Candidates.FEATURE) && maxBatchCandidates > 0;
        }

        /** A reply without an announced budget. */
        public Registered(String agentId, List<String> connectedAgents, List<IceServer> iceServers,
                int protocolVersion) {
            this(agentId, connectedAgents, iceServers, protocolVersion, null);
        }

        @Override
        public String type() {
            return "registered";
        }
    }

    /**
     * The budget a server announces in {@code registered.rate_limit}: the soft limit ({@code messagesPerSecond}
     * sustained, {@code burst} at once; a faster sender is slowed down), the hard limit ({@code maxBacklog}
     * messages held beyond the soft limit; more are refused with {@code rate_limited}) and the largest message.
     */
    record RateLimit(double messagesPerSecond, int burst, int maxBacklog, int maxMessageBytes) {
        public RateLimit {
            if (!(messagesPerSecond > 0) || burst < 1 || maxBacklog < 0 || maxMessageBytes < 1) {
                throw new IllegalArgumentException("rate_limit values out of range");
            }
        }
    }

    /** Presence: another agent registered; {@code presence} is the opaque blob it registered with, or null. */
    record AgentJoined(String agentId, String presence) implements SignalingMessage {
        public AgentJoined {
            Objects.requireNonNull(agentId, "agentId");
        }

        public AgentJoined(String agentId) {
            this(agentId, null);
        }

        @Override
        public String type() {
            return "agent_joined";
        }
    }

    /** Presence: another agent left (cleanly, or its instance stopped heartbeating). */
    record AgentLeft(String agentId) implements SignalingMessage {
        public AgentLeft {
            Objects.requireNonNull(agentId, "agentId");
        }

        @Override
        public String type() {
            return "agent_left";
        }
    }

    /** An SDP offer. */
    record Offer(String to, String from, String sdp) implements Relayed {
        public Offer {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(sdp, "sdp");
        }

        /** An offer to send. */
        public Offer(String to, String sdp) {
            this(to, null, sdp);
        }

        @Override
        public String type() {
            return "offer";
        }
    }

    /** An SDP answer. */
    record Answer(String to, String from, String sdp) implements Relayed {
        public Answer {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(sdp, "sdp");
        }

        /** An answer to send. */
        public Answer(String to, String sdp) {
            this(to, null, sdp);
        }

        @Override
        public String type() {
            return "answer";
        }
    }

    /**
     * A trickled ICE candidate ({@code candidate} is the SDP {@code candidate:…} attribute value, as in
     * {@code RTCIceCandidateInit}). An empty {@code candidate} means end-of-candidates.
     */
    record Candidate(String to, String from, String candidate, String sdpMid, Integer sdpMLineIndex)
            implements Relayed {
        public Candidate {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(candidate, "candidate");
            if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > 65535)) {
                throw new IllegalArgumentException("sdpMLineIndex out of range: " + sdpMLineIndex);
            }
        }

        /** A candidate to send. */
        public Candidate(String to, String candidate, String sdpMid, Integer sdpMLineIndex) {
            this(to, null, candidate, sdpMid, sdpMLineIndex);
        }

        /** The end-of-candidates marker for one media section. */
        public static Candidate endOfCandidates(String to, String sdpMid, Integer sdpMLineIndex) {
            return new Candidate(to, null, "", sdpMid, sdpMLineIndex);
        }

        public boolean isEndOfCandidates() {
            return candidate.isEmpty();
        }

        @Override
        public String type() {
            return "candidate";
        }
    }

    /**
     * Several trickled candidates to one agent in one message (protocol 1, revision 3):
     * {@code {"type":"candidates","to":…,"candidates":[{"candidate":…,"sdpMid":…,"sdpMLineIndex":…},…]}}. The
     * elements are {@link Candidate}s with this batch's {@code to} and {@code from}; an empty {@code candidate}
     * among them is end-of-candidates. The client builds batches itself (applications call
     * {@link SignalingClient#sendCandidate} or {@link SignalingClient#sendCandidates}) and delivers a received
     * batch as its individual {@link Candidate}s, so applications never see this type.
     */
    record Candidates(String to, String from, List<Candidate> candidates) implements Relayed {
        /** The feature name in {@code register.features} and {@code registered.features}. */
        public static final String FEATURE = "candidates";
        /** The most elements in one batch (the protocol's limit). */
        public static final int MAX = 64;

        public Candidates {
            Objects.requireNonNull(to, "to");
            if (candidates.isEmpty() || candidates.size() > MAX) {
                throw new IllegalArgumentException("a batch holds 1 to " + MAX + " candidates, not "
                        + candidates.size());
            }
            candidates = candidates.stream()
                    .map(c -> new Candidate(to, from, c.candidate(), c.sdpMid(), c.sdpMLineIndex()))
                    .toList();
        }

        @Override
        public String type() {
            return "candidates";
        }
    }

    /** The end of a session with {@code to}. */
    record Bye(String to, String from) implements Relayed {
        public Bye {
            Objects.requireNonNull(to, "to");
        }

        /** A bye to send. */
        public Bye(String to) {
            this(to, null);
        }

        @Override
        public String type() {
            return "bye";
        }
    }

    /**
     * An error from the server. {@code code} is one of the protocol's snake_case codes (see
     * {@link #UNKNOWN_AGENT} and friends); {@code id} and {@code to} echo the offending message when known.
     */
    record Error(String code, String message, String id, String to) implements SignalingMessage {
        public static final String UNKNOWN_AGENT = "unknown_agent";
        public static final String NOT_REGISTERED = "not_registered";
        public static final String INVALID_MESSAGE = "invalid_message";
        public static final String AGENT_ID_TAKEN = "agent_id_taken";
        public static final String UNAUTHORIZED = "unauthorized";
        public static final String RATE_LIMITED = "rate_limited";
        public static final String TOO_LARGE = "too_large";
        public static final String SERVER_FULL = "server_full";
        public static final String IDLE_TIMEOUT = "idle_timeout";
        public static final String SERVER_DRAINING = "server_draining";
        public static final String SESSION_REPLACED = "session_replaced";
        public static final String BACKBONE_UNAVAILABLE = "backbone_unavailable";

        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "error";
        }
    }

    /**
     * {@code link_report} (revision 4, to the server only): this agent's current mesh links, at most
     * {@link #MAX_LINKS}; each replaces the last at the server, which shows them at {@code /mesh} and on its page.
     * Since revision 6 it may carry the agent's NAT behaviour ({@link Nat}; null: not known). Send with
     * {@link SignalingClient#sendLinkReport}.
     */
    record LinkReport(List<Link> links, Nat nat) implements SignalingMessage {
        /** The feature a server announces in {@code registered.features} when it takes link reports. */
        public static final String FEATURE = "link_report";
        /** The most links one report may list. */
        public static final int MAX_LINKS = 64;

        public LinkReport {
            links = List.copyOf(links);
            if (links.size() > MAX_LINKS) {
                throw new IllegalArgumentException("a link report lists at most " + MAX_LINKS + " links, not " + links.size());
            }
        }

        /** Without a NAT behaviour. */
        public LinkReport(List<Link> links) {
            this(links, null);
        }

        /**
         * The agent's NAT behaviour (revision 6) as RFC 5780 names it, lower case with dashes: {@code status} (e.g.
         * {@code complete}, {@code no-rfc5780-support}), {@code mapping} and {@code filtering} (e.g.
         * {@code endpoint-independent}, {@code address-and-port-dependent}, {@code unknown}); each 1 to 32 of
         * {@code a-z 0-9 -}, starting with a letter.
         */
        public record Nat(String status, String mapping, String filtering) {
            private static final java.util.regex.Pattern VALUE = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,31}");

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

        /**
         * One link: the neighbour's agent id, the link's mode (1 to 16 of {@code A-Z} and {@code _}, e.g. {@code HIGH},
         * {@code MEDIUM}, {@code LOW}) and its round-trip time in ms (0 to 600,000), or null when unknown.
         */
        public record Link(String agent, String mode, Double rttMs) {
            private static final java.util.regex.Pattern MODE = java.util.regex.Pattern.compile("[A-Z_]{1,16}");

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

    /** A message of a type this client does not know (from a newer server); kept as raw JSON. */
    record Unknown(String type, String json) implements SignalingMessage {
        public Unknown {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(json, "json");
        }
    }
}
