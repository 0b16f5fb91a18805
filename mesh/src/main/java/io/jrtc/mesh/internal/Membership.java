package io.jrtc.mesh.internal;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.OverlayEvent;
import io.jrtc.mesh.internal.wire.DisconnectFrame;
import io.jrtc.mesh.internal.wire.Envelope;
import io.jrtc.mesh.internal.wire.ForwardJoinFrame;
import io.jrtc.mesh.internal.wire.Frame;
import io.jrtc.mesh.internal.wire.JoinFrame;
import io.jrtc.mesh.internal.wire.NeighborFrame;
import io.jrtc.mesh.internal.wire.NeighborReplyFrame;
import io.jrtc.mesh.internal.wire.ShuffleFrame;
import io.jrtc.mesh.internal.wire.ShuffleReplyFrame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HyParView membership over abstract links: a small active view (the links in use, at most the degree), a passive
 * view of candidates for repair, one-hop shuffles that spread knowledge of agents without signaling, and a retry
 * list of agents whose link failed (or who could not be reached) that are probed with backoff. The retry list is
 * what re-merges a partition: each side remembers agents of the other side and keeps probing them.
 *
 * <p>Departures from the paper: shuffles go to one active neighbour instead of a random walk (no temporary links);
 * a failed agent goes to the retry list rather than being forgotten; a probe that succeeds is a high-priority
 * NEIGHBOR, so it can take a slot in a full view (evicting a random neighbour, who then repairs from its passive
 * view).
 */
final class Membership {

    /** Why a link is being opened. */
    enum Intent { JOIN, NEIGHBOR_HIGH, NEIGHBOR_LOW, PROBE }

    interface Listener {
        void neighbourUp(Link link);

        void neighbourDown(Link link);
    }

    private record Pending(Intent intent, long deadline) {
    }

    private static final class Retry {
        int failures;
        final long firstFailure;
        long nextAttempt;

        Retry(long now) {
            firstFailure = now;
        }
    }

    private final CoreState s;
    private final Listener listener;
    final LinkedHashMap<AgentId, Link> active = new LinkedHashMap<>();
    final List<AgentId> passive = new ArrayList<>();
    private final LinkedHashMap<AgentId, Retry> retry = new LinkedHashMap<>();
    private final LinkedHashMap<AgentId, Pending> connecting = new LinkedHashMap<>();
    /**
     * Agents that refused a NEIGHBOR request of ours since the active view last grew, each until when it is passed
     * over ({@link OverlayConfig#refusalMemoryNanos}, spread and doubled as in {@link #refused}). Once every candidate
     * in the passive view has refused, a low-priority request can never succeed (full agents refuse them, and agents
     * with room are not in our view): an agent at half its degree or below then sends the next request with high
     * priority, which a full agent
     * accepts by dropping a neighbour. Without this, a component whose agents are all at degree never merges with one
     * whose agents are all below it (seen as a pair and a full triangle among five agents of degree 2).
     *
     * <p>A refusal is forgotten after its time even if the view has not grown: the refusal may have had a passing
     * reason. Two agents of a six-agent full mesh, each refused once by the other, stayed apart for good at four
     * neighbours each, above half their degree, so neither escalated (CI, drill C).
     */
    private final LinkedHashMap<AgentId, Refusal> refusedSinceGrowth = new LinkedHashMap<>();

    /** Refusals by one agent since the view last grew, and until when it is passed over. */
    private static final class Refusal {
        int count;
        long until;
    }

