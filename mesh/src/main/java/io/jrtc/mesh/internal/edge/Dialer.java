package io.jrtc.mesh.internal.edge;

import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.LinkRecovery;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link MeshEdge}'s links: answers the core's requests for a link (dial now, wait for a turn, ask the remote
 * first, or refuse) and builds each link's {@link PeerConnection}, dialled or answered, with the link id it keeps in
 * the core. Agent loop only.
 */
final class Dialer {

    private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);

    /** How long a low-priority request to an agent in dial back-off waits before it is answered "refused". */
    static final long REFUSAL_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private final MeshEdge edge;
    private long nextLinkId = 1;

    Dialer(MeshEdge edge) {
        this.edge = edge;
    }

    /** The core wants a link to {@code agent}. */
    void connect(AgentId agent) {
        EdgeLink existing = edge.links.byAgent(agent);
        if (existing != null) {
            // the remote's offer is being answered: that link serves the request (resolved when it is up or gone)
            existing.requested = true;
            return;
        }
        if (edge.dialBackoff.active(agent, edge.now()) && edge.core.lowPriorityDial(agent)) {
            // only low-priority requests are refused for being full; a high-priority one (a JOIN, a probe, an
            // escalation after every candidate refused) is accepted, so it is not held back
            edge.loop().schedule(() -> {
                if (!edge.closed) {
                    edge.core.linkFailed(edge.now(), agent, true);
                    edge.drain();
                }
            }, REFUSAL_DELAY_NANOS, TimeUnit.NANOSECONDS);
            return;
        }
        if (edge.deferred.mustWait()) {
            edge.deferred.add(agent); // until a set-up is done or a link gone
            return;
        }
        String sid = edge.present.get(agent);
        if (sid != null && !edge.signalingEvents.verified(agent)) {
            sid = null; // its presence entry's signature is checked before its first dial: refused
        }
        if (sid == null || edge.closed) {
            edge.linksFailed++;
            edge.core.linkFailed(edge.now(), agent, false);
            return;
        }
        if (edge.asks.ask(agent, sid)) {
            return; // built only once the remote says it has room
        }
        edge.asks.dialling(agent);
        LOG.debug("mesh {}: dialling {}", edge.self().shortString(), agent.shortString());
        edge.supervisor.open(agent, sid); // the link's recovery decides the attempts (direct, then relay-only)
    }

    /** {@code agent} refused our ask: as a refused offer, without a connection having been built. */
    void askRefused(AgentId agent) {
        edge.dialBackoff.refused(agent, edge.now());
        edge.core.linkFailed(edge.now(), agent, true);
        edge.drain();
    }

    EdgeLink newLink(AgentId agent, String sid, boolean offerer) {
        return newLink(agent, sid, offerer, LinkRecovery.Path.DIRECT, -1);
    }

    /**
     * A new connection to {@code agent} over {@code path} (DIRECT: no TURN server at either end; RELAY: the offerer
     * gathers TURN candidates only, the answerer of a relay attempt every type, TURN included), with the core's link id
     * {@code reuseId} when it replaces a failed one (else a new id). An offerer's attempt is timed by its recovery;
     * an answerer's by {@code linkSetupTimeout}.
     */
    EdgeLink newLink(AgentId agent, String sid, boolean offerer, LinkRecovery.Path path, long reuseId) {
        return newLink(agent, sid, offerer, path, reuseId, false);
    }

    /** {@link #newLink(AgentId, String, boolean, LinkRecovery.Path, long)}; {@code race}: see {@link EdgeLink#race}. */
    EdgeLink newLink(AgentId agent, String sid, boolean offerer, LinkRecovery.Path path, long reuseId, boolean race) {
        MeshConfig config = edge.config;
        PeerConnection pc;
        try {
            List<IceServer> servers = new ArrayList<>(config.rtcTemplate().iceServers());
            servers.addAll(edge.iceServers);
            if (path == LinkRecovery.Path.DIRECT && !race) {
                // TURN is for relay attempts only, at both ends (an answerer learns the attempt from the offer)
                servers = LinkSupervisor.withoutTurn(servers);
            }
            long setup = Math.max(config.linkSetupTimeout().toNanos(), config.recovery().relayTimeoutNanos());
            RtcConfiguration.Builder rb = config.rtcTemplate().toBuilder().iceServers(servers)
                    .certificate(edge.certificate)
                    .dtlsTuning(CertificateRotation.dtlsTuning(config))
                    .limits((config.rtcTemplate().limits() != null ? config.rtcTemplate().limits()
                            : edge.factory.limits()).withConnectTimeout(java.time.Duration.ofNanos(setup)));
            if (offerer && path == LinkRecovery.Path.RELAY && !race) {
                rb.iceTransportPolicy(IceTransportPolicy.RELAY); // the answerer of a relay attempt keeps every type
            }
            pc = edge.factory.createPeerConnection(rb.build());
        } catch (RuntimeException e) {
            LOG.warn("mesh {}: cannot create a peer connection to {}: {}", edge.self().shortString(),
                    agent.shortString(), e.toString());
            return null;
        }
        EdgeLink l = new EdgeLink(edge, agent, sid, reuseId >= 0 ? reuseId : nextLinkId++, offerer, pc);
        l.ownFingerprint = edge.ownFingerprint;
        l.path = path;
        l.race = race && offerer;
        l.lowPriority = offerer && reuseId < 0 && edge.core.lowPriorityDial(agent);
        if (offerer && reuseId < 0) {
            l.takeBudget();
        }
        edge.links.put(l);
        if (offerer) {
            return l; // its recovery's deadline cancels it
        }
        l.setupTimer = edge.loop().schedule(() -> {
            if (edge.links.byId(l.id) == l && l.state != EdgeLink.State.UP) {
                edge.linkGone(l, "not up within " + edge.config.linkSetupTimeout().toMillis() + " ms", false);
            }
        }, edge.config.linkSetupTimeout().toNanos(), TimeUnit.NANOSECONDS);
        return l;
    }
}
