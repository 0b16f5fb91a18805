package io.jrtc.mesh.internal;

import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.MeshSigner;
import io.jrtc.mesh.MeshVerifier;
import io.jrtc.mesh.OverlayConfig;
import io.jrtc.mesh.OverlayEvent;
import io.jrtc.mesh.OverlayStats;
import io.jrtc.mesh.SendResult;
import io.jrtc.mesh.Transmit;
import io.jrtc.mesh.internal.wire.Envelope;
import io.jrtc.mesh.internal.wire.Frame;
import io.jrtc.mesh.internal.wire.GraftFrame;
import io.jrtc.mesh.internal.wire.IHaveFrame;
import io.jrtc.mesh.internal.wire.PingFrame;
import io.jrtc.mesh.internal.wire.PongFrame;
import io.jrtc.mesh.internal.wire.PruneFrame;
import io.jrtc.mesh.quality.LinkMode;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay core's implementation behind {@link io.jrtc.mesh.OverlayCore}: it wires the verification gate, the
 * membership, the broadcast tree and the router together. Single-threaded; never reads a clock.
 */
public final class Engine implements Membership.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final CoreState s;
    private final MeshSigner signer;
    private final MeshVerifier verifier;
    private final Gate gate;
    private final Membership membership;
    private final BroadcastTree tree;
    private final Router router;
    private final BulkReceiver bulk;
    private long nextSequence;
    /** The envelope that carried each accepted revocation: flooded on, and sent to every new neighbour. */
    private final java.util.LinkedHashMap<AgentId, Envelope> revocations = new java.util.LinkedHashMap<>();

    public Engine(OverlayConfig config, MeshSigner signer, MeshVerifier verifier) {
        this.s = new CoreState(config, signer.agentId());
        this.signer = signer;
        this.verifier = verifier;
        this.gate = new Gate(verifier, config.seenCacheSize, config.replayOrigins);
        this.membership = new Membership(s, this);
        this.tree = new BroadcastTree(s);
        this.router = new Router(s, membership);
        this.bulk = new BulkReceiver(s);
        this.nextSequence = config.initialSequence;
    }

    public AgentId self() {
        return s.self;
    }

    private void advance(long now) {
        if (now > s.now) {
            s.now = now;
        }
    }

    // ---- bootstrap ----

    public void start(long now) {
        advance(now);
        membership.start(s.now);
    }

    public void join(long now, AgentId contact) {
        advance(now);
        membership.join(contact);
    }

    public void addCandidates(long now, Collection<AgentId> ids) {
        advance(now);
        membership.addCandidates(ids);
    }

    public void leave(long now) {
        advance(now);
        membership.leave();
    }

    // ---- link edge ----

    public boolean admitLink(long now, AgentId remote) {
        advance(now);
        return membership.admit(remote);
    }

    public boolean lowPriorityDial(AgentId remote) {
        return membership.lowPriorityDial(remote);
    }

    public int activeRoom() {
        return membership.activeRoom();
    }

    public void linkUp(long now, long linkId, AgentId remote, boolean outbound) {
        advance(now);
        membership.linkUp(linkId, remote, outbound);
    }

    public void linkFailed(long now, AgentId remote, boolean refused) {
        advance(now);
        membership.linkFailed(remote, refused);
    }

    public void linkDown(long now, long linkId) {
        advance(now);
        Link l = s.links.get(linkId);
        if (l != null) {
            membership.linkDown(l);
        }
    }

    public void linkBackpressure(long now, long linkId, ChannelClass channel, boolean blocked) {
        advance(now);
        Link l = s.links.get(linkId);
        if (l != null) {
            l.blocked[channel.ordinal()] = blocked;
        }
    }

    public void linkMode(long now, long linkId, LinkMode mode) {
        advance(now);
        Link l = s.links.get(linkId);
        if (l != null) {
            l.low = mode == LinkMode.LOW;
        }
    }

    public void handleInput(long now, long linkId, ByteBuffer bytes) {
        advance(now);
        Link link = s.links.get(linkId);
        if (link == null) {
            LOG.debug("{}: {} bytes on unknown link {} ignored", s.self.shortString(), bytes.remaining(), linkId);
            return;
        }
        Frame f;
        try {
            f = Frame.parse(bytes);
        } catch (ParseException e) {
            LOG.debug("{}: malformed frame from {} on link {}: {}", s.self.shortString(), link.remote.shortString(),
                    linkId, e.getMessage());
            s.drop(DropReason.MALFORMED, null, linkId);
            return;
        }
        boolean active = link.state == Link.State.ACTIVE;
        switch (f) {
            case Envelope e -> onEnvelope(link, e);
            case IHaveFrame ih -> {
                if (active) {
                    tree.onIHave(link.remote, ih.entries(), gate);
                }
            }
            case GraftFrame g -> {
                if (active) {
                    tree.onGraft(link.remote, g.ids());
                }
            }
            case PruneFrame p -> {
                if (active) {
                    tree.onPrune(link.remote);
                }
            }
            case PingFrame ping -> {
                if (link.state != Link.State.CLOSING) {
                    s.sendControl(link, ping.answer());
                }
            }
            case PongFrame pong -> {
                // The edge's LinkQuality consumes PONGs before the core; one that reaches here is harmless.
            }
            default -> {
                if (link.state != Link.State.CLOSING) {
                    membership.onFrame(link, f);
                }
            }
        }
    }

    private void onEnvelope(Link link, Envelope e) {
        if (e.kind() == Envelope.BROADCAST) {
            s.broadcastReceived++;
        }
        if (s.revoked.contains(e.origin())) {
            s.drop(DropReason.REVOKED, e.id(), link.id); // before any other check: a revoked key is worth nothing
            return;
        }
        Gate.Verdict verdict = gate.check(e);
        if (e.kind() == Envelope.REVOCATION && !e.isUnicast() && verdict != Gate.Verdict.FRESH
                && verdict != Gate.Verdict.BAD_SIGNATURE) {
            // revocations are flooded and re-sent to new neighbours: a copy is normal, and prunes nothing; an old
            // one (out of the replay window) is still obeyed if new here, but not forwarded
            s.duplicates++;
            s.drop(DropReason.DUPLICATE, e.id(), link.id);
            if (verdict == Gate.Verdict.REPLAY) {
                onRevocation(e, link);
            }
            return;
        }
        switch (verdict) {
            case DUPLICATE -> {
                s.duplicates++;
                s.drop(DropReason.DUPLICATE, e.id(), link.id);
                if (!e.isUnicast() && link.state == Link.State.ACTIVE) {
                    tree.onDuplicate(link.remote);
                }
                return;
            }
            case BAD_SIGNATURE -> {
                LOG.info("{}: envelope {} from link {} ({}) fails its signature: dropped", s.self.shortString(), e.id(),
                        link.id, link.remote.shortString());
                s.drop(DropReason.BAD_SIGNATURE, e.id(), link.id);
                return;
            }
            case REPLAY -> {
                LOG.info("{}: envelope {} from link {} ({}) is a replay: dropped", s.self.shortString(), e.id(), link.id,
                        link.remote.shortString());
                s.drop(DropReason.REPLAY, e.id(), link.id);
                return;
            }
            case FRESH -> {
            }
        }
        router.learn(e.origin(), link.remote, e.hops());
        router.routeFound(e.origin());
        if (!e.isUnicast()) {
            if (e.kind() == Envelope.REVOCATION) {
                if (onRevocation(e, link)) {
                    flood(e, link.remote);
                }
                return;
            }
            if (e.kind() == Envelope.BROADCAST) {
                deliver(e, true);
            } else if (e.kind() == Envelope.ROUTE_REQUEST && e.payload().length == AgentId.LENGTH
                    && AgentId.read(ByteBuffer.wrap(e.payload())).equals(s.self)) {
                if (router.nextHop(e.origin()) != null) {
                    router.route(sign(Envelope.ROUTE_REPLY, 0, e.origin(), new byte[0]).withHops(1), true);
                }
            }
            tree.onFresh(e, link.remote);
            return;
        }
        if (!e.destination().equals(s.self)) {
            if (e.hops() >= e.hopLimit()) {
                s.drop(DropReason.TTL_EXCEEDED, e.id(), link.id);
            } else {
                router.route(e.withHops(e.hops() + 1), false);
                if (e.kind() == Envelope.BULK) {
                    s.bulkForwarded(link, router.nextHop(e.destination()));
                }
            }
            return;
        }
        switch (e.kind()) {
            case Envelope.BULK -> {
                BulkReceiver.Complete done = bulk.onChunk(e, link.id);
                if (done != null) {
                    s.delivered++;
                    s.lastDeliveryHops = e.hops();
                    s.events.add(new OverlayEvent.Delivered(e.origin(), done.transfer(), e.hops(), false, done.data(),
                            ChannelClass.BULK, done.originTime(), wallMicros() * 1000 - done.originTime() * 1000));
                    if (done.ackSequence() >= 0) { // the last chunk's (not necessarily the last to arrive)
                        routeLocal(sign(Envelope.ACK, 0, e.origin(),
                                ByteBuffer.allocate(8).putLong(done.ackSequence()).array()));
                    }
                }
            }
            case Envelope.UNICAST -> {
                deliver(e, false);
                if (e.ackRequested()) {
                    byte[] seq = ByteBuffer.allocate(8).putLong(e.sequence()).array();
                    routeLocal(sign(Envelope.ACK, 0, e.origin(), seq));
                }
            }
            case Envelope.ACK -> {
                if (e.payload().length == 8) {
                    router.onAck(e.origin(), ByteBuffer.wrap(e.payload()).getLong());
                }
            }
            default -> {
                // ROUTE_REPLY: its work (learning the route, flushing waiters) is done above. Unknown kinds: ignored.
            }
        }
    }

    /** A fresh REVOCATION envelope: true when its statement is an operator's (applied, to be forwarded). */
    private boolean onRevocation(Envelope e, Link link) {
        long linkId = link.id;
        io.jrtc.mesh.Revocation r;
        try {
            r = io.jrtc.mesh.Revocation.parse(e.payload());
        } catch (ParseException x) {
            s.drop(DropReason.BAD_REVOCATION, e.id(), linkId);
            return false;
        }
        if (!r.verify(s.config.operatorKeys, verifier)) {
            LOG.warn("{}: revocation of {} from {} is not signed by an operator key: refused", s.self.shortString(),
                    r.revoked().shortString(), e.origin().shortString());
            s.drop(DropReason.BAD_REVOCATION, e.id(), linkId);
            return false;
        }
        return apply(r, e.origin(), linkId, e);
    }

    /** Sends a revocation envelope on every active link but {@code from}'s (revocations do not wait for the tree). */
    private void flood(Envelope e, AgentId from) {
        if (e.hops() >= e.hopLimit()) {
            s.drop(DropReason.TTL_EXCEEDED, e.id(), -1);
            return;
        }
        Envelope next = e.withHops(e.hops() + 1);
        for (Link l : membership.active.values()) {
            if (!l.remote.equals(from) && s.enqueue(l, ChannelClass.RELIABLE, next, e.id()) && from != null) {
                s.forwarded++;
            }
        }
    }

    /**
     * Applies a verified revocation: the agent goes on the deny list, its queued messages, stored payloads, routes
     * and views go, and its link (if any) is closed. A revocation of this agent itself, or of one already revoked, is
     * reported once. Returns true when the envelope should be flooded on. This agent's own revocation: it floods the
     * envelope to every neighbour itself, then leaves the overlay and links with nobody any more (the others refuse it
     * anyway); so an honest agent whose key was copied spreads its revocation past itself even when it is a cut vertex.
     */
    private boolean apply(io.jrtc.mesh.Revocation r, AgentId publisher, long linkId, Envelope carrier) {
        AgentId id = r.revoked();
        if (s.revoked.contains(id) || (id.equals(s.self) && s.selfRevoked)) {
            return false;
        }
        Link l = s.linkByAgent.get(id);
        boolean neighbour = l != null && l.state == Link.State.ACTIVE;
        s.events.add(new OverlayEvent.Revoked(r, publisher, linkId, neighbour));
        if (id.equals(s.self)) {
            s.selfRevoked = true;
            flood(carrier, null);
            membership.quit();
            return false;
        }
        s.revoked.add(id);
        revocations.put(id, carrier);
        s.purgeOrigin(id);
        tree.forgetOrigin(id);
        router.revoke(id);
        membership.revoke(id, carrier.hops() < carrier.hopLimit() ? carrier.withHops(carrier.hops() + 1) : null);
        return true;
    }

    /**
     * Publishes an operator's revocation: applied here and broadcast (a REVOCATION envelope signed by this agent).
     * Refused with an {@code IllegalArgumentException} unless signed by one of {@link OverlayConfig#operatorKeys}.
     */
    public SendResult publishRevocation(long now, io.jrtc.mesh.Revocation r) {
        advance(now);
        if (!r.verify(s.config.operatorKeys, verifier)) {
            throw new IllegalArgumentException("not signed by an operator key this agent trusts: " + r);
        }
        Envelope e = sign(Envelope.REVOCATION, 0, null, r.encode());
        boolean connected = !membership.active.isEmpty();
        if (apply(r, s.self, -1, e)) {
            flood(e, null);
        }
        return new SendResult(connected ? SendResult.Status.ACCEPTED : SendResult.Status.NOT_CONNECTED, e.sequence());
    }

    /** Applies a revocation known beforehand (configured or persisted); false when no operator key signed it. */
    public boolean revoke(long now, io.jrtc.mesh.Revocation r) {
        advance(now);
        if (!r.verify(s.config.operatorKeys, verifier)) {
            return false;
        }
        apply(r, s.self, -1, sign(Envelope.REVOCATION, 0, null, r.encode()));
        return true;
    }

    public boolean isRevoked(AgentId agent) {
        return s.revoked.contains(agent);
    }

    public List<AgentId> revoked() {
        return List.copyOf(s.revoked);
    }

    private void deliver(Envelope e, boolean broadcast) {
        s.delivered++;
        s.lastDeliveryHops = e.hops();
        s.events.add(new OverlayEvent.Delivered(e.origin(), e.sequence(), e.hops(), broadcast, e.payload(), e.channel(),
                e.originTime(), (wallMicros() - e.originTime()) * 1000));
    }

    /** This core's wall clock in microseconds since the epoch: its {@code now} plus the configured offset. */
    private long wallMicros() {
        return Math.floorDiv(s.now + s.config.wallClockOffsetNanos, 1000);
    }

    private Envelope sign(int kind, int flags, AgentId destination, byte[] payload) {
        Envelope e = Envelope.create(signer, kind, flags, s.config.hopLimit, nextSequence++, wallMicros(), destination,
                payload);
        gate.markOwn(e.id());
        return e;
    }

    private void routeLocal(Envelope e) {
        if (router.route(e.withHops(1), true)) {
            AgentId target = e.destination();
            byte[] p = new byte[AgentId.LENGTH];
            target.writeTo(ByteBuffer.wrap(p));
            tree.onFresh(sign(Envelope.ROUTE_REQUEST, 0, null, p), null);
        }
    }

    // ---- application ----

    public SendResult broadcast(long now, byte[] payload, boolean unreliable) {
        advance(now);
        checkPayload(payload);
        if (membership.active.isEmpty()) {
            return new SendResult(SendResult.Status.NOT_CONNECTED, -1);
        }
        if (s.aboveHighWater(unreliable ? ChannelClass.UNRELIABLE : ChannelClass.RELIABLE)) {
            s.wantWritable = true;
            return new SendResult(SendResult.Status.BACKPRESSURE, -1);
        }
        Envelope e = sign(Envelope.BROADCAST, unreliable ? Envelope.FLAG_UNRELIABLE : 0, null, payload.clone());
        tree.onFresh(e, null);
        return new SendResult(SendResult.Status.ACCEPTED, e.sequence());
    }

    public SendResult send(long now, AgentId destination, byte[] payload, boolean ack, boolean unreliable) {
        advance(now);
        checkPayload(payload);
        if (destination.equals(s.self)) {
            throw new IllegalArgumentException("send to self");
        }
        if (membership.active.isEmpty()) {
            return new SendResult(SendResult.Status.NOT_CONNECTED, -1);
        }
        ChannelClass c = unreliable ? ChannelClass.UNRELIABLE : ChannelClass.RELIABLE;
        if (router.congested(destination, c, s.config.highWater)) {
            s.wantWritable = true;
            return new SendResult(SendResult.Status.BACKPRESSURE, -1);
        }
        int flags = (ack ? Envelope.FLAG_ACK_REQUESTED : 0) | (unreliable ? Envelope.FLAG_UNRELIABLE : 0);
        Envelope e = sign(Envelope.UNICAST, flags, destination, payload.clone());
        if (ack) {
            router.expectAck(e.sequence(), destination);
        }
        routeLocal(e);
        return new SendResult(SendResult.Status.ACCEPTED, e.sequence());
    }

    /**
     * Sends one chunk of bulk transfer {@code transfer} to {@code destination} on the bulk class. Refused with
     * back-pressure while the next hop's bulk queue (or the messages waiting for its route) is at the bulk high-water
     * mark; the last chunk asks for an acknowledgement, sent once the destination reassembled the whole transfer.
     */
    public SendResult sendBulkChunk(long now, AgentId destination, io.jrtc.mesh.internal.wire.BulkChunk chunk) {
        advance(now);
        if (destination.equals(s.self)) {
            throw new IllegalArgumentException("send to self");
        }
        if (membership.active.isEmpty()) {
            return new SendResult(SendResult.Status.NOT_CONNECTED, -1);
        }
        if (router.congested(destination, ChannelClass.BULK, s.config.bulkHighWater)) {
            s.wantWritable = true;
            return new SendResult(SendResult.Status.BACKPRESSURE, -1);
        }
        Envelope e = sign(Envelope.BULK, chunk.last() ? Envelope.FLAG_ACK_REQUESTED : 0, destination, chunk.encode());
        if (chunk.last()) {
            router.expectAck(e.sequence(), destination);
        }
        routeLocal(e);
        return new SendResult(SendResult.Status.ACCEPTED, e.sequence());
    }

    private static void checkPayload(byte[] payload) {
        if (payload.length > Envelope.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes, at most " + Envelope.MAX_PAYLOAD);
        }
    }

    // ---- timers and outputs ----

    public void handleTimeout(long now) {
        advance(now);
        membership.onTimeout(s.now);
        tree.onTimeout(s.now);
        router.onTimeout(s.now);
        bulk.onTimeout(s.now);
        s.expireQueues(s.now);
    }

    public long pollTimeout() {
        long t = Math.min(Math.min(membership.nextTimeout(), bulk.nextTimeout()),
                Math.min(tree.nextTimeout(), router.nextTimeout()));
        for (Link l : s.links.values()) {
            for (var q : l.queues) {
                if (q != null && !q.isEmpty()) {
                    t = Math.min(t, q.peek().enqueuedAt() + s.config.queueExpiryNanos);
                }
            }
        }
        return t;
    }

    public Transmit pollTransmit() {
        return s.pollTransmit();
    }

    public OverlayEvent pollEvent() {
        return s.events.poll();
    }

    // ---- views and stats ----

    public List<AgentId> activeView() {
        return List.copyOf(membership.active.keySet());
    }

    public List<AgentId> passiveView() {
        return List.copyOf(membership.passive);
    }

    public List<AgentId> retryList() {
        return membership.retryList();
    }

    public OverlayStats stats() {
        return new OverlayStats(s.delivered, s.forwarded, s.broadcastReceived, s.duplicates, s.droppedCopy(),
                s.lastDeliveryHops, membership.active.size(), membership.passive.size(), s.linkCount(), s.grafts,
                s.prunes, tree.eagerCount(), router.routeCount(), s.treeMoves, s.announcements);
    }

    /** Links held plus links being opened: what the edge's PeerConnection count must stay within. */
    public int linkBudgetUsed() {
        return s.linkCount() + membership.connectingCount();
    }

    @Override
    public void neighbourUp(Link link) {
        tree.neighbourUp(link);
        router.routeFound(link.remote);
        for (Envelope e : revocations.values()) {
            s.enqueue(link, ChannelClass.RELIABLE, e.withHops(Math.min(e.hops() + 1, e.hopLimit())), e.id());
        }
    }

    @Override
    public void neighbourDown(Link link) {
        tree.neighbourDown(link.remote);
        router.neighbourDown(link.remote);
    }
}