    /** A candidate refused again is passed over twice as long as the time before, at most this many times the memory. */
    static final int REFUSAL_MEMORY_MAX_FACTOR = 16;
    /**
     * Only an agent at half its degree or below escalates, one request at a time, and the backoff counts escalations
     * that <em>won</em> a neighbour (the ones that evict): the first goes at once, the next 5 s after a success,
     * doubling to 5 min; the count is forgotten 10 min after the last success. When degree × agents is odd, one agent
     * is always a neighbour short whatever the links; had it escalated, the shortage would move to the neighbour that
     * made room, which would escalate in turn, replacing a link every few seconds for ever (measured: 6 links in 5
     * minutes among five agents of degree 3 with the backoff alone; none with the half-degree rule).
     *
     * <p>An escalation that fails (refused, unreachable, timed out: a full remote never refuses a high-priority
     * request, so these are the network's or the local set-up queue's doing) evicts nobody and does not grow that
     * backoff; the next one waits 5 s, doubling to 30 s while they keep failing. Before, failures counted too: while a
     * large overlay formed, an agent's escalations waited behind everyone's set-ups and were answered "refused", its
     * backoff reached minutes, and once the overlay was quiet it stayed at 1–3 neighbours for minutes (1,000 agents of
     * degree 8, in one JVM and in the emulator with {@code SetupPacing}).
     */
    private int escalations;
    private long lastEscalation;
    private long escalationSentAt;
    private int escalationFailures;
    private long nextEscalation = Long.MIN_VALUE;
    /** The agent the escalation in flight asked, until it is a neighbour (a success) or the request is gone. */
    private AgentId escalatingTo;
    /** After a won escalation while the agent is still climbing to half its degree (see {@link #escalationWon}). */
    static final long ESCALATION_CLIMB_NANOS = 1_000_000_000L;
    static final long ESCALATION_BACKOFF_NANOS = 5_000_000_000L;
    static final long ESCALATION_BACKOFF_MAX_NANOS = 300_000_000_000L;
    static final long ESCALATION_RETRY_MAX_NANOS = 30_000_000_000L;
    static final long ESCALATION_FORGET_NANOS = 600_000_000_000L;
    private long nextMaintenance;
    private long nextShuffle;

    Membership(CoreState s, Listener listener) {
        this.s = s;
        this.listener = listener;
        this.nextMaintenance = s.jitter(s.config.maintenanceIntervalNanos);
        this.nextShuffle = s.jitter(s.config.shuffleIntervalNanos);
    }

    void start(long now) {
        nextMaintenance = now + s.jitter(s.config.maintenanceIntervalNanos);
        nextShuffle = now + s.jitter(s.config.shuffleIntervalNanos);
    }

    // ---- bootstrap and edge inputs ----

    void join(AgentId contact) {
        connect(contact, Intent.JOIN);
    }

    void addCandidates(Collection<AgentId> ids) {
        for (AgentId id : ids) {
            addPassive(id);
        }
    }

    boolean admit(AgentId remote) {
        if (remote.equals(s.self) || s.selfRevoked || s.revoked.contains(remote) || s.linkByAgent.containsKey(remote) || !hasCapacity()) {
            return false;
        }
        // Both sides dialling each other: only the dial from the smaller id goes through.
        return !(connecting.containsKey(remote) && s.self.compareTo(remote) < 0);
    }

    /**
     * Whether the link being opened to {@code remote} is for a low-priority NEIGHBOR request, which a remote with a
     * full active view refuses: the edge tells the remote so before the link is built, letting it refuse at once.
     */
    boolean lowPriorityDial(AgentId remote) {
        Pending p = connecting.get(remote);
        return p != null && p.intent == Intent.NEIGHBOR_LOW;
    }

    /** Active-view slots still free: where a low-priority NEIGHBOR request would be accepted. */
    int activeRoom() {
        return s.config.degree - active.size();
    }

    void linkUp(long linkId, AgentId remote, boolean outbound) {
        Pending p = outbound ? connecting.remove(remote) : null;
        boolean duplicate = s.linkByAgent.containsKey(remote) || s.links.containsKey(linkId) || remote.equals(s.self)
                || s.revoked.contains(remote);
        Link link = new Link(linkId, remote, outbound, s.now, Link.State.PENDING_IN);
        if (duplicate || (outbound && p == null)) {
            s.events.add(new OverlayEvent.CloseRequested(linkId));
            return;
        }
        s.links.put(linkId, link);
        s.linkByAgent.put(remote, link);
        if (!outbound) {
            Pending mine = connecting.get(remote);
            // our JOIN crossed the contact's own dial, whose link won: the JOIN goes over it once it is active
            // (else the contact would never start the newcomer's FORWARD_JOIN walks)
            link.joinWhenActive = mine != null && mine.intent == Intent.JOIN;
            return;
        }
        if (p.intent == Intent.JOIN) {
            s.sendControl(link, JoinFrame.INSTANCE);
            addActive(link);
        } else {
            link.state = Link.State.AWAIT_REPLY;
            s.sendControl(link, new NeighborFrame(p.intent != Intent.NEIGHBOR_LOW));
        }
    }

