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

    /**
     * The attribute an offer carries when it opens a link for a low-priority NEIGHBOR request (mesh protocol
     * version 3, section "Cheap refusals"): a remote whose active view is full refuses it with a {@code bye} at once,
     * before any PeerConnection, ICE or DTLS on its side (without it, the link was built and then refused by the
     * core's NEIGHBOR_REPLY). Unknown attributes are ignored by SDP parsers, so older agents read the offer as before.
     */
    static final String LOW_PRIORITY_LINE = "a=jrtc-mesh-dial:low";

    /**
     * The attribute an offer carries when it is a relay attempt (the opener's fallback, a race's relay leg, a rebuild
     * of a relayed link): only then does the answering side gather TURN candidates as well. A direct attempt is direct
     * at both ends; before, the answerer always gathered relay candidates, so a "direct" attempt between two agents
     * behind address-and-port-dependent NATs came up through the answerer's TURN allocation, recorded as direct and
     * with no fallback decision (found by {@code AgentsBehindRealNatsLinkDirectOrByRelay}). An older offerer does not
     * mark its relay attempts; its own relay candidates still reach this side's reflexive or host ones.
     */
    static final String RELAY_ATTEMPT_LINE = "a=jrtc-mesh-path:relay";

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
        l.onPc("making the offer", () -> {
            l.wireOnPcLoop(edge.config.lowWaterBytes());
            l.pc.createOffer()
                    .thenCompose(o -> l.pc.setLocalDescription(o).thenApply(v -> o))
                    .whenComplete((o, e) -> edge.callback(l, "offer ready", () -> descriptionReady(l, o, e)));
        });
    }

    void onOffer(SignalingMessage.Offer o) {
        AgentId from = SignalingIds.agentOf(o.from());
        if (from == null || from.equals(edge.self())) {
            LOG.debug("mesh {}: offer from {}, not a mesh agent id; ignored", edge.self().shortString(), o.from());
            return;
        }
        if (edge.core.isRevoked(from)) {
            edge.audit.record("link.refused_revoked", java.util.Map.of("agent", from.toString(), "signaling_id", o.from()));
            edge.trySignal(() -> edge.signaling.sendBye(o.from()));
            return;
        }
        edge.present.putIfAbsent(from, o.from());
        if (DialAsks.ASK.equals(o.sdp())) {
            // an ask before a low-priority dial: the same check as for a marked offer, and nothing is kept
            edge.asks.answer(from, o.from(), !edge.closed && edge.links.byAgent(from) == null && lowAdmitted(from));
            return;
        }
        boolean carried = false;
        long reuse = -1;
        boolean low = isLow(o.sdp());
        boolean relayAttempt = has(o.sdp(), RELAY_ATTEMPT_LINE);
        String sdp = unmark(filter(o.sdp()));
        EdgeLink existing = edge.links.byAgent(from);
        if (existing != null && existing.signalingId.equals(o.from()) && existing.offerer
                && edge.rotation.isReplacement(existing)) {
            // both sides move this link onto a new certificate at once: the offer of the smaller agent id wins
            if (edge.signalingSelf.compareTo(from) < 0) {
                return;
            }
            reuse = edge.rotation.crossed(existing);
            existing = null;
        } else if (existing != null && existing.state == EdgeLink.State.UP && existing.signalingId.equals(o.from())
                && existing.remoteFingerprint != null && fingerprintOf(sdp) != null
                && !java.util.Arrays.equals(existing.remoteFingerprint, fingerprintOf(sdp))) {
            // the remote moves the link onto a new certificate (make-before-break): the old connection carries the
            // link until the new one is up, and its HELLO binds the new fingerprint to the remote's key
            reuse = edge.rotation.remoteReplaces(existing);
            existing = null;
        }
        boolean held = existing != null && (existing.state == EdgeLink.State.UP
                || existing.state == EdgeLink.State.RECOVERING || existing.coreKnown);
        if (held && existing.signalingId.equals(o.from())
                && java.util.Arrays.equals(existing.remoteFingerprint, fingerprintOf(sdp))) {
            if (sessionOf(sdp) != null && sessionOf(sdp).equals(existing.remoteSession)) {
                answerRestart(existing, sdp); // same session: the remote restarts ICE on this connection
                return;
            }
            // a new session from the same agent and certificate: the remote rebuilds the link, the core keeps it
            reuse = existing.id;
            edge.supervisor.replacedByRemote(existing);
            edge.retire(existing);
            existing = null;
        }
        if (existing != null && existing.offerer && existing.coreKnown && !existing.answered
                && existing.signalingId.equals(o.from())) {
            // both sides rebuild the same link (both re-key it): the offer of the smaller agent id wins
            if (edge.signalingSelf.compareTo(from) < 0) {
                return;
            }
            reuse = existing.id;
            edge.supervisor.crossedRekey(existing);
            existing = null;
        }
        if (existing == null && edge.links.size() < edge.config.overlay().maxLinks && edge.deferred.take(from)) {
            carried = true; // our own request for this agent waited for its turn: the remote's offer serves it
        }
        if (existing != null) {
            // glare: both offered (ours unanswered, or answered but still being opened by its recovery, whose
            // fallback must not be cut short by the remote's own attempt)
            if (existing.offerer && !held && (!existing.answered || edge.supervisor.opening(from))) {
                // glare: both offered; the offer of the smaller agent id wins, the other is dropped without a word
                if (edge.signalingSelf.compareTo(from) < 0) {
                    LOG.debug("mesh {}: offer from {} crosses ours; ours wins (smaller id)", edge.self().shortString(),
                            from.shortString());
                    return;
                }
                LOG.debug("mesh {}: offer from {} crosses ours; theirs wins (smaller id)", edge.self().shortString(),
                        from.shortString());
                carried = existing.requested;
                edge.supervisor.forget(existing);
                edge.links.remove(existing);
                existing.close();
            } else {
                // a new session from the remote replaces the old link
                carried = existing.requested && existing.state != EdgeLink.State.UP;
                edge.linkGone(existing, "replaced by a new offer", false, !carried, false);
            }
        }
        boolean admit = carried || reuse >= 0 || (low ? lowAdmitted(from) : admitted(from));
        edge.asks.promiseUsed(from);
        if (!admit || edge.closed) {
            LOG.debug("mesh {}: offer from {} refused (edge.links {}, budget {})", edge.self().shortString(), from.shortString(),
                    edge.links.size(), edge.core.linkBudgetUsed());
            edge.trySignal(() -> edge.signaling.sendBye(o.from()));
            return;
        }
        EdgeLink l = edge.dialer.newLink(from, o.from(), false,
                relayAttempt ? io.jrtc.mesh.LinkRecovery.Path.RELAY : io.jrtc.mesh.LinkRecovery.Path.DIRECT, reuse);
        if (l == null) {
            if (reuse >= 0) {
                edge.coreLinkGone(from, reuse, "cannot create a peer connection for the rebuilt link");
            }
            if (carried) {
                edge.core.linkFailed(edge.now(), from, false);
                edge.drain();
            }
            edge.trySignal(() -> edge.signaling.sendBye(o.from()));
            return;
        }
        l.requested = carried;
        l.lowPriority = low && !carried && reuse < 0;
        l.coreKnown = reuse >= 0;
        l.remoteFingerprint = fingerprintOf(sdp);
        l.remoteSession = sessionOf(sdp);
        l.onPc("answering the offer", () -> {
            l.wireOnPcLoop(edge.config.lowWaterBytes());
            l.pc.setRemoteDescription(RtcSessionDescription.offer(sdp))
                    .thenCompose(v -> l.pc.createAnswer())
                    .thenCompose(a -> l.pc.setLocalDescription(a).thenApply(v -> a))
                    .whenComplete((a, e) -> edge.callback(l, "answer ready", () -> descriptionReady(l, a, e)));
        });
    }

    /** Whether a new link from {@code from} is admitted: the core agrees and the connections and budget allow it. */
    private boolean admitted(AgentId from) {
        return edge.core.admitLink(edge.now(), from) && edge.links.size() < edge.config.overlay().maxLinks
                && edge.core.linkBudgetUsed() + edge.links.inboundUnrequested() < edge.config.overlay().maxLinks;
    }

    /** {@link #admitted}, and for a low-priority request also a free active-view slot (not taken by such links). */
    private boolean lowAdmitted(AgentId from) {
        return admitted(from)
                && edge.core.activeRoom() - edge.links.inboundLowPriority() - edge.asks.promisedExcept(from) > 0;
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
                String offer = filter(d.sdp());
                if (l.path == io.jrtc.mesh.LinkRecovery.Path.RELAY || l.race) {
                    offer = mark(offer, RELAY_ATTEMPT_LINE); // the answerer gathers TURN candidates as well
                }
                edge.signaling.sendOffer(l.signalingId, l.lowPriority ? markLow(offer) : offer);
            } else {
                edge.signaling.sendAnswer(l.signalingId, filter(d.sdp()));
            }
        } catch (RuntimeException e) {
            edge.linkGone(l, "edge.signaling refused the description: " + e, false);
            return;
        }
        sendHeldCandidates(l);
    }

    /**
     * From now on the link's local candidates go out as they come, and those held meanwhile go now: after the
     * description they belong to, never before it. A remote drops candidates of an ICE generation it does not know
     * yet (an offerer takes none before the answer), so a candidate that overtook its description is lost.
     */
    private void sendHeldCandidates(EdgeLink l) {
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
        if (!c.isEndOfCandidates() && !passes(c.candidate())) {
            return;
        }
        edge.trySignal(() -> {
            if (c.isEndOfCandidates()) {
                edge.signaling.sendEndOfCandidates(l.signalingId, c.sdpMid(), c.sdpMLineIndex());
            } else {
                edge.signaling.sendCandidate(l.signalingId, c.candidate(), c.sdpMid(), c.sdpMLineIndex());
            }
        });
    }

    void onAnswer(SignalingMessage.Answer a) {
        AgentId from = SignalingIds.agentOf(a.from());
        if (from != null && edge.asks.onAnswer(from, a.from(), a.sdp())) {
            return; // the reply to an ask, not a description
        }
        EdgeLink l = agentLink(a.from());
        if (l == null || !l.offerer || l.answered) {
            return;
        }
        String sdp = filter(a.sdp());
        if (l.restarting && !java.util.Arrays.equals(l.remoteFingerprint, fingerprintOf(sdp))) {
            edge.linkGone(l, "the ICE restart's answer names another certificate", false);
            return;
        }
        l.answered = true;
        l.restarting = false;
        l.remoteFingerprint = fingerprintOf(sdp);
        l.remoteSession = sessionOf(sdp);
        l.pc.setRemoteDescription(RtcSessionDescription.answer(sdp))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        edge.callback(l, "answer refused", () -> edge.linkGone(l, "bad answer: " + e.getMessage(), false));
                    }
                });
    }

    void onCandidate(SignalingMessage.Candidate c) {
        EdgeLink l = agentLink(c.from());
        // an offerer takes candidates only after the answer: earlier ones belong to a crossed offer of the remote
        if (l == null || (l.offerer && !l.answered) || !passes(c.candidate())) {
            return;
        }
        l.pc.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.debug("mesh {}: candidate not applied on {}: {}", edge.self().shortString(), l, e.toString());
                    }
                });
    }

    /** Offerer: restarts ICE on the link's connection (new credentials, same DTLS and SCTP): a new offer. */
    void restartIce(EdgeLink l) {
        l.restarting = true;
        l.answered = false;
        // the restart re-announces the local candidates under the new credentials while the offer is being set:
        // they are held until the offer has gone (sent first, they reached a remote that dropped them)
        l.descriptionSent = false;
        l.pc.createOffer(true)
                .thenCompose(o -> l.pc.setLocalDescription(o).thenApply(v -> o))
                .whenComplete((o, e) -> edge.callback(l, "ICE restart offer ready", () -> {
                    if (edge.links.byId(l.id) != l) {
                        return;
                    }
                    if (e != null) {
                        LOG.debug("mesh {}: ICE restart offer on {} failed: {}", edge.self().shortString(), l, e.toString());
                        edge.connectionFailed(l);
                        return;
                    }
                    edge.trySignal(() -> edge.signaling.sendOffer(l.signalingId, filter(o.sdp())));
                    sendHeldCandidates(l);
                }));
    }

    /** Answerer: the remote restarts ICE on the link's connection: answer on the same connection. */
    private void answerRestart(EdgeLink l, String sdp) {
        LOG.debug("mesh {}: ICE restart from {}", edge.self().shortString(), l.remote.shortString());
        l.descriptionSent = false; // as in restartIce: the new generation's candidates follow the answer
        l.pc.setRemoteDescription(RtcSessionDescription.offer(sdp))
                .thenCompose(v -> l.pc.createAnswer())
                .thenCompose(a -> l.pc.setLocalDescription(a).thenApply(v -> a))
                .whenComplete((a, e) -> edge.callback(l, "ICE restart answer ready", () -> {
                    if (edge.links.byId(l.id) != l) {
                        return;
                    }
                    if (e != null) {
                        edge.linkGone(l, "ICE restart refused: " + e.getMessage(), false);
                        return;
                    }
                    edge.trySignal(() -> edge.signaling.sendAnswer(l.signalingId, filter(a.sdp())));
                    sendHeldCandidates(l);
                }));
    }

    /** Whether a candidate ({@code candidate:...}) may be sent or taken ({@code MeshConfig.candidateFilter}). */
    private boolean passes(String candidate) {
        var f = edge.config.candidateFilter();
        return f == null || candidate == null || f.test(candidate.startsWith("a=") ? candidate.substring(2) : candidate);
    }

    /** A description without the candidate lines {@code MeshConfig.candidateFilter} refuses. */
    private String filter(String sdp) {
        if (edge.config.candidateFilter() == null) {
            return sdp;
        }
        StringBuilder b = new StringBuilder(sdp.length());
        for (String line : sdp.split("(?<=\n)")) {
            if (!line.startsWith("a=candidate:") || passes(line.strip())) {
                b.append(line);
            }
        }
        return b.toString();
    }

    /** {@code sdp} with {@link #LOW_PRIORITY_LINE} as its last line. */
    static String markLow(String sdp) {
        return mark(sdp, LOW_PRIORITY_LINE);
    }

    /** {@code sdp} with {@code line} (one of the mesh's own attributes) as its last line. */
    static String mark(String sdp, String line) {
        return sdp + (sdp.endsWith("\n") ? "" : "\r\n") + line + "\r\n";
    }

    /** Whether an offer carries {@link #LOW_PRIORITY_LINE}. */
    static boolean isLow(String sdp) {
        return has(sdp, LOW_PRIORITY_LINE);
    }

    /** Whether {@code sdp} has {@code line} as one of its lines. */
    static boolean has(String sdp, String line) {
        for (String l : sdp.split("\r?\n")) {
            if (l.equals(line)) {
                return true;
            }
        }
        return false;
    }

    /** {@code sdp} without the mesh's own lines ({@link #LOW_PRIORITY_LINE}, {@link #RELAY_ATTEMPT_LINE}). */
    static String unmark(String sdp) {
        if (!sdp.contains(LOW_PRIORITY_LINE) && !sdp.contains(RELAY_ATTEMPT_LINE)) {
            return sdp;
        }
        StringBuilder b = new StringBuilder(sdp.length());
        for (String line : sdp.split("(?<=\n)")) {
            String l = line.strip();
            if (!l.equals(LOW_PRIORITY_LINE) && !l.equals(RELAY_ATTEMPT_LINE)) {
                b.append(line);
            }
        }
        return b.toString();
    }

    /** The session id of a description's {@code o=} line, or null. */
    static String sessionOf(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("o=")) {
                String[] f = line.substring(2).split(" ");
                return f.length > 1 ? f[1] : null;
            }
        }
        return null;
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
