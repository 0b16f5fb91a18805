package io.jrtc.mesh.internal.edge;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.RefusedCertificate;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.CertificatePolicy;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.MeshEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drill D, DTLS certificate rotation, at the edge: {@link CertificatePolicy#rotationMargin()} before the agent's
 * certificate expires it makes a new one (new connections use it at once) and moves its links onto it one at a time,
 * make-before-break. For a link:
 * <ol>
 *   <li>a new connection (the replacement) is offered under the same core link id while the old connection, now out
 *       of {@link MeshLinks}, keeps carrying the core's frames ({@link #carrier}) and delivering the remote's
 *       ({@link #receives}). The remote sees an offer from an agent it holds a link with, over another certificate:
 *       it answers it the same way ({@link #remoteReplaces}); the signed HELLO binds the new fingerprint to the key;</li>
 *   <li>when the replacement is up (HELLO both ways), each side sends a one-byte MOVED frame ({@link #MOVED}) on
 *       each ordered channel of the old connection, after everything it sent there, and sends on the new one from
 *       then on. The receiver holds what arrives on the new connection for a class until the old one's MOVED for that
 *       class arrived (or the old connection is gone), so nothing sent on the new one overtakes what the old one
 *       still carried: in order, exactly once. Then {@code link.rotated} (time taken, and the gap: how long frames
 *       were held);</li>
 *   <li>the old connection is closed {@link #DRAIN_GRACE_NANOS} after the switch (by the side that started; the
 *       other side after twice that, as a fallback).</li>
 * </ol>
 * A replacement that fails leaves the old connection in place ({@code link.rotation_failed}; retried after 1 s, at
 * most {@value #MAX_ATTEMPTS} times per rotation). Offers of both sides for the same link cross like re-keys: the
 * smaller agent id's wins. Also audits neighbours' certificates refused for their dates ({@code certificate.refused}).
 * Agent loop only.
 */
final class CertificateRotation {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateRotation.class);

    /** How long the old connection of a rotated link is kept for the remote's frames in flight. */
    static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The link frame that ends a class's traffic on an old connection (consumed by the edge, never by the core). */
    static final byte MOVED = 0x21;
    /** Frames held behind an old connection, per link, above which they go to the core at once (order given up). */
    static final int HOLD_LIMIT = 4096;
    /** The ordered classes a MOVED frame closes (UNRELIABLE is unordered: nothing to keep in order). */
    private static final ChannelClass[] ORDERED = {ChannelClass.CONTROL, ChannelClass.RELIABLE, ChannelClass.BULK};
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int MAX_ATTEMPTS = 3;

    /** The old connection of a link being replaced (or just replaced), under the core's link id. */
    private static final class Old {
        final EdgeLink link;
        final long startedAt;
        /** This agent started it (its own certificate changed). */
        boolean initiated;
        /** The replacement is up: the old connection only receives now. */
        boolean switched;
        /** Since when the core's classes are blocked (no connection to send on); -1: not blocked. */
        long blockedSince = -1;
        /** How long the link had no connection to send on (the old one gone before the replacement was up). */
        long blockedNanos;
        /** How long frames of the replacement were held behind the old connection's last ones. */
        long heldNanos;
        /** The remote's MOVED arrived on the old connection, per class. */
        final boolean[] moved = new boolean[ChannelClass.values().length];
        /** Frames of the new connection held until the MOVED of their class, per class. */
        @SuppressWarnings("unchecked")
        final ArrayDeque<byte[]>[] held = new ArrayDeque[ChannelClass.values().length];
        int heldCount;
        int heldTotal;
        long holdStart = -1;
        boolean done;
        ScheduledFuture<?> timer;

        Old(EdgeLink link, long startedAt, boolean initiated) {
            this.link = link;
            this.startedAt = startedAt;
            this.initiated = initiated;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }

    private final MeshEdge edge;
    private final CertificatePolicy policy;
    private final Map<Long, Old> old = new HashMap<>();
    private final ArrayDeque<AgentId> queue = new ArrayDeque<>();
    private final Map<AgentId, Integer> attempts = new HashMap<>();
    /** The link this agent is replacing on its own initiative (one at a time), or null. */
    private AgentId replacing;
    private ScheduledFuture<?> rotationTimer;
    private boolean sweepScheduled;
    long rotations;
    long linksRotated;
    long linksFailed;
    long refused;

    CertificateRotation(MeshEdge edge) {
        this.edge = edge;
        this.policy = edge.config.certificates();
    }

    /** The first certificate of an agent: the configured one, or a new one of the policy's lifetime. */
    static DtlsCertificate initial(io.jrtc.mesh.MeshConfig config) {
        if (config.certificate() != null) {
            return config.certificate();
        }
        Duration lifetime = config.certificates().lifetime();
        return lifetime == null ? DtlsCertificate.generate()
                : DtlsCertificate.generate(DtlsCertificate.KeyType.ECDSA_P256, lifetime);
    }

    /** The template's DTLS settings, with the check of the remote certificate's dates when the policy asks for it. */
    static io.jrtc.dtls.DtlsConfig dtlsTuning(io.jrtc.mesh.MeshConfig config) {
        io.jrtc.dtls.DtlsConfig t = config.rtcTemplate().dtlsTuning();
        if (!config.certificates().checkPeerValidity()) {
            return t;
        }
        return (t == null ? io.jrtc.dtls.DtlsConfig.defaults() : t).toBuilder().checkPeerCertificateValidity(true).build();
    }

    /** Runs {@code task} on the agent loop in {@code delayNanos}, unless the agent closed by then. */
    private ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return edge.loop().schedule(() -> {
            if (!edge.closed) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("mesh {}: certificate rotation task failed", edge.self().shortString(), e);
                }
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    void start() {
        edge.telemetry.metrics.certificate(edge.certificate.notAfter(), false);
        schedule();
    }

    private void schedule() {
        if (!policy.rotate() || edge.closed) {
            return;
        }
        Instant at = edge.certificate.notAfter().minus(policy.rotationMargin());
        long delay = Math.max(0, Duration.between(Instant.now(), at).toNanos());
        rotationTimer = schedule(this::rotate, delay);
    }

    /** Makes a new certificate, moves new connections onto it, and queues every link on the old one. */
    void rotate() {
        if (edge.closed) {
            return;
        }
        DtlsCertificate previous = edge.certificate;
        Duration lifetime = policy.lifetime();
        DtlsCertificate next = lifetime == null ? DtlsCertificate.generate(DtlsCertificate.DEFAULT_COMMON_NAME,
                previous.keyType()) : DtlsCertificate.generate(previous.keyType(), lifetime);
        edge.certificate = next;
        edge.ownFingerprint = next.fingerprint().value();
        rotations++;
        edge.telemetry.metrics.certificate(next.notAfter(), true);
        attempts.clear();
        int links = sweep();
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put("agent", edge.self().toString());
        f.put("old_fingerprint", previous.fingerprint().toSdpValue());
        f.put("old_not_after", previous.notAfter().toString());
        f.put("new_fingerprint", next.fingerprint().toSdpValue());
        f.put("new_not_after", next.notAfter().toString());
        f.put("links", Integer.toString(links));
        edge.audit.record("certificate.rotated", f);
        LOG.info("mesh {}: new DTLS certificate {} (valid until {}); moving {} links onto it", edge.self().shortString(),
                next.fingerprint().toSdpValue(), next.notAfter(), links);
        edge.emit(new MeshEvent.CertificateRotated(previous.fingerprint().toSdpValue(), next.fingerprint().toSdpValue(),
                next.notAfter()));
        next();
        schedule();
    }

    private boolean outdated(EdgeLink l) {
        return !Arrays.equals(l.ownFingerprint, edge.ownFingerprint);
    }

    /**
     * Queues the links that are up on an older certificate; returns how many links are on an older one. Links on one
     * that are not up (being set up or repaired) are looked at again a second later.
     */
    private int sweep() {
        int outdated = 0;
        boolean later = false;
        for (EdgeLink l : edge.links.all()) {
            if (!outdated(l)) {
                continue;
            }
            outdated++;
            if (l.state == EdgeLink.State.UP && !old.containsKey(l.id)) {
                if (!queue.contains(l.remote) && !l.remote.equals(replacing)) {
                    queue.add(l.remote);
                }
            } else {
                later = true;
            }
        }
        if (later && !sweepScheduled) {
            sweepScheduled = true;
            schedule(() -> {
                sweepScheduled = false;
                sweep();
                next();
            }, RETRY_NANOS);
        }
        return outdated;
    }

    /** Starts replacing the next queued link, unless one is being replaced. */
    private void next() {
        while (replacing == null && !queue.isEmpty() && !edge.closed) {
            AgentId a = queue.poll();
            EdgeLink l = edge.links.byAgent(a);
            if (l == null || l.state != EdgeLink.State.UP || !outdated(l) || old.containsKey(l.id)
                    || edge.core.isRevoked(a) || attempts.getOrDefault(a, 0) >= MAX_ATTEMPTS) {
                continue; // gone, not up, moved already, or failed too often in this rotation (the old one stays)
            }
            replace(l);
        }
    }

    private void replace(EdgeLink l) {
        long now = edge.now();
        EdgeLink n = edge.dialer.newLink(l.remote, l.signalingId, true, l.path, l.id); // takes l's place, over its path
        if (n == null) {
            edge.links.put(l);
            return;
        }
        replacing = l.remote;
        n.coreKnown = true;
        Old o = new Old(l, now, true);
        old.put(l.id, o);
        long limit = edge.config.linkSetupTimeout().toNanos();
        o.timer = schedule(() -> {
            if (edge.links.byId(n.id) == n && n.state != EdgeLink.State.UP) {
                edge.linkGone(n, "not up within " + TimeUnit.NANOSECONDS.toMillis(limit) + " ms", false, true, false);
            }
        }, limit);
        LOG.debug("mesh {}: moving {} onto the new certificate", edge.self().shortString(), l);
        edge.negotiation().offer(n);
    }

    // ------------------------------------------------------------------ hooks of the edge and the negotiation

    /** The connection that carries link {@code linkId}'s frames while its replacement is not up, or null. */
    EdgeLink carrier(long linkId) {
        Old o = old.get(linkId);
        return o != null && !o.switched && o.blockedSince < 0 && o.link.state == EdgeLink.State.UP ? o.link : null;
    }

    /** Whether {@code l}, out of the links, is an old connection whose received frames still go to the core. */
    boolean receives(EdgeLink l) {
        Old o = old.get(l.id);
        return o != null && o.link == l && l.state == EdgeLink.State.UP;
    }

    /** Whether {@code l} is the replacement of a link whose old connection is kept, not up yet. */
    boolean isReplacement(EdgeLink l) {
        Old o = old.get(l.id);
        return o != null && !o.switched && o.link != l && edge.links.byId(l.id) == l && l.state != EdgeLink.State.UP;
    }

    /**
     * Answerer: the remote offers a new connection for link {@code l} (up) over another certificate: {@code l} keeps
     * carrying, out of the links, until the answered one is up. Returns the core link id to reuse.
     */
    long remoteReplaces(EdgeLink l) {
        Old previous = old.get(l.id);
        if (previous != null && previous.link != l) {
            closeOld(l.id, previous); // the connection before it, still draining: its remote moved on long ago
        }
        edge.links.remove(l);
        old.put(l.id, new Old(l, edge.now(), false));
        LOG.debug("mesh {}: {} moves onto a new certificate", edge.self().shortString(), l);
        return l.id;
    }

    /** Both sides replace the same link and the remote's offer wins: ours is dropped, the old connection stays. */
    long crossed(EdgeLink ours) {
        edge.links.remove(ours);
        ours.state = EdgeLink.State.CLOSED;
        ours.close();
        return ours.id;
    }

    /**
     * The replacement {@code n} is up (HELLO both ways): the core sends on it from now on, and a MOVED goes after what
     * the old connection carried. False: not a replacement.
     */
    boolean switchover(EdgeLink n) {
        Old o = old.get(n.id);
        if (o == null || o.link == n || o.switched) {
            return false;
        }
        long now = edge.now();
        o.switched = true;
        o.cancelTimer();
        if (o.blockedSince >= 0) {
            o.blockedNanos += now - o.blockedSince;
            o.blockedSince = -1;
        }
        for (ChannelClass c : ChannelClass.values()) {
            edge.core.linkBackpressure(now, n.id, c, false);
        }
        if (o.link.state == EdgeLink.State.UP) {
            for (ChannelClass c : ORDERED) {
                o.link.send(c, new byte[] {MOVED}, Long.MAX_VALUE);
            }
        }
        long grace = o.initiated ? DRAIN_GRACE_NANOS : 2 * DRAIN_GRACE_NANOS;
        o.timer = schedule(() -> closeOld(n.id, o), grace);
        if (n.remote.equals(replacing)) {
            replacing = null;
            linksRotated++;
            next();
            if (replacing == null && queue.isEmpty()) {
                sweep();
                next();
            }
        }
        maybeDone(n.id, o);
        return true;
    }

    private void block(Old o, long linkId) {
        if (o.blockedSince >= 0) {
            return;
        }
        o.blockedSince = edge.now();
        for (ChannelClass c : ChannelClass.values()) {
            edge.core.linkBackpressure(o.blockedSince, linkId, c, true);
        }
    }

    /**
     * A frame received on link {@code l}'s connection, about to go to the core: true when it was taken here (a MOVED
     * marker, or a frame of the new connection held behind the old one's traffic of its class).
     */
    boolean intercept(EdgeLink l, ChannelClass c, byte[] bytes) {
        Old o = old.get(l.id);
        if (bytes.length == 1 && bytes[0] == MOVED) {
            if (o != null && o.link == l && !o.moved[c.ordinal()]) {
                o.moved[c.ordinal()] = true;
                release(l.id, o, c);
                maybeDone(l.id, o);
                edge.drain();
            }
            return true;
        }
        if (o == null || o.link == l || c == ChannelClass.UNRELIABLE || o.moved[c.ordinal()]
                || o.link.state != EdgeLink.State.UP) {
            return false;
        }
        if (o.heldCount >= HOLD_LIMIT) {
            LOG.warn("mesh {}: {} frames held behind the old connection of {}: delivered now, order given up",
                    edge.self().shortString(), o.heldCount, l);
            releaseAll(l.id, o);
            return false;
        }
        if (o.held[c.ordinal()] == null) {
            o.held[c.ordinal()] = new ArrayDeque<>();
        }
        if (o.holdStart < 0) {
            o.holdStart = edge.now();
        }
        o.held[c.ordinal()].add(bytes);
        o.heldCount++;
        o.heldTotal++;
        return true;
    }

    /** Hands class {@code c}'s held frames to the core (when the new connection is still the link's). */
    private void release(long linkId, Old o, ChannelClass c) {
        ArrayDeque<byte[]> q = o.held[c.ordinal()];
        o.moved[c.ordinal()] = true;
        if (q == null || q.isEmpty()) {
            return;
        }
        EdgeLink n = edge.links.byId(linkId);
        boolean live = n != null && n != o.link && n.state == EdgeLink.State.UP;
        long now = edge.now();
        while (!q.isEmpty()) {
            byte[] b = q.poll();
            o.heldCount--;
            if (live) {
                edge.core.handleInput(now, linkId, java.nio.ByteBuffer.wrap(b));
            }
        }
        if (o.heldCount == 0 && o.holdStart >= 0) {
            o.heldNanos = Math.max(o.heldNanos, now - o.holdStart);
            o.holdStart = -1;
        }
    }

    private void releaseAll(long linkId, Old o) {
        for (ChannelClass c : ChannelClass.values()) {
            release(linkId, o, c);
        }
    }

    /** Both directions moved (our switch, and the remote's MOVED of every ordered class, or the old one gone). */
    private void maybeDone(long linkId, Old o) {
        if (o.done || !o.switched) {
            return;
        }
        boolean all = true;
        for (ChannelClass c : ORDERED) {
            all &= o.moved[c.ordinal()];
        }
        if (!all && o.link.state == EdgeLink.State.UP) {
            return;
        }
        o.done = true;
        EdgeLink n = edge.links.byId(linkId);
        if (n == null || n == o.link) {
            return;
        }
        long took = edge.now() - o.startedAt;
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put("agent", n.remote.toString());
        f.put("initiated", Boolean.toString(o.initiated));
        f.put("old_session", String.valueOf(o.link.remoteSession));
        f.put("new_session", String.valueOf(n.remoteSession));
        f.put("remote_fingerprint", n.remoteFingerprint == null ? "none"
                : new io.jrtc.dtls.Fingerprint(io.jrtc.dtls.HashFunction.SHA_256, n.remoteFingerprint).toSdpValue());
        f.put("millis", Long.toString(TimeUnit.NANOSECONDS.toMillis(took)));
        long gap = Math.max(o.blockedNanos, o.heldNanos);
        f.put("gap_micros", Long.toString(TimeUnit.NANOSECONDS.toMicros(gap)));
        f.put("blocked_micros", Long.toString(TimeUnit.NANOSECONDS.toMicros(o.blockedNanos)));
        f.put("held_micros", Long.toString(TimeUnit.NANOSECONDS.toMicros(o.heldNanos)));
        f.put("held_frames", Integer.toString(o.heldTotal));
        f.put("moved", Boolean.toString(all));
        edge.audit.record("link.rotated", f);
        edge.emit(new MeshEvent.LinkRotated(n.remote, true, o.initiated, TimeUnit.NANOSECONDS.toMillis(took),
                TimeUnit.NANOSECONDS.toMillis(gap)));
    }

    private void closeOld(long linkId, Old o) {
        if (o.link.state != EdgeLink.State.CLOSED) {
            o.link.state = EdgeLink.State.CLOSED;
            o.link.close();
        }
        releaseAll(linkId, o);
        maybeDone(linkId, o);
        if (old.get(linkId) == o) {
            old.remove(linkId);
        }
        edge.drain();
    }

    /**
     * A connection out of the links is gone (closed, failed, a channel closed): an old connection of a replaced link
     * is simply forgotten; one whose replacement is not up yet leaves the link with nothing to send on (blocked) until
     * the replacement is up. Returns whether it was one of ours.
     */
    boolean oldGone(EdgeLink l) {
        Old o = old.get(l.id);
        if (o == null || o.link != l) {
            return false;
        }
        if (l.state != EdgeLink.State.CLOSED) {
            l.state = EdgeLink.State.CLOSED;
            l.close();
        }
        if (o.switched) {
            o.cancelTimer();
            releaseAll(l.id, o);
            maybeDone(l.id, o);
            old.remove(l.id);
        } else {
            LOG.debug("mesh {}: the old connection of {} ended before its replacement was up", edge.self().shortString(), l);
            block(o, l.id);
        }
        return true;
    }

    /**
     * The replacement {@code n} failed before it was up. When the old connection still works it is the link again
     * (true: nothing for the core); else the link is gone (false: the caller tells the core).
     */
    boolean replacementGone(EdgeLink n, String why) {
        Old o = old.get(n.id);
        if (!isReplacement(n)) {
            return false;
        }
        o.cancelTimer();
        old.remove(n.id);
        linksFailed++;
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put("agent", n.remote.toString());
        f.put("initiated", Boolean.toString(o.initiated));
        f.put("reason", why);
        edge.audit.record("link.rotation_failed", f);
        edge.emit(new MeshEvent.LinkRotated(n.remote, false, o.initiated,
                TimeUnit.NANOSECONDS.toMillis(edge.now() - o.startedAt), 0));
        LOG.info("mesh {}: the new connection of {} failed ({}){}", edge.self().shortString(), n, why,
                o.link.state == EdgeLink.State.UP ? ": the old one stays" : "");
        if (n.remote.equals(replacing)) {
            replacing = null;
            int tries = attempts.merge(n.remote, 1, Integer::sum);
            if (tries < MAX_ATTEMPTS) {
                schedule(() -> {
                    if (!queue.contains(n.remote)) {
                        queue.add(n.remote);
                    }
                    next();
                }, RETRY_NANOS);
            }
        }
        edge.links.remove(n);
        n.state = EdgeLink.State.CLOSED;
        n.close();
        if (o.link.state == EdgeLink.State.UP) {
            edge.links.put(o.link);
            if (o.blockedSince >= 0) {
                for (ChannelClass c : ChannelClass.values()) {
                    edge.core.linkBackpressure(edge.now(), n.id, c, false);
                }
            }
            next();
            return true;
        }
        next();
        return false;
    }

    /** The core closed link {@code linkId}: its old connection goes too. */
    void coreClosed(long linkId) {
        Old o = old.remove(linkId);
        if (o != null) {
            o.cancelTimer();
            if (o.link.state != EdgeLink.State.CLOSED) {
                o.link.state = EdgeLink.State.CLOSED;
                o.link.closeAfterFlush(MeshEdge.CLOSE_GRACE_NANOS);
            }
        }
    }

    /** The connection of {@code l} failed: when DTLS refused the remote's certificate for its dates, audits it once. */
    void checkRefused(EdgeLink l) {
        RefusedCertificate r = l.pc.refusedRemoteCertificate().orElse(null);
        if (r == null || l.certificateRefused) {
            return;
        }
        l.certificateRefused = true;
        refused++;
        edge.telemetry.metrics.certificateRefused();
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put("agent", l.remote.toString());
        f.put("signaling_id", l.signalingId);
        f.put("reason", r.expired() ? "expired" : "not_yet_valid");
        f.put("fingerprint", r.fingerprint().toSdpValue());
        f.put("not_before", r.notBefore().toString());
        f.put("not_after", r.notAfter().toString());
        f.put("checked_at", r.checkedAt().toString());
        edge.audit.record("certificate.refused", f);
        edge.emit(new MeshEvent.CertificateRefused(l.remote, r.notAfter(), r.expired()));
    }

    /** Closes every old connection (the agent closes). */
    void clear() {
        if (rotationTimer != null) {
            rotationTimer.cancel(false);
        }
        for (Old o : old.values()) {
            o.cancelTimer();
            o.link.state = EdgeLink.State.CLOSED;
            o.link.close();
        }
        old.clear();
        queue.clear();
    }

    /** {rotations, links rotated, rotations of links failed, certificates refused, links on an older one or moving}. */
    long[] counts() {
        long pending = 0;
        for (EdgeLink l : edge.links.all()) {
            if (outdated(l)) {
                pending++;
            }
        }
        for (Old o : old.values()) {
            if (!o.switched) {
                pending++;
            }
        }
        return new long[] {rotations, linksRotated, linksFailed, refused, pending};
    }
}