    void linkFailed(AgentId remote, boolean refused) {
        Pending p = connecting.remove(remote);
        if (p == null) {
            return;
        }
        if (refused) {
            refused(remote);
            addPassive(remote);
        } else {
            passive.remove(remote);
            addRetry(remote);
        }
        maintain(s.now, false);
    }

    /**
     * A link's transport is gone. A neighbour lost without a goodbye goes to the retry list (it may be cut off, not
     * dead); a link still being negotiated is simply forgotten.
     */
    void linkDown(Link link) {
        boolean wasActive = link.state == Link.State.ACTIVE;
        s.forget(link);
        if (wasActive) {
            removeActive(link);
            addRetry(link.remote);
            maintain(s.now, false);
        }
    }

    // ---- frames ----

    void onFrame(Link link, Frame f) {
        switch (f) {
            case JoinFrame j -> onJoin(link);
            case NeighborFrame n -> onNeighbor(link, n.high());
            case NeighborReplyFrame r -> onNeighborReply(link, r.accepted());
            case ForwardJoinFrame fj -> onForwardJoin(link, fj.ttl(), fj.newcomer());
            case DisconnectFrame d -> onDisconnect(link);
            case ShuffleFrame sh -> onShuffle(link, sh.agents());
            case ShuffleReplyFrame r -> integrate(r.agents());
            default -> throw new IllegalArgumentException("not a membership frame: " + f);
        }
    }

    private void onJoin(Link link) {
        if (link.state == Link.State.ACTIVE && !link.outbound) {
            return; // a JOIN is sent on the newcomer's own link, or on ours to it once that is active
        }
        if (link.state != Link.State.PENDING_IN && link.state != Link.State.ACTIVE) {
            return;
        }
        if (link.state == Link.State.PENDING_IN) {
            addActive(link);
        }
        for (Link n : new ArrayList<>(active.values())) {
            if (n != link) {
                s.sendControl(n, new ForwardJoinFrame(s.config.activeWalk, link.remote));
            }
        }
    }

    private void onNeighbor(Link link, boolean high) {
        if (link.state == Link.State.ACTIVE) {
            // the remote asks again on a link that is active here: it lost its side's state. A process restarted
            // under the same identity dials with a new certificate, and the edge keeps our side of the link under its
            // core id (as for a certificate rotation). It is our neighbour already: say so, or it waits for a reply
            // until its connect timeout and closes a link that works
            s.sendControl(link, new NeighborReplyFrame(true));
            return;
        }
        if (link.state != Link.State.PENDING_IN) {
            return;
        }
        if (high || active.size() < s.config.degree) {
            addActive(link);
            s.sendControl(link, new NeighborReplyFrame(true));
            if (link.joinWhenActive) {
                link.joinWhenActive = false;
                s.sendControl(link, JoinFrame.INSTANCE); // after the reply: the contact takes it on an active link
            }
        } else {
            s.sendControl(link, new NeighborReplyFrame(false));
            s.close(link);
            addPassive(link.remote);
        }
    }

    private void onNeighborReply(Link link, boolean accepted) {
        if (link.state != Link.State.AWAIT_REPLY) {
            return;
        }
        if (accepted) {
            addActive(link);
        } else {
            refused(link.remote);
            s.close(link);
            addPassive(link.remote);
        }
    }

    /**
     * {@code remote} refused: passed over for 50–150 % of the refusal memory, doubled for each earlier refusal by it
     * since the view last grew but the first (1, 1, 2, 4, ... times, at most {@link #REFUSAL_MEMORY_MAX_FACTOR}).
     * Doubling keeps an agent that stays a neighbour short among full candidates from asking each of them every 20 s
     * for ever (an ask is a signaling round trip); starting it at the third refusal keeps a pair kept apart by two
     * passing refusals from waiting a minute more. The spread comes from the two agents' ids, not the core's random
     * stream, so that it changes no other random choice (the emulator's pinned traces).
     */
    private void refused(AgentId remote) {
        Refusal r = refusedSinceGrowth.get(remote);
        if (r == null) {
            if (refusedSinceGrowth.size() >= 4 * Math.max(s.config.passiveSize, 8)) {
                long now = s.now;
                refusedSinceGrowth.values().removeIf(e -> now >= e.until);
            }
            r = new Refusal();
            refusedSinceGrowth.put(remote, r);
        }
        long memory = s.config.refusalMemoryNanos
                * Math.min(REFUSAL_MEMORY_MAX_FACTOR, 1L << Math.min(Math.max(0, r.count - 1), 30));
        r.count++;
        long spread = Math.floorMod(remote.lo() * 0x9E3779B97F4A7C15L ^ s.self.lo(), memory + 1);
        r.until = s.now + memory / 2 + spread;
    }

