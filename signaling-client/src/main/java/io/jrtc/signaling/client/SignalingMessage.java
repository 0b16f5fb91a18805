package io.jrtc.signaling.client;

import java.util.List;
import java.util.Objects;

/**
 * The messages of the jrtc signaling protocol, version 1 ({@code signaling-server/README.md}). One record
 * per message type; {@link SignalingCodec} maps them to and from JSON text frames.
 *
 * <p>Messages an application sends are the {@link Relayed} ones ({@link Offer}, {@link Answer},
 * {@link Candidate}, {@link Bye}) with {@code from == null}; the server fills in {@code from} and delivers
 * each only to the agent named in {@code to}.
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

    /** {@code {"type":"register","agent_id":…,"token":…}}; sent by the client itself on every (re)connect. */
    record Register(String agentId, String token) implements SignalingMessage {
        public Register {
            Objects.requireNonNull(agentId, "agentId");
        }

        @Override
        public String type() {
            return "register";
        }

        @Override
        public String toString() {
            return "Register[agentId=" + agentId + ", token=" + (token == null ? "none" : "<redacted>") + "]";
        }
    }

    /**
     * The server's reply to a successful register. {@code rateLimit} is the server's announced budget, or null
     * from a server that does not announce one (before protocol 1, revision 2).
     */
    record Registered(String agentId, List<String> connectedAgents, List<IceServer> iceServers, int protocolVersion,
            RateLimit rateLimit) implements SignalingMessage {
        public Registered {
            Objects.requireNonNull(agentId, "agentId");
            connectedAgents = List.copyOf(connectedAgents);
            iceServers = List.copyOf(iceServers);
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

    /** Presence: another agent registered. */
    record AgentJoined(String agentId) implements SignalingMessage {
        public AgentJoined {
            Objects.requireNonNull(agentId, "agentId");
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

    /** A message of a type this client does not know (from a newer server); kept as raw JSON. */
    record Unknown(String type, String json) implements SignalingMessage {
        public Unknown {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(json, "json");
        }
    }
}
