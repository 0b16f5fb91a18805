package io.jrtc.mesh.internal;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.OverlayConfig;
import io.jrtc.mesh.OverlayEvent;
import io.jrtc.mesh.Transmit;
import io.jrtc.mesh.internal.wire.Frame;
import io.jrtc.mesh.internal.wire.IHaveFrame;
import io.jrtc.mesh.internal.wire.MessageId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * State shared by the parts of one overlay core: the link table and its bounded queues, the event queue, the
 * counters and the seeded random source. Single-threaded, like the core.
 */
public final class CoreState {

    /** {@link ChannelClass#values()} once: the scans below run per frame, and {@code values()} copies the array. */
    private static final ChannelClass[] CLASSES = ChannelClass.values();

    final OverlayConfig config;
    final AgentId self;
    final SplittableRandom rng;
    final ArrayDeque<OverlayEvent> events = new ArrayDeque<>();
    /** Links by id, in the order they came up (iteration order is part of determinism). */
    final LinkedHashMap<Long, Link> links = new LinkedHashMap<>();
    final HashMap<AgentId, Link> linkByAgent = new HashMap<>();

    long now;
    long delivered;
    long forwarded;
    long broadcastReceived;
    long duplicates;
    int lastDeliveryHops;
    long grafts;
    long prunes;
    long treeMoves;
    /** IHAVE entries sent to lazy neighbours (OverlayStats.announcements). */
    long announcements;
    final EnumMap<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    /** A local send was refused for back-pressure: report {@link OverlayEvent.Writable} once queues drain. */
    boolean wantWritable;
    /** Agents whose keys an operator revoked: refused everywhere, their envelopes dropped as REVOKED. */
    final java.util.LinkedHashSet<AgentId> revoked = new java.util.LinkedHashSet<>();
    /** This agent's own key was revoked: it left and links with nobody. */
    boolean selfRevoked;
    /** Bulk forwarding: per downstream link, the upstream links whose bulk channel is paused until it drains. */
    final HashMap<Long, java.util.LinkedHashSet<Long>> bulkWaiters = new HashMap<>();
    /** Upstream links whose bulk channel this core asked the edge to pause. */
    final java.util.HashSet<Long> bulkPaused = new java.util.HashSet<>();
    long bulkPauses;

    CoreState(OverlayConfig config, AgentId self) {
        this.config = config;
        this.self = self;
        this.rng = new SplittableRandom(config.seed);
    }

    void drop(DropReason reason, MessageId id, long linkId) {
        dropped.merge(reason, 1L, Long::sum);
        if (reason != DropReason.DUPLICATE) {
            events.add(new OverlayEvent.Dropped(reason, id == null ? null : id.origin(), id == null ? -1 : id.sequence(),
                    linkId));
        }
    }

    /**
     * Queues a frame on a link. Returns false (and counts {@link DropReason#QUEUE_FULL}) when that class's queue is
     * at its limit.
     */
    boolean enqueue(Link link, ChannelClass c, Frame frame, MessageId id) {
        if (link.queued(c) >= config.queueLimit) {
            drop(DropReason.QUEUE_FULL, id, link.id);
            return false;
        }
        link.queue(c).add(new Link.Queued(frame.toBytes(), now, id));
        return true;
    }

    /**
     * A bulk chunk from {@code upstream} was queued on {@code downstream}: when that queue is at the bulk high-water
     * mark, the edge is asked to pause reading the upstream link's bulk channel (its SCTP window then holds the sender)
     * until the downstream queue drains below half of it.
     */
    void bulkForwarded(Link upstream, Link downstream) {
        if (downstream == null || downstream.queued(ChannelClass.BULK) < config.bulkHighWater
                || !links.containsKey(upstream.id)) {
            return;
        }
        bulkWaiters.computeIfAbsent(downstream.id, k -> new java.util.LinkedHashSet<>()).add(upstream.id);
        if (bulkPaused.add(upstream.id)) {
            bulkPauses++;
            events.add(new OverlayEvent.PauseInbound(upstream.id, ChannelClass.BULK, true));
        }
    }

    /** {@code downstream} drained (or is gone): resume the upstream bulk channels that waited for it alone. */
    void releaseBulk(long downstream) {
        java.util.LinkedHashSet<Long> ups = bulkWaiters.remove(downstream);
        if (ups == null) {
            return;
        }
        for (long up : ups) {
            boolean stillWaiting = false;
            for (java.util.LinkedHashSet<Long> other : bulkWaiters.values()) {
                stillWaiting |= other.contains(up);
            }
            if (!stillWaiting && bulkPaused.remove(up) && links.containsKey(up)) {
                events.add(new OverlayEvent.PauseInbound(up, ChannelClass.BULK, false));
            }
        }
    }

    private void linkGoneForBulk(long id) {
        releaseBulk(id);
        bulkPaused.remove(id);
        for (java.util.LinkedHashSet<Long> ups : bulkWaiters.values()) {
            ups.remove(id);
        }
    }

    boolean sendControl(Link link, Frame frame) {
        return enqueue(link, ChannelClass.CONTROL, frame, null);
    }