    private void onForwardJoin(Link from, int ttl, AgentId newcomer) {
        if (newcomer.equals(s.self) || active.containsKey(newcomer)) {
            return;
        }
        if (ttl == 0 || active.size() <= 1) {
            connect(newcomer, Intent.NEIGHBOR_HIGH);
            return;
        }
        if (ttl == s.config.passiveWalk) {
            addPassive(newcomer);
        }
        List<Link> next = new ArrayList<>();
        for (Link l : active.values()) {
            if (l != from && !l.remote.equals(newcomer)) {
                next.add(l);
            }
        }
        if (next.isEmpty()) {
            connect(newcomer, Intent.NEIGHBOR_HIGH);
        } else {
            s.sendControl(s.pick(next), new ForwardJoinFrame(ttl - 1, newcomer));
        }
    }

    private void onDisconnect(Link link) {
        boolean wasActive = link.state == Link.State.ACTIVE;
        s.forget(link);
        s.events.add(new OverlayEvent.CloseRequested(link.id));
        if (wasActive) {
            removeActive(link);
        }
        addPassive(link.remote);
        maintain(s.now, false);
    }

    private void onShuffle(Link from, List<AgentId> offered) {
        List<AgentId> reply = sample(offered.size(), from.remote);
        s.sendControl(from, new ShuffleReplyFrame(reply));
        integrate(offered);
    }

    // ---- views ----

    private void addActive(Link link) {
        if (active.size() >= s.config.degree) {
            List<Link> victims = new ArrayList<>(active.values());
            Link victim = s.pick(victims);
            s.sendControl(victim, DisconnectFrame.INSTANCE);
            removeActive(victim);
            s.close(victim);
            addPassive(victim.remote);
        }
        link.state = Link.State.ACTIVE;
        active.put(link.remote, link);
        refusedSinceGrowth.clear();
        escalationFailures = 0;
        if (link.remote.equals(escalatingTo)) {
            escalationWon();
        }
        passive.remove(link.remote);
        retry.remove(link.remote);
        listener.neighbourUp(link);
        s.events.add(new OverlayEvent.NeighbourUp(link.remote, link.id));
    }

    private void removeActive(Link link) {
        if (active.remove(link.remote, link)) {
            listener.neighbourDown(link);
            s.events.add(new OverlayEvent.NeighbourDown(link.remote, link.id));
        }
    }

    private void addPassive(AgentId id) {
        if (id.equals(s.self) || s.revoked.contains(id) || active.containsKey(id) || passive.contains(id)) {
            return;
        }
        if (passive.size() >= s.config.passiveSize) {
            passive.remove(s.rng.nextInt(passive.size()));
        }
        passive.add(id);
    }

    private void addRetry(AgentId id) {
        if (s.config.retrySize == 0 || id.equals(s.self) || s.revoked.contains(id)) {
            return;
        }
        Retry r = retry.get(id);
        if (r == null) {
            if (retry.size() >= s.config.retrySize) {
                Iterator<AgentId> it = retry.keySet().iterator();
                it.next();
                it.remove();
            }
            r = new Retry(s.now);
            retry.put(id, r);
        }
        long backoff = Math.min(s.config.retryMaxNanos, s.config.retryMinNanos << Math.min(r.failures, 20));
        r.failures++;
        r.nextAttempt = s.now + s.jitter(backoff);
    }

    private void integrate(List<AgentId> ids) {
        for (AgentId id : ids) {
            if (!s.linkByAgent.containsKey(id)) {
                addPassive(id);
            }
        }
    }

    private List<AgentId> sample(int n, AgentId exclude) {
        List<AgentId> out = new ArrayList<>();
        out.add(s.self);
        List<AgentId> pool = new ArrayList<>(active.keySet());
        pool.remove(exclude);
        take(pool, s.config.shuffleActive, out);
        take(new ArrayList<>(passive), Math.max(s.config.shufflePassive, n - out.size()), out);
        out.remove(exclude);
        return out.size() > 255 ? out.subList(0, 255) : out;
    }

