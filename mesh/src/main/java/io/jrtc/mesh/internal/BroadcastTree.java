package io.jrtc.mesh.internal;

import io.jrtc.common.Timer;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.internal.wire.Envelope;
import io.jrtc.mesh.internal.wire.GraftFrame;
import io.jrtc.mesh.internal.wire.IHaveFrame;
import io.jrtc.mesh.internal.wire.MessageId;
import io.jrtc.mesh.internal.wire.PruneFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumtree (epidemic broadcast trees): payloads go eagerly along tree links, ids go lazily (IHAVE, batched per
 * drain) along the others. A duplicate payload prunes the link it came over to lazy; an IHAVE for a message not
 * received within T1 grafts the announcing link back into the tree and asks for the payload, trying the next
 * announcer every T2. Recent payloads are kept (bounded by count and age) to answer GRAFTs.
 *
 * <p>Tree optimisation (the paper's, off with a threshold of 0): each IHAVE entry carries the hops its payload would
 * have over that link. When a lazy neighbour announces a message this agent got over the tree with at least
 * {@code treeOptimisationThreshold} more hops, whether the IHAVE came before the payload or after it, that neighbour
 * is put on the tree (an empty GRAFT: nothing to resend). The old parent stays on it: the next message over the loop
 * this closes arrives twice, and the copy that comes second prunes its link, as any duplicate does.
 *
 * <p>The paper's two self-healing rules hold as well: the neighbour a first copy came from is (again) on the tree,
 * and a duplicate prunes its link whichever set that neighbour was in here. Without them, and with a move that
 * pruned the old parent at once, moves made at about the same time on the tree every origin shares cut it into
 * islands that only GRAFTs reached, after T1 (mesh README, "Broadcast (Plumtree)").
 */
final class BroadcastTree {

    /** A payload kept for GRAFTs, with the tree neighbour it came from (null: sent here) and the hops it had. */
    private static final class Stored {
        final Envelope envelope;
        final long at;
        AgentId parent;
        int hops;

        Stored(Envelope envelope, long at, AgentId parent, int hops) {
            this.envelope = envelope;
            this.at = at;
            this.parent = parent;
            this.hops = hops;
        }
    }

    /** One entry of {@link #timers}: stale once its missing message's graft timer was restarted or dropped. */
    private record Due(long at, long order, MessageId id) {
    }

    /** Plumtree's graft timer, one per missing message: all share this spec. */
    private static final Timer.Spec GRAFT_TIMER = Timer.Spec.fixed("mesh-graft");

    private static final class Missing {
        final ArrayDeque<AgentId> announcers = new ArrayDeque<>();
        /** The hops each announcer's copy would have, in order of announcement. */
        final LinkedHashMap<AgentId, Integer> announcedHops = new LinkedHashMap<>();
        /** When to GRAFT (first IHAVE + ihaveTimeout, then every graftRetry). */
        final Timer graft = new Timer(GRAFT_TIMER);
    }

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastTree.class);

    private final CoreState s;
    private final LinkedHashSet<AgentId> eager = new LinkedHashSet<>();
    private final LinkedHashSet<AgentId> lazy = new LinkedHashSet<>();
    /**
     * The hops of an announcement held back by the lazy fanout: the most an IHAVE entry can say, so no tree move
     * (which needs an announcer at least the threshold closer) is ever made on one. Moves made on announcements that
     * arrive in a flushed batch, up to the flush delay late and several at once, cut broadcasts on their way (their
     * new parents had already passed them on) and cost a GRAFT after T1 each.
     */
    static final int UNKNOWN_HOPS = 255;

    /** Scratch list of {@link #announce}. */
    private final ArrayList<AgentId> sample = new ArrayList<>();
    /** When the ids held back by the lazy fanout go out; Long.MAX_VALUE: none is held back. */
    private long lazyFlushAt = Long.MAX_VALUE;
    private final LinkedHashMap<MessageId, Stored> store = new LinkedHashMap<>();
    private final HashMap<MessageId, Missing> missing = new HashMap<>();
    private final PriorityQueue<Due> timers = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;

    BroadcastTree(CoreState s) {
        this.s = s;
    }

    void neighbourUp(Link link) {
        AgentId a = link.remote;
        if (s.config.eagerLimit > 0 && eager.size() >= s.config.eagerLimit) {
            lazy.add(a);
        } else {
            lazy.remove(a);
            eager.add(a);
        }
        catchUp(link);
    }

    /**
     * Announces the most recent stored broadcasts (at most {@code catchUpIds}, oldest first, those that came within the
     * catch-up window) to a neighbour that just came up, as "hops unknown": see {@code OverlayConfig.catchUpIds}.
     */
    private void catchUp(Link link) {
        int n = s.config.catchUpIds;
        if (n == 0 || store.isEmpty()) {
            return;
        }
        trimStore();
        int skip = Math.max(0, store.size() - n);
        for (Map.Entry<MessageId, Stored> e : store.entrySet()) {
            if (skip > 0) {
                skip--;
            } else if (s.now - e.getValue().at <= s.config.catchUpNanos && !link.remote.equals(e.getValue().parent)) {
                link.pendingIHave.add(new IHaveFrame.Entry(e.getKey(), UNKNOWN_HOPS));
            }
        }
    }

    /** {@code origin} was revoked: its stored payloads are no longer served to GRAFTs, nor grafted when missing. */
    void forgetOrigin(AgentId origin) {
        store.keySet().removeIf(id -> id.origin().equals(origin));
        missing.keySet().removeIf(id -> id.origin().equals(origin));
    }

    void neighbourDown(AgentId a) {
        eager.remove(a);
        lazy.remove(a);
        for (Missing m : missing.values()) {
            m.announcers.remove(a);
            m.announcedHops.remove(a);
        }
    }

    /**
     * A fresh (verified, first-seen) broadcast-kind envelope, from {@code from} or originated here ({@code from}
     * null): keep it for GRAFTs and push it on.
     */
    void onFresh(Envelope e, AgentId from) {
        MessageId id = e.id();
        Missing announced = missing.remove(id);
        if (from != null && lazy.remove(from)) {
            // it pushed this here, so this agent is on its tree: it goes on ours (a PRUNE of ours crossed its push)
            eager.add(from);
        }
        boolean unreliable = e.unreliable();
        Stored stored = null;
        if (!unreliable) {
            stored = new Stored(e, s.now, from, e.hops());
            store.put(id, stored);
            trimStore();
        }
        if (e.hops() >= e.hopLimit()) {
            s.drop(DropReason.TTL_EXCEEDED, id, -1);
            return;
        }
        Envelope next = e.withHops(e.hops() + 1);
        IHaveFrame.Entry announcement = new IHaveFrame.Entry(id, next.hops());
        if (unreliable) {
            // best effort: pushed once along the tree on the unreliable class; no IHAVE, so no GRAFT repairs a loss
            for (AgentId a : eager) {
                Link l = s.linkByAgent.get(a);
                if (!a.equals(from) && l != null && !l.low && s.enqueue(l, ChannelClass.UNRELIABLE, next, id)
                        && from != null) {
                    s.forwarded++;
                }
            }
            return;
        }
        for (AgentId a : eager) {
            if (!a.equals(from)) {
                Link l = s.linkByAgent.get(a);
                if (l != null && l.low) {
                    l.pendingIHave.add(announcement); // a LOW link gets the id only; its far end grafts if it must
                } else if (l != null && s.enqueue(l, ChannelClass.RELIABLE, next, id) && from != null) {
                    s.forwarded++;
                }
            }
        }
        announce(announcement, from);
        if (announced != null && stored != null && from != null) {
            // announced before the payload came: the tree moves after the push above (the new parent has the message)
            AgentId best = null;
            int bestHops = Integer.MAX_VALUE;
            for (Map.Entry<AgentId, Integer> a : announced.announcedHops.entrySet()) {
                if (a.getValue() < bestHops && !a.getKey().equals(from)) {
                    best = a.getKey();
                    bestHops = a.getValue();
                }
            }
            if (best != null) {
                maybeMoveTree(stored, best, bestHops);
            }
        }
    }

    /**
     * Lazy push: queues {@code announcement} for every lazy neighbour but {@code from}. With a lazy fanout, a random
     * sample of that many goes at the next drain and the others' wait for the next lazy flush (one IHAVE per link
     * with every id held back for it), so that a dense overlay's announcements do not compete with its payloads.
     */
    private void announce(IHaveFrame.Entry announcement, AgentId from) {
        sample.clear();
        for (AgentId a : lazy) {
            if (!a.equals(from)) {
                sample.add(a);
            }
        }
        // 0 or a fanout the lazy links do not exceed: every one at once; else a partial Fisher-Yates shuffle makes the
        // first `fanout` entries a uniform sample (seeded: same seed, same trace) and the others wait for the flush
        int fanout = s.config.lazyFanout == 0 ? sample.size() : Math.min(s.config.lazyFanout, sample.size());
        for (int i = 0; i < sample.size(); i++) {
            if (i < fanout && fanout < sample.size()) {
                int j = i + s.rng.nextInt(sample.size() - i);
                AgentId pick = sample.get(j);
                sample.set(j, sample.get(i));
                sample.set(i, pick);
            }
            Link l = s.linkByAgent.get(sample.get(i));
            if (l == null) {
                continue;
            }
            if (i < fanout) {
                l.pendingIHave.add(announcement);
            } else {
                // held back: announced as "hops unknown", so that it can start a GRAFT but never moves the tree
                if (l.deferredIHave.isEmpty() || l.deferredFlushAt == Long.MAX_VALUE) {
                    l.deferredFlushAt = flushSlot(l, s.now);
                    lazyFlushAt = Math.min(lazyFlushAt, l.deferredFlushAt);
                }
                l.deferredIHave.add(new IHaveFrame.Entry(announcement.id(), UNKNOWN_HOPS));
            }
        }
    }

    /**
     * The lazy flush of each link whose slot has come: the ids held back for it join its next IHAVE. Each link has its
     * own slot on a grid of {@code lazyDelayNanos}, at a phase drawn from the link's id and remote: one timer for all
     * the links of every agent, armed by the broadcast that first held an id back, made every agent of the mesh flush
     * all its links at once, half a second after the same broadcast, and that burst (one IHAVE per lazy link of the
     * mesh: about 1,800 frames at 100 agents, k = 20) stalled whichever broadcast was spreading then.
     */
    private void flushDeferred(long now) {
        lazyFlushAt = Long.MAX_VALUE;
        for (Link l : s.linkByAgent.values()) {
            if (l.deferredIHave.isEmpty()) {
                l.deferredFlushAt = Long.MAX_VALUE;
            } else if (l.deferredFlushAt <= now) {
                l.pendingIHave.addAll(l.deferredIHave);
                l.deferredIHave.clear();
                l.deferredFlushAt = Long.MAX_VALUE;
            } else {
                lazyFlushAt = Math.min(lazyFlushAt, l.deferredFlushAt);
            }
        }
    }

    /**
     * The link's first slot at least half a period after {@code now}: within {@code [now + d/2, now + 3d/2)} for a
     * period d of {@code lazyDelayNanos}, d on average. Half a period at least keeps the held-back announcements
     * out of the way of the payloads while the broadcast spreads.
     */
    private long flushSlot(Link l, long now) {
        long d = Math.max(1, s.config.lazyDelayNanos);
        long phase = Math.floorMod(SplitMix.mix((l.remote.lo() ^ (l.id * SplitMix.GAMMA)) + SplitMix.GAMMA), d);
        long earliest = now + d / 2;
        return earliest + Math.floorMod(phase - earliest, d);
    }

    /**
     * Tree optimisation: {@code candidate}, a lazy neighbour, announced the stored message at {@code hops}. If that
     * beats the copy's path by the threshold, the candidate joins the tree. The copy's parent stays on it until a
     * message comes over both and the later copy prunes one of the two links. Pruning the parent here, at once, cut
     * the tree whenever another agent's move or prune changed it meanwhile: the candidate's hops say how it was
     * linked when it announced, not how it is linked now, and every origin shares the tree.
     */
    private void maybeMoveTree(Stored st, AgentId candidate, int hops) {
        int threshold = s.config.treeOptimisationThreshold;
        if (threshold <= 0 || st.parent == null || candidate.equals(st.parent) || st.hops - hops < threshold
                || !eager.contains(st.parent) || eager.contains(candidate)) {
            return;
        }
        Link to = s.linkByAgent.get(candidate);
        if (to == null || to.low || to.state != Link.State.ACTIVE || !s.linkByAgent.containsKey(st.parent)) {
            return; // a LOW link carries no payloads: it cannot be the parent
        }
        lazy.remove(candidate);
        eager.add(candidate);
        s.sendControl(to, GraftFrame.TREE_ONLY);
        s.treeMoves++;
        LOG.trace("{}: tree moved from {} ({} hops) to {} ({} hops) after {}", s.self.shortString(),
                st.parent.shortString(), st.hops, candidate.shortString(), hops, st.envelope.id());
        st.parent = candidate;
        st.hops = hops;
    }

    /**
     * A copy of a message already seen arrived from {@code from}: that link leaves the tree, at both ends. The PRUNE
     * goes even when {@code from} is lazy here: it pushed, so this agent is still on its tree, and it would go on
     * pushing every message here twice.
     */
    void onDuplicate(AgentId from) {
        eager.remove(from);
        lazy.add(from);
        Link l = s.linkByAgent.get(from);
        if (l != null) {
            s.sendControl(l, PruneFrame.INSTANCE);
            s.prunes++;
        }
    }

    void onIHave(AgentId from, List<IHaveFrame.Entry> entries, Gate gate) {
        for (IHaveFrame.Entry entry : entries) {
            MessageId id = entry.id();
            if (s.revoked.contains(id.origin())) {
                continue;
            }
            if (gate.seen(id)) {
                Stored st = store.get(id);
                if (st != null) {
                    maybeMoveTree(st, from, entry.hops());
                }
                continue;
            }
            Missing m = missing.get(id);
            if (m == null) {
                m = new Missing();
                m.graft.start(s.now, s.config.ihaveTimeoutNanos);
                missing.put(id, m);
                timers.add(new Due(m.graft.deadline(), order++, id));
            }
            if (!m.announcers.contains(from)) {
                m.announcers.add(from);
            }
            m.announcedHops.merge(from, entry.hops(), Math::min);
        }
    }

    void onGraft(AgentId from, List<MessageId> ids) {
        lazy.remove(from);
        eager.add(from);
        Link l = s.linkByAgent.get(from);
        if (l == null) {
            return;
        }
        for (MessageId id : ids) {
            Stored st = store.get(id);
            if (st != null && st.envelope.hops() < st.envelope.hopLimit()) {
                s.enqueue(l, ChannelClass.RELIABLE, st.envelope.withHops(st.envelope.hops() + 1), id);
            }
        }
    }

    void onPrune(AgentId from) {
        if (eager.remove(from)) {
            lazy.add(from);
        }
    }

    long nextTimeout() {
        Due d = timers.peek();
        return Math.min(lazyFlushAt, d == null ? Long.MAX_VALUE : d.at);
    }

    void onTimeout(long now) {
        if (lazyFlushAt <= now) {
            flushDeferred(now);
        }
        while (!timers.isEmpty() && timers.peek().at <= now) {
            Due d = timers.poll();
            Missing m = missing.get(d.id);
            if (m == null || m.graft.deadline() != d.at) {
                continue;
            }
            m.announcers.removeIf(x -> !s.linkByAgent.containsKey(x));
            AgentId a = null;
            for (AgentId x : m.announcers) {
                if (!s.linkByAgent.get(x).low) {
                    a = x; // graft over a link that is not LOW when one announced the message
                    break;
                }
            }
            if (a == null) {
                a = m.announcers.peek();
            }
            m.announcers.remove(a);
            if (a == null) {
                missing.remove(d.id);
                continue;
            }
            lazy.remove(a);
            eager.add(a);
            s.sendControl(s.linkByAgent.get(a), new GraftFrame(List.of(d.id)));
            s.grafts++;
            m.graft.start(now, s.config.graftRetryNanos);
            timers.add(new Due(m.graft.deadline(), order++, d.id));
        }
    }

    private void trimStore() {
        for (Iterator<Map.Entry<MessageId, Stored>> it = store.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<MessageId, Stored> e = it.next();
            if (store.size() > s.config.messageStoreSize || s.now - e.getValue().at >= s.config.messageStoreNanos) {
                it.remove();
            } else {
                break;
            }
        }
    }

    int eagerCount() {
        return eager.size();
    }

    int lazyCount() {
        return lazy.size();
    }

    boolean isEager(AgentId a) {
        return eager.contains(a);
    }
}