    /**
     * The next frame to hand to the edge: queued frames first (control, then the other classes, link by link), then
     * the IHAVE batches, so that a broadcast's eager payloads leave before its announcements to lazy links.
     */
    Transmit pollTransmit() {
        for (Iterator<Link> it = links.values().iterator(); it.hasNext(); ) {
            Link l = it.next();
            for (ChannelClass c : CLASSES) {
                ArrayDeque<Link.Queued> q = l.queues[c.ordinal()];
                if (q != null && !q.isEmpty() && !l.blocked[c.ordinal()]) {
                    Link.Queued f = q.poll();
                    if (q.size() < config.highWater / 2) {
                        checkWritable();
                    }
                    if (c == ChannelClass.BULK && q.size() < config.bulkHighWater / 2) {
                        releaseBulk(l.id);
                        checkWritable();
                    }
                    return new Transmit(l.id, c, f.bytes());
                }
            }
            if (l.state == Link.State.CLOSING && l.isEmpty()) {
                it.remove();
                linkGoneForBulk(l.id);
                if (linkByAgent.get(l.remote) == l) {
                    linkByAgent.remove(l.remote);
                }
                events.add(new OverlayEvent.CloseRequested(l.id));
            }
        }
        for (Link l : links.values()) {
            if (!l.pendingIHave.isEmpty() && !l.blocked[ChannelClass.CONTROL.ordinal()]) {
                // at most one frame's worth: the rest goes in the next IHAVE (a link whose control class was blocked
                // for a while can hold more than one frame may carry)
                List<IHaveFrame.Entry> head = l.pendingIHave.subList(0, Math.min(l.pendingIHave.size(), IHaveFrame.MAX_ENTRIES));
                List<IHaveFrame.Entry> entries = new ArrayList<>(head);
                head.clear();
                announcements += entries.size();
                return new Transmit(l.id, ChannelClass.CONTROL, new IHaveFrame(entries).toBytes());
            }
        }
        return null;
    }

    /** Drops queued frames older than the queue expiry; returns the earliest expiry still pending. */
    long expireQueues(long now) {
        long next = Long.MAX_VALUE;
        for (Link l : links.values()) {
            for (ArrayDeque<Link.Queued> q : l.queues) {
                while (q != null && !q.isEmpty() && now - q.peek().enqueuedAt() >= config.queueExpiryNanos) {
                    Link.Queued f = q.poll();
                    drop(DropReason.EXPIRED, f.id(), l.id);
                }
                if (q != null && q == l.queues[ChannelClass.BULK.ordinal()] && q.size() < config.bulkHighWater / 2) {
                    releaseBulk(l.id);
                }
                if (q != null && !q.isEmpty()) {
                    next = Math.min(next, q.peek().enqueuedAt() + config.queueExpiryNanos);
                }
            }
        }
        checkWritable();
        return next;
    }

    /** Forgets a link whose transport is gone: its queued frames are dropped as {@link DropReason#LINK_DOWN}. */
    void forget(Link l) {
        links.remove(l.id);
        linkGoneForBulk(l.id);
        if (linkByAgent.get(l.remote) == l) {
            linkByAgent.remove(l.remote);
        }
        for (ArrayDeque<Link.Queued> q : l.queues) {
            while (q != null && !q.isEmpty()) {
                drop(DropReason.LINK_DOWN, q.poll().id(), l.id);
            }
        }
        l.pendingIHave.clear();
        l.deferredIHave.clear();
        checkWritable();
    }

    /** Drops every queued frame that {@code origin} originated, as {@link DropReason#REVOKED}. */
    void purgeOrigin(AgentId origin) {
        for (Link l : links.values()) {
            for (ArrayDeque<Link.Queued> q : l.queues) {
                if (q == null) {
                    continue;
                }
                for (Iterator<Link.Queued> it = q.iterator(); it.hasNext(); ) {
                    Link.Queued f = it.next();
                    if (f.id() != null && f.id().origin().equals(origin)) {
                        it.remove();
                        drop(DropReason.REVOKED, f.id(), l.id);
                    }
                }
            }
            l.pendingIHave.removeIf(m -> m.id().origin().equals(origin));
            l.deferredIHave.removeIf(m -> m.id().origin().equals(origin));
        }
        checkWritable();
    }

    /** Drops what is queued on a link (LINK_DOWN): nothing more goes to its remote. */
    void dropQueued(Link l) {
        for (ArrayDeque<Link.Queued> q : l.queues) {
            while (q != null && !q.isEmpty()) {
                drop(DropReason.LINK_DOWN, q.poll().id(), l.id);
            }
        }
        releaseBulk(l.id);
        l.pendingIHave.clear();
        l.deferredIHave.clear();
    }

    /** Starts closing a link: it leaves every view now; the edge is asked to close it once its queue drained. */
    void close(Link l) {
        if (l.state != Link.State.CLOSING) {
            l.state = Link.State.CLOSING;
            l.closingSince = now;
            l.pendingIHave.clear();
            l.deferredIHave.clear();
        }
    }

    /** True when some link's queue of class {@code c} is at or above the high-water mark. */
    boolean aboveHighWater(ChannelClass c) {
        for (Link l : links.values()) {
            if (l.state == Link.State.ACTIVE && l.queued(c) >= config.highWater) {
                return true;
            }
        }
        return false;
    }

    void checkWritable() {
        if (!wantWritable) {
            return;
        }
        for (Link l : links.values()) {
            for (ChannelClass c : CLASSES) {
                int mark = c == ChannelClass.BULK ? config.bulkHighWater : config.highWater;
                if (l.queued(c) >= mark / 2) {
                    return;
                }
            }
        }
        wantWritable = false;
        events.add(new OverlayEvent.Writable());
    }

    int linkCount() {
        return links.size();
    }

    Map<DropReason, Long> droppedCopy() {
        return new EnumMap<>(dropped);
    }

    <T> T pick(List<T> list) {
        return list.get(rng.nextInt(list.size()));
    }

    long jitter(long base) {
        return base / 2 + rng.nextLong(base + 1);
    }
}