    private void take(List<AgentId> pool, int n, List<AgentId> out) {
        for (int i = 0; i < n && !pool.isEmpty(); i++) {
            out.add(pool.remove(s.rng.nextInt(pool.size())));
        }
    }

    // ---- timers ----

    long nextTimeout() {
        return Math.min(nextMaintenance, nextShuffle);
    }

    void onTimeout(long now) {
        if (now >= nextMaintenance) {
            nextMaintenance = now + s.jitter(s.config.maintenanceIntervalNanos);
            maintain(now, true);
        }
        if (now >= nextShuffle) {
            nextShuffle = now + s.jitter(s.config.shuffleIntervalNanos);
            if (!active.isEmpty()) {
                Link target = s.pick(new ArrayList<>(active.values()));
                s.sendControl(target, new ShuffleFrame(sample(0, target.remote)));
            }
        }
    }

    /** Gives up stale attempts, tops the active view up from the passive view and, on ticks, probes due retries. */
    private void maintain(long now, boolean tick) {
        if (tick) {
            for (Iterator<Map.Entry<AgentId, Pending>> it = connecting.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<AgentId, Pending> e = it.next();
                if (now >= e.getValue().deadline) {
                    it.remove();
                    passive.remove(e.getKey());
                    addRetry(e.getKey());
                }
            }
            for (Link l : new ArrayList<>(s.links.values())) {
                boolean stalePending = (l.state == Link.State.PENDING_IN || l.state == Link.State.AWAIT_REPLY)
                        && now - l.createdAt >= s.config.connectTimeoutNanos;
                boolean lingering = l.state == Link.State.CLOSING && now - l.closingSince >= s.config.connectTimeoutNanos;
                if (stalePending || lingering) {
                    s.forget(l);
                    s.events.add(new OverlayEvent.CloseRequested(l.id));
                }
            }
        }
        settleEscalation(now);
        int deficit = s.config.degree - active.size() - pendingNeighbors();
        List<AgentId> candidates = null;
        while (deficit > 0 && hasCapacity()) {
            if (candidates == null) {
                candidates = new ArrayList<>();
                for (AgentId id : passive) {
                    if (!s.linkByAgent.containsKey(id) && !connecting.containsKey(id)) {
                        candidates.add(id);
                    }
                }
            }
            if (candidates.isEmpty()) {
                break;
            }
            List<AgentId> unrefused = new ArrayList<>(candidates.size());
            for (AgentId id : candidates) {
                Refusal r = refusedSinceGrowth.get(id);
                if (r == null || now >= r.until) {
                    unrefused.add(id);
                }
            }
            if (!unrefused.isEmpty()) {
                AgentId c = unrefused.get(s.rng.nextInt(unrefused.size()));
                candidates.remove(c);
                connect(c, active.isEmpty() ? Intent.NEIGHBOR_HIGH : Intent.NEIGHBOR_LOW);
            } else if (2 * active.size() <= s.config.degree && escalatingTo == null && !highPending()
                    && now >= nextEscalation) {
                // every candidate refused a low-priority request since the view last grew: escalate, one at a time
                escalatingTo = candidates.remove(s.rng.nextInt(candidates.size()));
                escalationSentAt = now;
                connect(escalatingTo, Intent.NEIGHBOR_HIGH);
            } else {
                break;
            }
            deficit--;
        }
        if (!tick) {
            return;
        }
        for (Iterator<Map.Entry<AgentId, Retry>> it = retry.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<AgentId, Retry> e = it.next();
            Retry r = e.getValue();
            if (now - r.firstFailure >= s.config.retryGiveUpNanos) {
                it.remove();
            } else if (now >= r.nextAttempt && hasCapacity() && !s.linkByAgent.containsKey(e.getKey())
                    && !connecting.containsKey(e.getKey())) {
                r.nextAttempt = now + s.config.retryMaxNanos;
                connect(e.getKey(), Intent.PROBE);
            }
        }
    }

