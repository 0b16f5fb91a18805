package io.jrtc.mesh.emu;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.OverlayConfig;
import io.jrtc.mesh.OverlayEvent;
import io.jrtc.mesh.OverlayStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * The emulated scenarios behind {@code mesh-emu} and the emulated benchmarks: build an overlay, then measure
 * broadcasts in a steady state, after a mass failure, across a partition and its healing, and under churn. Every
 * figure is virtual time, so a run is reproducible from its seed.
 */
public final class Scenarios {

    /**
     * What one broadcast achieved; {@code lastDeliveryHop} is the largest hop count a delivery had, and
     * {@code meanDeliveryHop} the mean over the deliveries (0 when none); {@code treeMoves} the tree optimisations
     * made while it ran (see {@link OverlayStats#treeMoves}).
     */
    public record BroadcastResult(int delivered, int expected, double rmr, int lastDeliveryHop, long completionNanos,
                                  double meanDeliveryHop, long treeMoves, boolean accepted) {

        public BroadcastResult(int delivered, int expected, double rmr, int lastDeliveryHop, long completionNanos,
                               double meanDeliveryHop, long treeMoves) {
            this(delivered, expected, rmr, lastDeliveryHop, completionNanos, meanDeliveryHop, treeMoves, true);
        }

        public double deliveryRatio() {
            return expected == 0 ? 1 : (double) delivered / expected;
        }
    }

    /**
     * What {@link #overlapping} achieved over all its broadcasts: deliveries against the agents eligible for each,
     * GRAFTs sent and tree moves made meanwhile, RMR over the deliveries, and the latency of each first delivery
     * (virtual time, from the send).
     */
    public record OverlapResult(int broadcasts, long delivered, long expected, long grafts, long treeMoves, double rmr,
                                double meanDeliveryHop, long p50Nanos, long p95Nanos, long p99Nanos, long maxNanos) {
    }

    private static final class Track {
        final long sentAt;
        final java.util.BitSet eligible = new java.util.BitSet();
        final java.util.BitSet got = new java.util.BitSet();
        int delivered;
        int maxHops;
        long sumHops;
        long lastAt;

        Track(long sentAt) {
            this.sentAt = sentAt;
        }
    }

    private record Key(AgentId origin, long sequence) {
    }

    private final MeshEmulator emu;
    private final SplittableRandom rng;
    private final Map<Key, Track> tracks = new HashMap<>();
    private final int initial;
    /** Latencies of first deliveries while {@link #overlapping} runs; null otherwise. */
    private Histogram latencies;

    /** Builds {@code agents} agents joining one by one ({@code joinSpacingNanos} apart), not yet run. */
    public Scenarios(EmuConfig net, OverlayConfig overlay, int agents, long joinSpacingNanos) {
        this.emu = new MeshEmulator(net, overlay);
        this.rng = new SplittableRandom(net.seed() ^ 0x5deece66dL);
        this.initial = agents;
        emu.addNodes(agents);
        emu.joinSequentially(0, agents, joinSpacingNanos);
        emu.onEvent((n, e) -> {
            if (e instanceof OverlayEvent.Delivered d && d.broadcast()) {
                Track t = tracks.get(new Key(d.origin(), d.sequence()));
                if (t != null && t.eligible.get(n.index()) && !t.got.get(n.index())) {
                    t.got.set(n.index());
                    t.delivered++;
                    t.maxHops = Math.max(t.maxHops, d.hops());
                    t.sumHops += d.hops();
                    t.lastAt = emu.now();
                    if (latencies != null) {
                        latencies.recordValue(emu.now() - t.sentAt);
                    }
                }
            }
        });
    }

    public MeshEmulator emulator() {
        return emu;
    }

    /** Runs until every live agent is in one component with at least one neighbour, checking every {@code step}. */
    public long runUntilConnected(long maxNanos, long stepNanos) {
        long start = emu.now();
        while (emu.now() - start < maxNanos) {
            if (emu.connected() && everyoneHasANeighbour()) {
                return emu.now() - start;
            }
            emu.runFor(stepNanos);
        }
        return -1;
    }

    /**
     * Runs for {@code windowNanos} in steps, and returns the first time (from now) at which every live agent was in
     * one component with a neighbour, or -1.
     */
    public long watchRepair(long windowNanos, long stepNanos) {
        long start = emu.now();
        long repaired = -1;
        while (emu.now() - start < windowNanos) {
            if (repaired < 0 && emu.connected() && everyoneHasANeighbour()) {
                repaired = emu.now() - start;
            }
            emu.runFor(Math.min(stepNanos, windowNanos - (emu.now() - start)));
        }
        return repaired;
    }

