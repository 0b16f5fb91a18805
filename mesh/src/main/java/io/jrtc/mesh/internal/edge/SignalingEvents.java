package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.jrtc.signaling.client.SignalingMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What signaling tells a {@link MeshEdge}: its registration (ICE servers, the agents present, the JOIN contact),
 * presence changes, and the offer/answer/candidate/bye/error messages of its links. Agent loop only.
 */
final class SignalingEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SignalingEvents.class);

    private final MeshEdge edge;

    SignalingEvents(MeshEdge edge) {
        this.edge = edge;
    }

    void onRegistered(SignalingMessage.Registered r) {
        if (edge.closed) {
            return;
        }
        if (edge.config.iceServers() != null) {
            edge.iceServers = edge.config.iceServers();
        } else {
            edge.iceServers = r.iceServers().stream()
                    .flatMap(s -> io.jrtc.ice.IceServer.withUsableUrls(s.urls(), s.username(), s.credential()).stream())
                    .toList();
        }
        List<AgentId> found = new ArrayList<>();
        for (String s : r.connectedAgents()) {
            AgentId a = SignalingIds.agentOf(s);
            if (a != null && !a.equals(edge.self())) {
                edge.present.put(a, s);
                found.add(a);
            }
        }
        LOG.info("mesh {}: registered as {}; {} mesh agent(s) present", edge.self().shortString(), r.agentId(), found.size());
        edge.audit.record("agent.registered", Map.of("agent", edge.self().toString(), "present", "" + found.size()));
        long now = edge.now();
        if (!found.isEmpty()) {
            java.util.Collections.shuffle(found, new java.util.Random(edge.random.nextLong()));
            edge.core.addCandidates(now, found.subList(0, Math.min(found.size(), edge.config.overlay().passiveSize)));
            if (!edge.joined && edge.core.activeView().isEmpty()) {
                edge.joined = true;
                edge.core.join(now, found.get(0));
            }
        }
        edge.drain();
    }

    void onSignal(SignalingMessage m) {
        if (edge.closed) {
            return;
        }
        switch (m) {
            case SignalingMessage.AgentJoined j -> {
                AgentId a = SignalingIds.agentOf(j.agentId());
                if (a != null && !a.equals(edge.self())) {
                    edge.present.put(a, j.agentId());
                    edge.audit.record("agent.joined", Map.of("agent", a.toString(), "signaling_id", j.agentId()));
                    edge.core.addCandidates(edge.now(), List.of(a));
                    edge.drain();
                }
            }
            case SignalingMessage.AgentLeft left -> {
                AgentId a = SignalingIds.agentOf(left.agentId());
                if (a != null && edge.present.remove(a) != null) {
                    edge.audit.record("agent.left", Map.of("agent", a.toString(), "signaling_id", left.agentId()));
                    EdgeLink l = edge.links.byAgent(a);
                    if (l != null && l.state != EdgeLink.State.UP) {
                        edge.linkGone(l, "agent left signaling", false);
                    }
                }
            }
            case SignalingMessage.Offer o -> edge.negotiation().onOffer(o);
            case SignalingMessage.Answer a -> edge.negotiation().onAnswer(a);
            case SignalingMessage.Candidate c -> edge.negotiation().onCandidate(c);
            case SignalingMessage.Bye b -> {
                EdgeLink l = edge.negotiation().agentLink(b.from());
                if (l != null) {
                    boolean refused = l.offerer && !l.answered;
                    edge.linkGone(l, refused ? "refused by the remote" : "bye from the remote", refused);
                }
            }
            case SignalingMessage.Error e -> {
                LOG.debug("mesh {}: signaling error {}: {}", edge.self().shortString(), e.code(), e.message());
                if (SignalingMessage.Error.UNKNOWN_AGENT.equals(e.code()) && e.to() != null) {
                    EdgeLink l = edge.negotiation().agentLink(e.to());
                    if (l != null) {
                        edge.linkGone(l, "unknown to signaling", false);
                    }
                }
            }
            default -> { }
        }
    }
}