    /**
     * The escalation in flight won a neighbour. The first degree/2 wins (since the count was last forgotten) are the
     * climb from nothing to half the degree: the next one may go 1 s after this one was sent. Past those, the agent
     * fell back to half its degree after having climbed, and the next one goes 5 s × 2^(wins past the climb), at most
     * 5 min, after this one was sent.
     *
     * <p>Before, every win doubled the wait from the first: an agent that had to escalate four times to reach 4 of 8
     * neighbours waited 5 + 10 + 20 s between them, and the 1,000-agent run in one JVM spent its last 30 s with the CPU
     * idle and a few agents at 2–3 neighbours (perf/README.md, "The climb to half the degree"). The climb cannot move
     * a shortage around: the neighbour a win evicts is left with degree − 1, above half, so it does not escalate.
     */
    private void escalationWon() {
        long now = escalationSentAt;
        escalatingTo = null;
        if (escalations > 0 && now - lastEscalation >= ESCALATION_FORGET_NANOS) {
            escalations = 0;
        }
        int climb = s.config.degree / 2;
        nextEscalation = now + (escalations < climb ? ESCALATION_CLIMB_NANOS : Math.min(ESCALATION_BACKOFF_MAX_NANOS,
                ESCALATION_BACKOFF_NANOS << Math.min(escalations - climb, 16)));
        lastEscalation = now;
        escalations++;
    }

    /**
     * The escalation in flight failed once its request is gone (refused, failed, timed out) and no link to the agent
     * is still being made: the next one waits 5 s, doubling to 30 s while they keep failing.
     */
    private void settleEscalation(long now) {
        if (escalatingTo == null || connecting.containsKey(escalatingTo)) {
            return;
        }
        Link l = s.linkByAgent.get(escalatingTo);
        if (l != null && l.state != Link.State.CLOSING) {
            return; // up and waiting for the reply (success is seen in addActive)
        }
        escalatingTo = null;
        nextEscalation = now + Math.min(ESCALATION_RETRY_MAX_NANOS,
                ESCALATION_BACKOFF_NANOS << Math.min(escalationFailures, 16));
        escalationFailures++;
    }

    private boolean highPending() {
        for (Pending p : connecting.values()) {
            if (p.intent == Intent.NEIGHBOR_HIGH) {
                return true;
            }
        }
        return false;
    }

    private int pendingNeighbors() {
        int n = 0;
        for (Pending p : connecting.values()) {
            if (p.intent != Intent.PROBE) {
                n++;
            }
        }
        for (Link l : s.links.values()) {
            if (l.state == Link.State.AWAIT_REPLY) {
                n++;
            }
        }
        return n;
    }

    private boolean hasCapacity() {
        return s.links.size() + connecting.size() < s.config.maxLinks;
    }

    private void connect(AgentId id, Intent intent) {
        if (id.equals(s.self) || s.selfRevoked || s.revoked.contains(id) || s.linkByAgent.containsKey(id) || connecting.containsKey(id) || !hasCapacity()) {
            return;
        }
        connecting.put(id, new Pending(intent, s.now + s.config.connectTimeoutNanos));
        s.events.add(new OverlayEvent.ConnectRequested(id));
    }

    /**
     * {@code id} was revoked (already in {@code s.revoked}): it leaves every view and list. Its link, if any, loses
     * what was queued on it (LINK_DOWN), carries only {@code notice} (the revocation itself, so that an honest agent
     * learns it is revoked and spreads the news past itself), and closes; the active view is topped up.
     */
    void revoke(AgentId id, Envelope notice) {
        passive.remove(id);
        retry.remove(id);
        connecting.remove(id);
        Link l = s.linkByAgent.get(id);
        if (l != null && l.state == Link.State.ACTIVE) {
            s.dropQueued(l);
            if (notice != null) {
                s.enqueue(l, ChannelClass.RELIABLE, notice, notice.id());
            }
            removeActive(l);
            s.close(l);
        } else if (l != null) {
            s.forget(l);
            s.events.add(new OverlayEvent.CloseRequested(l.id));
        }
        maintain(s.now, false);
    }

    /**
     * This agent's key was revoked: every active link closes once what is queued on it left (its revocation: no
     * DISCONNECT, which on the control channel could overtake it), and nothing is dialled any more.
     */
    void quit() {
        refusedSinceGrowth.clear();
        escalatingTo = null;
        for (Link l : new ArrayList<>(active.values())) {
            removeActive(l);
            s.close(l);
        }
        passive.clear();
        retry.clear();
        connecting.clear();
    }

    void leave() {
        for (Link l : new ArrayList<>(active.values())) {
            s.sendControl(l, DisconnectFrame.INSTANCE);
            removeActive(l);
            s.close(l);
        }
    }

    int connectingCount() {
        return connecting.size();
    }

    List<AgentId> retryList() {
        return List.copyOf(retry.keySet());
    }
}
