package io.jrtc.mesh.emu;

import static io.jrtc.mesh.internal.SplitMix.mix;

import io.jrtc.common.DatagramCore;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshSigner;
import io.jrtc.mesh.MeshVerifier;
import io.jrtc.mesh.OverlayConfig;
import io.jrtc.mesh.OverlayCore;
import io.jrtc.mesh.OverlayEvent;
import io.jrtc.mesh.SendResult;
import io.jrtc.mesh.Transmit;
import io.jrtc.mesh.internal.SplitMix;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * Thousands of {@link OverlayCore}s in one thread on a virtual clock, joined by emulated links with delay, jitter
 * and loss. One priority queue of timed actions drives everything (a per-link queue, as testkit's {@code NetemLink}
 * keeps, would cost a heap per direction and tens of thousands of them here). Every random choice comes from
 * seeded generators and ties are broken by insertion order, so the same seed and the same calls give the same
 * run: {@link #traceHash()} digests every event the cores report, with its time.
 *
 * <p>Not thread-safe; the caller's thread runs everything.
 */
public final class MeshEmulator {

    /** One emulated agent. */
    public static final class Node {
        final int index;
        final OverlayCore core;
        final AgentId id;
        final MeshSigner signer;
        boolean alive = true;
        int group;
        long wakeAt = DatagramCore.NO_TIMEOUT;
        final Map<Long, EmuLink> links = new HashMap<>();
        /** Outbound set-ups of this agent in flight (only with {@link SetupPacing}). */
        int opening;

        Node(int index, OverlayCore core, MeshSigner signer) {
            this.index = index;
            this.core = core;
            this.id = core.self();
            this.signer = signer;
        }

        /** This agent's signer, for tests that forge or replay envelopes in its name. */
        public MeshSigner signer() {
            return signer;
        }

        /** Ids of this agent's emulated links, keyed by the agent at the other end. */
        public Map<AgentId, Long> linkIds() {
            Map<AgentId, Long> out = new java.util.TreeMap<>();
            for (EmuLink l : links.values()) {
                out.put(l.other(this).id, l.id);
            }
            return out;
        }

        public int index() {
            return index;
        }

        public OverlayCore core() {
            return core;
        }

        public AgentId id() {
            return id;
        }

        public boolean alive() {
            return alive;
        }
    }

    private enum LinkState { UP, CLOSING, BROKEN }

    private static final class EmuLink {
        final long id;
        final Node a;
        final Node b;
        LinkState state = LinkState.UP;
        Node closer;
        final long[] lastArrival = new long[2 * ChannelClass.values().length];
        /** Per receiving side (0: a, 1: b): bulk frames held while that side's core paused its bulk inbound. */
        final boolean[] holding = new boolean[2];
        @SuppressWarnings("unchecked")
        final ArrayDeque<byte[]>[] held = new ArrayDeque[] {new ArrayDeque<byte[]>(), new ArrayDeque<byte[]>()};

        EmuLink(long id, Node a, Node b) {
            this.id = id;
            this.a = a;
            this.b = b;
        }

        Node other(Node n) {
            return n == a ? b : a;
        }
    }

    private record Action(long at, long order, Runnable run) {
    }

    /** A requested link waiting for its turn ({@link SetupPacing}); {@code waiting} is false once started or refused. */
    private static final class Dial {
        final Node from;
        final AgentId target;
        final boolean asked;
        boolean waiting = true;

        Dial(Node from, AgentId target, boolean asked) {
            this.from = from;
            this.target = target;
            this.asked = asked;
        }
    }

    private final EmuConfig config;
    private final OverlayConfig overlay;
    private final SplittableRandom rng;
    private final PriorityQueue<Action> queue = new PriorityQueue<>((x, y) -> x.at != y.at
            ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private final List<Node> nodes = new ArrayList<>();
    private final Map<AgentId, Node> byId = new HashMap<>();
    private final MeshVerifier sharedEmuVerifier = new EmulatedSigner.Verifier();
    private final ArrayDeque<Node> dirty = new ArrayDeque<>();
    private BiConsumer<Node, OverlayEvent> listener = (n, e) -> { };
    private BiConsumer<Node, Transmit> transmitTap = (n, t) -> { };
    private long now;
    private long order;
    private long nextLinkId = 1;
    private final ArrayDeque<Dial> dials = new ArrayDeque<>();
    private int dialsInFlight;
    private long dialsRefusedWaiting;
    private long asksRefused;
    private long trace = 0x6a09e667f3bcc908L;
    private long actions;
    private long framesSent;
    private long framesLost;

    public MeshEmulator(EmuConfig config, OverlayConfig overlay) {
        this.config = config;
        this.overlay = overlay;
        this.rng = new SplittableRandom(config.seed());
    }

    /** Called for every frame a core hands to a live link (before loss), on the caller's thread, at {@link #now()}. */
    public void onTransmit(BiConsumer<Node, Transmit> tap) {
        this.transmitTap = tap;
    }

    /** Called for every event any core reports, on the caller's thread, at {@link #now()}. */
    public void onEvent(BiConsumer<Node, OverlayEvent> l) {
        this.listener = l;
    }

    /** Adds {@code n} agents (not joined yet); returns the index of the first. */
    public int addNodes(int n) {
        int first = nodes.size();
        for (int i = 0; i < n; i++) {
            int index = nodes.size();
            long seed = mix(config.seed() * SplitMix.GAMMA + index);
            MeshSigner signer = config.ed25519() ? Identity.generate() : new EmulatedSigner(seed);
            MeshVerifier verifier = config.ed25519() ? new Ed25519Verifier() : sharedEmuVerifier;
            OverlayCore core = new OverlayCore(overlay.toBuilder().seed(seed).build(), signer, verifier);
            Node node = new Node(index, core, signer);
            nodes.add(node);
            byId.put(node.id, node);
            core.start(now);
            reschedule(node);
        }
        return first;
    }

    /** Node {@code i} joins at {@code at} through node {@code contact}. */
    public void scheduleJoin(int i, int contact, long at) {
        schedule(at, () -> {
            Node n = nodes.get(i);
            if (n.alive) {
                n.core.join(now, nodes.get(contact).id);
                drain(n);
            }
        });
    }

    /**
     * Nodes {@code from..to-1} join one after the other, {@code spacingNanos} apart from now, each through a random
     * agent that joined before it (as a presence list would offer).
     */
    public void joinSequentially(int from, int to, long spacingNanos) {
        for (int i = Math.max(from, 1); i < to; i++) {
            scheduleJoin(i, rng.nextInt(i), now + (long) (i - from) * spacingNanos);
        }
    }

    // ---- running ----

    public long now() {
        return now;
    }

    /** Runs every action due until {@code t}, then sets the clock to {@code t}. */
    public void runUntil(long t) {
        while (!queue.isEmpty() && queue.peek().at <= t) {
            Action a = queue.poll();
            now = Math.max(now, a.at);
            actions++;
            a.run.run();
            flushDirty();
        }
        now = Math.max(now, t);
    }

    public void runFor(long nanos) {
        runUntil(now + nanos);
    }

    private void schedule(long at, Runnable r) {
        queue.add(new Action(at, order++, r));
    }

    private void flushDirty() {
        while (!dirty.isEmpty()) {
            drain(dirty.poll());
        }
    }

    /** Drains a core's transmits and events, then re-arms its wake-up. */
    private void drain(Node n) {
        while (true) {
            Transmit t = n.core.nextTransmit();
            if (t != null) {
                transmit(n, t);
                continue;
            }
            OverlayEvent e = n.core.nextEvent();
            if (e == null) {
                break;
            }
            handleEvent(n, e);
        }
        reschedule(n);
    }

    private void reschedule(Node n) {
        long t = n.alive ? n.core.pollTimeout() : DatagramCore.NO_TIMEOUT;
        if (t != n.wakeAt) {
            n.wakeAt = t;
            if (t != DatagramCore.NO_TIMEOUT) {
                long at = Math.max(t, now);
                schedule(at, () -> {
                    if (n.alive && n.wakeAt == t) {
                        n.wakeAt = DatagramCore.NO_TIMEOUT;
                        n.core.handleTimeout(now);
                        drain(n);
                    }
                });
            }
        }
    }

    private void transmit(Node from, Transmit t) {
        EmuLink l = from.links.get(t.linkId());
        if (l == null || l.state != LinkState.UP) {
            return;
        }
        framesSent++;
        transmitTap.accept(from, t);
        Node to = l.other(from);
        long delay = config.delayNanos() + (config.jitterNanos() > 0 ? rng.nextLong(config.jitterNanos() + 1) : 0);
        if (config.lossRate() > 0) {
            boolean reliable = t.channel() != ChannelClass.UNRELIABLE;
            while (rng.nextDouble() < config.lossRate()) {
                framesLost++;
                if (!reliable) {
                    return;
                }
                delay += config.rtoNanos();
            }
        }
        long arrival = now + delay;
        if (t.channel() != ChannelClass.UNRELIABLE) {
            int slot = (from == l.a ? 0 : ChannelClass.values().length) + t.channel().ordinal();
            arrival = Math.max(arrival, l.lastArrival[slot]);
            l.lastArrival[slot] = arrival;
        }
        byte[] bytes = t.bytes();
        boolean bulk = t.channel() == ChannelClass.BULK;
        schedule(arrival, () -> {
            int side = to == l.a ? 0 : 1;
            if (bulk && (l.holding[side] || !l.held[side].isEmpty())) {
                l.held[side].add(bytes); // the receiver paused its bulk inbound: the "window" holds the sender's frames
                return;
            }
            deliver(l, to, bytes);
        });
    }

    private void deliver(EmuLink l, Node to, byte[] bytes) {
        boolean deliverable = l.state == LinkState.UP || (l.state == LinkState.CLOSING && l.closer != to);
        if (deliverable && to.alive) {
            to.core.handleInput(now, l.id, ByteBuffer.wrap(bytes));
            dirty.add(to);
        }
    }

    /** {@link OverlayEvent.PauseInbound} of the bulk class: frames on that side wait until resumed, in order. */
    private void holdBulk(Node n, OverlayEvent.PauseInbound p) {
        EmuLink l = n.links.get(p.linkId());
        if (l == null || p.channel() != ChannelClass.BULK) {
            return;
        }
        int side = n == l.a ? 0 : 1;
        l.holding[side] = p.paused();
        if (!p.paused()) {
            schedule(now, () -> {
                while (!l.holding[side] && !l.held[side].isEmpty()) {
                    deliver(l, n, l.held[side].poll());
                }
            });
        }
    }

    private void handleEvent(Node n, OverlayEvent e) {
        traceEvent(n, e);
        switch (e) {
            case OverlayEvent.ConnectRequested c -> connect(n, c.agent());
            case OverlayEvent.CloseRequested c -> close(n, c.linkId());
            case OverlayEvent.PauseInbound p -> holdBulk(n, p);
            default -> {
            }
        }
        listener.accept(n, e);
    }

    private void connect(Node from, AgentId target) {
        if (config.pacing() == null) {
            setUp(from, target, false);
        } else {
            request(new Dial(from, target, false));
        }
    }

    /** Queues a paced request; one that has not had its turn within the pacing's wait is answered "refused". */
    private void request(Dial d) {
        dials.add(d);
        schedule(now + config.pacing().waitNanos(), () -> {
            if (d.waiting) {
                d.waiting = false;
                dialsRefusedWaiting++;
                if (d.from.alive) {
                    d.from.core.linkFailed(now, d.target, true);
                    drain(d.from);
                }
            }
        });
        startDials();
    }

    /** Starts waiting requests, oldest first, while the shared and the per-agent set-up budgets have room. */
    private void startDials() {
        SetupPacing p = config.pacing();
        for (java.util.Iterator<Dial> it = dials.iterator(); it.hasNext() && dialsInFlight < p.slots(); ) {
            Dial d = it.next();
            if (!d.waiting || !d.from.alive) {
                it.remove();
                continue;
            }
            if (d.from.opening >= p.perAgent()) {
                continue;
            }
            it.remove();
            d.waiting = false;
            if (p.askFirst() && !d.asked && d.from.core.lowPriorityDial(d.target)) {
                ask(d.from, d.target); // holds no slot: only the connection does
            } else {
                dialsInFlight++;
                d.from.opening++;
                setUp(d.from, d.target, true);
            }
        }
    }

    /**
     * A low-priority request put to the remote first (one round trip): refused when the remote has no free active-view
     * slot (or would not admit the link); otherwise it waits for its turn again and is built.
     */
    private void ask(Node from, AgentId target) {
        Node to = byId.get(target);
        schedule(now + 2 * config.delayNanos(), () -> {
            if (!from.alive) {
                return;
            }
            boolean reachable = to != null && to.alive && to.group == from.group;
            if (!reachable) {
                schedule(now + config.connectFailNanos(), () -> {
                    if (from.alive) {
                        from.core.linkFailed(now, target, false);
                        drain(from);
                    }
                });
            } else if (!to.core.admitLink(now, from.id) || to.core.activeRoom() <= 0) {
                asksRefused++;
                from.core.linkFailed(now, target, true);
                drain(from);
            } else if (from.core.lowPriorityDial(target)) {
                request(new Dial(from, target, true));
            }
        });
    }

    /** A set-up of {@code connectNanos}; a paced one gives its slot back when done. */
    private void setUp(Node from, AgentId target, boolean paced) {
        Node to = byId.get(target);
        schedule(now + config.connectNanos(), () -> {
            if (!from.alive) {
                release(from, paced);
                return;
            }
            boolean reachable = to != null && to.alive && to.group == from.group;
            if (!reachable) {
                schedule(now + Math.max(0, config.connectFailNanos() - config.connectNanos()), () -> {
                    release(from, paced);
                    if (from.alive) {
                        from.core.linkFailed(now, target, false);
                        drain(from);
                    }
                });
                return;
            }
            release(from, paced);
            if (!to.core.admitLink(now, from.id)) {
                from.core.linkFailed(now, target, true);
                drain(from);
                drain(to);
                return;
            }
            EmuLink l = new EmuLink(nextLinkId++, from, to);
            from.links.put(l.id, l);
            to.links.put(l.id, l);
            from.core.linkUp(now, l.id, to.id, true);
            to.core.linkUp(now, l.id, from.id, false);
            drain(from);
            drain(to);
        });
    }

    private void release(Node from, boolean paced) {
        if (paced) {
            dialsInFlight--;
            from.opening--;
            startDials();
        }
    }

    private void close(Node n, long linkId) {
        EmuLink l = n.links.remove(linkId);
        if (l == null) {
            return;
        }
        Node other = l.other(n);
        if (l.state != LinkState.UP) {
            return;
        }
        l.state = LinkState.CLOSING;
        l.closer = n;
        long last = now + config.delayNanos();
        for (long a : l.lastArrival) {
            last = Math.max(last, a);
        }
        schedule(last + 1, () -> linkGone(other, l));
    }

    private void linkGone(Node n, EmuLink l) {
        if (n.links.remove(l.id) != null && n.alive) {
            n.core.linkDown(now, l.id);
            drain(n);
        }
    }

    /** Breaks a link as a crash or a cut does: both survivors notice after the failure-detection time. */
    private void breakLink(EmuLink l) {
        if (l.state == LinkState.BROKEN) {
            return;
        }
        l.state = LinkState.BROKEN;
        for (Node n : List.of(l.a, l.b)) {
            schedule(now + config.failureDetectNanos(), () -> linkGone(n, l));
        }
    }

    // ---- scenarios ----

    /** Cuts the link between agents {@code i} and {@code j} (if any), as a network failure would. */
    public boolean breakLinkBetween(int i, int j) {
        Node a = nodes.get(i);
        for (EmuLink l : a.links.values()) {
            if (l.other(a).index == j && l.state == LinkState.UP) {
                breakLink(l);
                return true;
            }
        }
        return false;
    }

    /** Crashes these agents at once: no goodbye; their neighbours notice after the failure-detection time. */
    public void fail(List<Integer> indices) {
        for (int i : indices) {
            Node n = nodes.get(i);
            if (!n.alive) {
                continue;
            }
            n.alive = false;
            n.wakeAt = DatagramCore.NO_TIMEOUT;
            for (EmuLink l : new ArrayList<>(n.links.values())) {
                breakLink(l);
            }
        }
    }

    /** Crashes a random {@code fraction} of the live agents; returns their indices. */
    public List<Integer> failFraction(double fraction) {
        List<Integer> live = liveIndices();
        int k = (int) Math.round(live.size() * fraction);
        List<Integer> victims = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            victims.add(live.remove(rng.nextInt(live.size())));
        }
        fail(victims);
        return victims;
    }

    /** Puts each agent in group {@code groupOf[i]}; links between groups break, and no link crosses until healed. */
    public void partition(int[] groupOf) {
        for (Node n : nodes) {
            n.group = groupOf[n.index];
        }
        for (Node n : nodes) {
            for (EmuLink l : new ArrayList<>(n.links.values())) {
                if (l.a.group != l.b.group) {
                    breakLink(l);
                }
            }
        }
    }

    public void heal() {
        for (Node n : nodes) {
            n.group = 0;
        }
    }

    /** Node {@code i} broadcasts now. */
    public SendResult broadcast(int i, byte[] payload) {
        Node n = nodes.get(i);
        SendResult r = n.core.broadcast(now, payload);
        drain(n);
        return r;
    }

    public SendResult send(int from, int to, byte[] payload, boolean ack) {
        Node n = nodes.get(from);
        SendResult r = n.core.send(now, nodes.get(to).id, payload, ack);
        drain(n);
        return r;
    }

    /** Lets the caller drive one core directly (then drains it). */
    public void with(int i, java.util.function.Consumer<OverlayCore> action) {
        Node n = nodes.get(i);
        action.accept(n.core);
        drain(n);
    }

    // ---- observation ----

    public Node node(int i) {
        return nodes.get(i);
    }

    public int size() {
        return nodes.size();
    }

    public Node byAgent(AgentId id) {
        return byId.get(id);
    }

    public List<Integer> liveIndices() {
        List<Integer> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.alive) {
                out.add(n.index);
            }
        }
        return out;
    }

    /** Sizes of the connected components of live agents over active views (largest first). */
    public List<Integer> components() {
        int[] seen = new int[nodes.size()];
        List<Integer> sizes = new ArrayList<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Node start : nodes) {
            if (!start.alive || seen[start.index] != 0) {
                continue;
            }
            int size = 0;
            seen[start.index] = 1;
            stack.push(start);
            while (!stack.isEmpty()) {
                Node n = stack.pop();
                size++;
                for (AgentId a : n.core.activeView()) {
                    Node m = byId.get(a);
                    if (m != null && m.alive && seen[m.index] == 0) {
                        seen[m.index] = 1;
                        stack.push(m);
                    }
                }
            }
            sizes.add(size);
        }
        sizes.sort((x, y) -> Integer.compare(y, x));
        return sizes;
    }

    /** True when every live agent is in one component. */
    public boolean connected() {
        List<Integer> c = components();
        return c.size() <= 1;
    }

    /** A digest of every event reported so far (type, node, time and main fields). */
    public long traceHash() {
        return trace;
    }

    public long actionsRun() {
        return actions;
    }

    public long framesSent() {
        return framesSent;
    }

    public long framesLost() {
        return framesLost;
    }

    /** With {@link SetupPacing}: requests answered "refused" because they waited too long for a turn. */
    public long dialsRefusedWaiting() {
        return dialsRefusedWaiting;
    }

    /** With {@link SetupPacing}: low-priority requests the remote refused when asked, before any link was built. */
    public long asksRefused() {
        return asksRefused;
    }

    private void traceEvent(Node n, OverlayEvent e) {
        long x = switch (e) {
            case OverlayEvent.Delivered d -> 1 ^ d.origin().hi() ^ (d.sequence() << 8) ^ ((long) d.hops() << 40)
                    ^ Arrays.hashCode(d.payload());
            case OverlayEvent.NeighbourUp u -> 2 ^ u.agent().hi() ^ (u.linkId() << 4);
            case OverlayEvent.NeighbourDown d -> 3 ^ d.agent().lo() ^ (d.linkId() << 4);
            case OverlayEvent.ConnectRequested c -> 4 ^ c.agent().hi();
            case OverlayEvent.CloseRequested c -> 5 ^ (c.linkId() << 4);
            case OverlayEvent.Dropped d -> 6 ^ ((long) d.reason().ordinal() << 8) ^ d.sequence();
            case OverlayEvent.Acked a -> 7 ^ a.sequence();
            case OverlayEvent.AckTimedOut a -> 8 ^ a.sequence();
            case OverlayEvent.Writable w -> 9;
            case OverlayEvent.Revoked r -> 10 ^ r.revocation().revoked().hi() ^ (r.linkId() << 4);
            case OverlayEvent.PauseInbound p -> 11 ^ (p.linkId() << 4) ^ (p.paused() ? 1 : 0);
        };
        trace = mix(trace ^ mix(x ^ ((long) n.index << 32) ^ now));
    }
}
