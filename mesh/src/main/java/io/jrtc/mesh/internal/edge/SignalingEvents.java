package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.jrtc.signaling.client.SignalingMessage;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final io.jrtc.mesh.MeshVerifier verifier;
    /** The server hands out presence blobs (revision 5): an entry without a valid signed one is ignored. */
    private boolean presenceSigned;

    SignalingEvents(MeshEdge edge) {
        this.edge = edge;
        this.verifier = edge.newVerifier();
    }

    /**
     * Presence entries that passed every check but the signature, by agent: their signaling id and blob. The
     * signature is checked when the entry is first used ({@link #verified}: before a dial, or by
     * {@code presentAgents()}); most entries never are (an agent dials a few dozen of the agents it hears of), and
     * checking each on arrival cost every agent an Ed25519 verification per other agent: a third of the CPU of a
     * 100-agent overlay forming (mesh README, "Signed presence").
     */
    private final Map<AgentId, String[]> unverified = new HashMap<>();

    /**
     * Whether the presence entry of {@code agent} (registered as {@code signalingId}) may be used: always when the
     * server does not relay presence blobs; otherwise only with a blob that passes {@link SignedPresence#check}; its
     * signature waits for {@link #verified}. A refusal is counted ({@code MeshStats.presenceRefused}) and audited
     * {@code presence.refused}.
     */
    private boolean accepted(AgentId agent, String signalingId, String blob) {
        if (!presenceSigned) {
            return true;
        }
        SignedPresence.Verdict v = SignedPresence.check(blob, agent, signalingId, System.currentTimeMillis());
        if (v == SignedPresence.Verdict.OK) {
            unverified.put(agent, new String[] {signalingId, blob});
            return true;
        }
        refuse(agent, signalingId, v);
        return false;
    }

    private void refuse(AgentId agent, String signalingId, SignedPresence.Verdict v) {
        edge.presenceRefused++;
        LOG.warn("mesh {}: presence of {} refused: {}", edge.self().shortString(), signalingId, v);
        edge.audit.record("presence.refused", Map.of("agent", agent.toString(), "signaling_id", signalingId,
                "reason", v.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * Checks the signature of {@code agent}'s presence entry if it was not yet: true when the entry may be used
     * (or came from a server that relays no blobs); false when it was refused, and it then leaves the present agents.
     */
    boolean verified(AgentId agent) {
        String[] e = unverified.remove(agent);
        if (e == null) {
            return true;
        }
        SignedPresence.Verdict v = SignedPresence.verifySignature(e[1], e[0], verifier);
        if (v == SignedPresence.Verdict.OK) {
            return true;
        }
        edge.present.remove(agent, e[0]);
        refuse(agent, e[0], v);
        return false;
    }

    /** Checks every entry not checked yet (for {@code presentAgents()}). */
    void verifyAll() {
        for (AgentId a : new ArrayList<>(unverified.keySet())) {
            verified(a);
        }
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
        edge.nat.registered();
        presenceSigned = r.relaysPresence();
        List<AgentId> found = new ArrayList<>();
        for (String s : r.connectedAgents()) {
            AgentId a = SignalingIds.agentOf(s);
            if (a != null && !a.equals(edge.self()) && accepted(a, s, r.presence().get(s))) {
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
                if (a != null && !a.equals(edge.self()) && accepted(a, j.agentId(), j.presence())) {
                    edge.present.put(a, j.agentId());
                    edge.audit.record("agent.joined", Map.of("agent", a.toString(), "signaling_id", j.agentId()));
                    edge.core.addCandidates(edge.now(), List.of(a));
                    edge.drain();
                }
            }
            case SignalingMessage.AgentLeft left -> {
                AgentId a = SignalingIds.agentOf(left.agentId());
                if (a != null && edge.present.remove(a) != null) {
                    unverified.remove(a);
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
                if (edge.asks.onBye(SignalingIds.agentOf(b.from()), b.from())) {
                    return; // our ask was refused: no connection was built
                }
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