    private boolean everyoneHasANeighbour() {
        List<Integer> live = emu.liveIndices();
        if (live.size() <= 1) {
            return true;
        }
        for (int i : live) {
            boolean any = false;
            for (AgentId a : emu.node(i).core().activeView()) {
                any |= emu.byAgent(a).alive();
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * A broadcast from a random live agent, run for {@code settleNanos}: delivered to how many of the other live
     * agents, RMR over the agents reached, last delivery hop and time to the last delivery. Expected receivers: the
     * agents that were live and had a neighbour when it was sent and are still live at the end (under churn, an
     * agent that has not finished joining cannot be reached yet).
     */
    public BroadcastResult broadcast(long settleNanos) {
        List<Integer> live = emu.liveIndices();
        return broadcastFrom(live.get(rng.nextInt(live.size())), settleNanos);
    }

    /** As {@link #broadcast(long)}, from agent {@code origin} (live). */
    public BroadcastResult broadcastFrom(int origin, long settleNanos) {
        List<Integer> live = emu.liveIndices();
        long before = total(OverlayStats::broadcastReceived);
        long movesBefore = total(OverlayStats::treeMoves);
        var r = emu.broadcast(origin, ("probe@" + emu.now()).getBytes());
        if (!r.accepted()) {
            // refused at the origin (e.g. NOT_CONNECTED: it has no neighbour yet): the caller was told, nothing was sent
            return new BroadcastResult(0, live.size() - 1, 0, 0, -1, 0, 0, false);
        }
        Key key = new Key(emu.node(origin).id(), r.sequence());
        Track t = track(key, origin, live);
        emu.runFor(settleNanos);
        tracks.remove(key);
        double meanHops = t.delivered == 0 ? 0 : (double) t.sumHops / t.delivered;
        long[] still = stillLive(t);
        int expected = (int) still[0];
        t.delivered = (int) still[1];
        long received = total(OverlayStats::broadcastReceived) - before;
        double rmr = OverlayStats.rmr(received, t.delivered + 1);
        return new BroadcastResult(t.delivered, expected, rmr, t.maxHops, t.delivered == 0 ? -1 : t.lastAt - t.sentAt,
                meanHops, total(OverlayStats::treeMoves) - movesBefore);
    }

    /** Starts tracking a broadcast just sent from {@code origin}: every other live agent with a neighbour should get it. */
    private Track track(Key key, int origin, List<Integer> live) {
        Track t = new Track(emu.now());
        for (int i : live) {
            if (i != origin && !emu.node(i).core().activeView().isEmpty()) {
                t.eligible.set(i);
            }
        }
        tracks.put(key, t);
        return t;
    }

    /** Of the agents {@code t} expected to reach, those still live, and how many of them it reached. */
    private long[] stillLive(Track t) {
        long expected = 0;
        long delivered = 0;
        for (int i = t.eligible.nextSetBit(0); i >= 0; i = t.eligible.nextSetBit(i + 1)) {
            if (emu.node(i).alive()) {
                expected++;
                delivered += t.got.get(i) ? 1 : 0;
            }
        }
        return new long[] {expected, delivered};
    }

    /**
     * {@code count} broadcasts from random live agents, {@code intervalNanos} apart whether or not the one before has
     * arrived, then {@code settleNanos} more. Unlike {@link #broadcast}, these overlap: a tree move made for one
     * broadcast happens while the others are on their way.
     */
    public OverlapResult overlapping(int count, long intervalNanos, long settleNanos) {
        long received = total(OverlayStats::broadcastReceived);
        long moves = total(OverlayStats::treeMoves);
        long grafts = total(OverlayStats::grafts);
        latencies = new Histogram(3600L * 1_000_000_000L, 3);
        List<Track> sent = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        try {
            for (int b = 0; b < count; b++) {
                List<Integer> live = emu.liveIndices();
                int origin = live.get(rng.nextInt(live.size()));
                var r = emu.broadcast(origin, ("overlap " + b + "@" + emu.now()).getBytes());
                if (r.accepted()) {
                    Key key = new Key(emu.node(origin).id(), r.sequence());
                    sent.add(track(key, origin, live));
                    keys.add(key);
                }
                emu.runFor(intervalNanos);
            }
            emu.runFor(settleNanos);
            long delivered = 0;
            long expected = 0;
            long hops = 0;
            for (Track t : sent) {
                hops += t.sumHops;
                long[] still = stillLive(t);
                expected += still[0];
                delivered += still[1];
            }
            long copies = total(OverlayStats::broadcastReceived) - received;
            return new OverlapResult(sent.size(), delivered, expected, total(OverlayStats::grafts) - grafts,
                    total(OverlayStats::treeMoves) - moves,
                    delivered == 0 ? 0 : (double) copies / delivered - 1, delivered == 0 ? 0 : (double) hops / delivered,
                    latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(95),
                    latencies.getValueAtPercentile(99), latencies.getMaxValue());
        } finally {
            keys.forEach(tracks::remove);
            latencies = null;
        }
    }

    /** A counter of {@link OverlayStats}, summed over every agent, live or not. */
    private long total(ToLongFunction<OverlayStats> counter) {
        long sum = 0;
        for (int i = 0; i < emu.size(); i++) {
            sum += counter.applyAsLong(emu.node(i).core().stats());
        }
        return sum;
    }

    /** Crashes a random fraction of the live agents. */
    public List<Integer> failFraction(double f) {
        return emu.failFraction(f);
    }

    /** Splits the agents into two random halves. */
    public void partitionHalves() {
        int[] g = new int[emu.size()];
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < emu.size(); i++) {
            all.add(i);
        }
        for (int k = 0; k < emu.size() / 2; k++) {
            g[all.remove(rng.nextInt(all.size()))] = 1;
        }
        emu.partition(g);
    }

    /** Crashes {@code k} random live agents and adds {@code k} new ones, each joining through a random live agent. */
    public void churn(int k) {
        failFraction(Math.min(1.0, (double) k / Math.max(1, emu.liveIndices().size())));
        int first = emu.addNodes(k);
        List<Integer> live = emu.liveIndices();
        for (int i = first; i < first + k; i++) {
            int contact = live.get(rng.nextInt(live.size()));
            while (contact >= first) {
                contact = live.get(rng.nextInt(live.size()));
            }
            emu.scheduleJoin(i, contact, emu.now() + rng.nextLong(1_000_000_000L));
        }
    }

    public int initialAgents() {
        return initial;
    }
}
