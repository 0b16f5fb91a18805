package io.jrtc.mesh.internal.edge;

import io.jrtc.dtls.Fingerprint;
import io.jrtc.dtls.HashFunction;
import io.jrtc.mesh.AgentId;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offer/answer/candidate exchange of a {@link MeshEdge}'s links over signaling: answering offers (admission and
 * glare), sending our descriptions and trickled candidates, applying answers and remote candidates. Agent loop only.
 */
final class Negotiation {

    private static final Logger LOG = LoggerFactory.getLogger(Negotiation.class);

    private final MeshEdge edge;

    Negotiation(MeshEdge edge) {
        this.edge = edge;
    }

    /** The link of the agent {@code signalingId} names, if it was made with that signaling id. */
    EdgeLink agentLink(String signalingId) {
        AgentId a = SignalingIds.agentOf(signalingId);
        EdgeLink l = a == null ? null : edge.links.byAgent(a);
        return l != null && l.signalingId.equals(signalingId) ? l : null;
    }

    /** Offerer: creates the offer on the connection's loop and sends it when ready. */
    void offer(EdgeLink l) {
        l.pc.execute(() -> {
            l.wireOnPcLoop(edge.config.lowWaterBytes());
            l.pc.createOffer()
                    .thenCompose(o -> l.pc.setLocalDescription(o).thenApply(v -> o))
                    .whenComplete((o, e) -> edge.execute(() -> descriptionReady(l, o, e)));
        });
    }

    void onOffer(SignalingMessage.Offer o) {
        AgentId from = SignalingIds.agentOf(o.from());
        if (from == null || from.equals(edge.self())) {
            LOG.debug("mesh {}: offer from {}, not a mesh agent id; ignored", edge.self().shortString(), o.from());
            return;
        }
        edge.present.putIfAbsent(from, o.from());
        boolean carried = false;
        EdgeLink existing = edge.links.byAgent(from);
        if (existing != null) {
            if (existing.offerer && !existing.answered) {
                // glare: both offered; the offer of the smaller agent id wins, the other is dropped without a word
                if (edge.signalingSelf.compareTo(from) < 0) {
                    LOG.debug("mesh {}: offer from {} crosses ours; ours wins (smaller id)", edge.self().shortString(),
                            from.shortString());
                    return;
                }
                LOG.debug("mesh {}: offer from {} crosses ours; theirs wins (smaller id)", edge.self().shortString(),
                        from.shortString());
                carried = existing.requested;
                edge.links.remove(existing);
                existing.close();
            } else {
                // a new session from the remote replaces the old link
                carried = existing.requested && existing.state != EdgeLink.State.UP;
                edge.linkGone(existing, "replaced by a new offer", false, !carried);
            }
        }
        boolean admit = carried || (edge.core.admitLink(edge.now(), from) && edge.links.size() < edge.config.overlay().maxLinks
                && edge.core.linkBudgetUsed() + edge.links.inboundUnrequested() < edge.config.overlay().maxLinks);
        if (!admit || edge.closed) {
            LOG.debug("mesh {}: offer from {} refused (edge.links {}, budget {})", edge.self().shortString(), from.shortString(),
                    edge.links.size(), edge.core.linkBudgetUsed());
            edge.trySignal(() -> edge.signaling.sendBye(o.from()));
            return;
        }
        EdgeLink l = edge.newLink(from, o.from(), false);
        if (l == null) {
            if (carried) {
                edge.core.linkFailed(edge.now(), from, false);
                edge.drain();
            }
            edge.trySignal(() -> edge.signaling.sendBye(o.from()));
            return;
        }
        l.requested = carried;
        l.remoteFingerprint = fingerprintOf(o.sdp());
        l.pc.execute(() -> {
            l.wireOnPcLoop(edge.config.lowWaterBytes());
            l.pc.setRemoteDescription(RtcSessionDescription.offer(o.sdp()))
                    .thenCompose(v -> l.pc.createAnswer())
                    .thenCompose(a -> l.pc.setLocalDescription(a).thenApply(v -> a))
                    .whenComplete((a, e) -> edge.execute(() -> descriptionReady(l, a, e)));
        });
    }

    private void descriptionReady(EdgeLink l, RtcSessionDescription d, Throwable error) {
        if (edge.links.byId(l.id) != l) {
            return;
        }
        if (error != null) {
            LOG.debug("mesh {}: {} failed to negotiate: {}", edge.self().shortString(), l, error.toString());
            edge.linkGone(l, "negotiation failed", false);
            return;
        }
        try {
            if (l.offerer) {
                edge.signaling.sendOffer(l.signalingId, d.sdp());
            } else {
                edge.signaling.sendAnswer(l.signalingId, d.sdp());
            }
        } catch (RuntimeException e) {
            edge.linkGone(l, "edge.signaling refused the description: " + e, false);
            return;
        }
        l.descriptionSent = true;
        for (RtcIceCandidate c : l.heldCandidates) {
            sendCandidate(l, c);
        }
        l.heldCandidates.clear();
    }

    void localCandidate(EdgeLink l, RtcIceCandidate c) {
        if (edge.links.byId(l.id) != l) {
            return;
        }
        if (l.descriptionSent) {
            sendCandidate(l, c);
        } else {
            l.heldCandidates.add(c);
        }
    }

    private void sendCandidate(EdgeLink l, RtcIceCandidate c) {
        edge.trySignal(() -> {
            if (c.isEndOfCandidates()) {
                edge.signaling.sendEndOfCandidates(l.signalingId, c.sdpMid(), c.sdpMLineIndex());
            } else {
                edge.signaling.sendCandidate(l.signalingId, c.candidate(), c.sdpMid(), c.sdpMLineIndex());
            }
        });
    }

    void onAnswer(SignalingMessage.Answer a) {
        EdgeLink l = agentLink(a.from());
        if (l == null || !l.offerer || l.answered) {
            return;
        }
        l.answered = true;
        l.remoteFingerprint = fingerprintOf(a.sdp());
        l.pc.setRemoteDescription(RtcSessionDescription.answer(a.sdp()))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        edge.execute(() -> edge.linkGone(l, "bad answer: " + e.getMessage(), false));
                    }
                });
    }

    void onCandidate(SignalingMessage.Candidate c) {
        EdgeLink l = agentLink(c.from());
        // an offerer takes candidates only after the answer: earlier ones belong to a crossed offer of the remote
        if (l == null || (l.offerer && !l.answered)) {
            return;
        }
        l.pc.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.debug("mesh {}: candidate not applied on {}: {}", edge.self().shortString(), l, e.toString());
                    }
                });
    }

    /** The SHA-256 {@code a=fingerprint} of a description (the one DTLS checks the certificate against), or null. */
    static byte[] fingerprintOf(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=fingerprint:")) {
                try {
                    Fingerprint f = Fingerprint.parse(line.substring("a=fingerprint:".length()));
                    if (f.algorithm() == HashFunction.SHA_256) {
                        return f.value();
                    }
                } catch (RuntimeException e) {
                    // another hash function, or malformed: DTLS refuses what it cannot check
                }
            }
        }
        return null;
    }}
