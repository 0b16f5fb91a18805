package io.jrtc.signaling.client;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.signaling.protocol.Message;
import io.jrtc.signaling.protocol.SignalingJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON encoding of {@link SignalingMessage}s (protocol version 1): maps them to and from the protocol's wire records
 * ({@code io.jrtc.signaling.protocol}, shared with the server), which Jackson reads and writes. Fields the client
 * does not know are dropped on decode. Stateless and thread-safe.
 */
public final class SignalingCodec {

    private SignalingCodec() {
    }

    /** The JSON text frame for {@code m}. */
    public static String encode(SignalingMessage m) {
        return SignalingJson.encode(toWire(m));
    }

    /**
     * Parses one JSON text frame. Unknown {@code type}s become {@link SignalingMessage.Unknown}. Throws only
     * {@link ParseException}: {@link ParseError#INVALID_VALUE} for non-JSON, non-objects or mistyped fields,
     * {@link ParseError#INVALID_TYPE} for a missing or non-string type, {@link ParseError#INVALID_LENGTH} for a
     * missing required field.
     */
    public static SignalingMessage decode(String text) throws ParseException {
        Message m = SignalingJson.decode(text);
        try {
            return fromWire(m);
        } catch (IllegalArgumentException e) {
            throw new ParseException(ParseError.INVALID_VALUE, e.getMessage());
        }
    }

    private static Message toWire(SignalingMessage m) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> none = Map.of();
        return switch (m) {
            case SignalingMessage.Register r -> new Message.Register(r.agentId(), r.token(), r.features(),
                    r.presence(), none);
            case SignalingMessage.Registered r -> new Message.Registered(r.agentId(), r.connectedAgents(),
                    r.iceServers().stream()
                            .map(s -> new Message.IceServer(s.urls(), s.username(), s.credential())).toList(),
                    r.protocolVersion(), r.rateLimit() == null ? null : new Message.RateLimit(
                            r.rateLimit().messagesPerSecond(), r.rateLimit().burst(), r.rateLimit().maxBacklog(),
                            r.rateLimit().maxMessageBytes()),
                    r.features().isEmpty() ? null : r.features(),
                    r.maxBatchCandidates() == 0 ? null : r.maxBatchCandidates(),
                    r.presence().isEmpty() ? null : r.presence(), none);
            case SignalingMessage.AgentJoined j -> new Message.AgentJoined(j.agentId(), j.presence(), none);
            case SignalingMessage.AgentLeft l -> new Message.AgentLeft(l.agentId(), none);
            case SignalingMessage.Offer o -> new Message.Offer(o.to(), o.from(), o.sdp(), none);
            case SignalingMessage.Answer a -> new Message.Answer(a.to(), a.from(), a.sdp(), none);
            case SignalingMessage.Candidate c -> new Message.Candidate(c.to(), c.from(), c.candidate(), c.sdpMid(),
                    c.sdpMLineIndex(), none);
            case SignalingMessage.Candidates b -> new Message.Candidates(b.to(), b.from(), b.candidates().stream()
                    .map(c -> new Message.Element(c.candidate(), c.sdpMid(), c.sdpMLineIndex(), none)).toList(), none);
            case SignalingMessage.Bye b -> new Message.Bye(b.to(), b.from(), none);
            case SignalingMessage.LinkReport r -> new Message.LinkReport(r.links().stream()
                    .map(l -> new Message.LinkReport.Link(l.agent(), l.mode(), l.rttMs())).toList(),
                    r.nat() == null ? null : new Message.LinkReport.Nat(r.nat().status(), r.nat().mapping(),
                            r.nat().filtering()), none);
            case SignalingMessage.Error e -> new Message.Error(e.code(), e.message(), e.id(), e.to(), none);
            case SignalingMessage.Unknown u -> new Message.Unknown(u.type(), u.json());
        };
    }

    private static SignalingMessage fromWire(Message m) {
        return switch (m) {
            case Message.Register r -> new SignalingMessage.Register(r.agentId(), r.token(), r.features(),
                    r.presence());
            case Message.Registered r -> {
                List<IceServer> servers = new ArrayList<>(r.iceServers().size());
                for (Message.IceServer s : r.iceServers()) {
                    servers.add(new IceServer(s.urls(), s.username(), s.credential()));
                }
                Message.RateLimit rl = r.rateLimit();
                yield new SignalingMessage.Registered(r.agentId(), r.connectedAgents(), servers,
                        r.protocolVersion() == null ? 1 : r.protocolVersion(),
                        rl == null ? null : new SignalingMessage.RateLimit(rl.messagesPerSecond(), rl.burst(),
                                rl.maxBacklog(), rl.maxMessageBytes()),
                        r.features() == null ? List.of() : r.features(),
                        r.maxBatchCandidates() == null ? 0 : r.maxBatchCandidates(),
                        r.presence() == null ? Map.of() : r.presence());
            }
            case Message.AgentJoined j -> new SignalingMessage.AgentJoined(j.agentId(), j.presence());
            case Message.AgentLeft l -> new SignalingMessage.AgentLeft(l.agentId());
            case Message.Offer o -> new SignalingMessage.Offer(o.to(), o.from(), o.sdp());
            case Message.Answer a -> new SignalingMessage.Answer(a.to(), a.from(), a.sdp());
            case Message.Candidate c -> new SignalingMessage.Candidate(c.to(), c.from(), c.candidate(), c.sdpMid(),
                    c.sdpMLineIndex());
            case Message.Candidates b -> new SignalingMessage.Candidates(b.to(), b.from(), b.candidates().stream()
                    .map(e -> new SignalingMessage.Candidate(b.to(), b.from(), e.candidate(), e.sdpMid(),
                            e.sdpMLineIndex())).toList());
            case Message.Bye b -> new SignalingMessage.Bye(b.to(), b.from());
            case Message.LinkReport r -> new SignalingMessage.LinkReport(r.links().stream()
                    .map(l -> new SignalingMessage.LinkReport.Link(l.agent(), l.mode(), l.rttMs())).toList(),
                    r.nat() == null ? null : new SignalingMessage.LinkReport.Nat(r.nat().status(), r.nat().mapping(),
                            r.nat().filtering()));
            case Message.Error e -> new SignalingMessage.Error(e.code(), e.message(), e.id(), e.to());
            case Message.Unknown u -> new SignalingMessage.Unknown(u.type(), u.json());
        };
    }
}
