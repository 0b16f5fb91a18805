package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Plumtree's tree optimisation, on the virtual clock. Links of 1 ms with up to 60 ms of jitter stand in for a starved
 * machine: the tree forms along whichever copy of the first broadcast arrived first, so its paths are long (the
 * real 100-agent runs saw 5–7 hops on average where the shortest path is 1.8). With the optimisation (threshold 2)
 * a lazy neighbour that announces a message with at least 2 fewer hops takes over as the parent; without it (0)
 * the tree keeps its detours. Same seed, same first broadcast, so "before" is the same in both runs. The old parent
 * leaves the tree by the duplicate that follows a move, not at once (a move that pruned at once could cut the tree,
 * {@link TreeMovesDoNotCutTheTree}), so moves cost copies: about two each, which these runs bound. From random origins
 * the moves never settle and the worst broadcast's RMR was 1.19 (0.2 at most when moves pruned at once).
 */
class TreeOptimisationShortensAJitterShapedTree {

    private static final int AGENTS = 120;
    private static final long SEED = 23;

    /** One broadcast's deliveries: each agent's hop count, and the payload copies it cost. */
    private record Round(int delivered, int maxDeliveriesPerAgent, double meanHops, int maxHops, double rmr,
                         long treeMoves) {
    }

    private static final class Run {
        final Emulated m;

        Run(int threshold) {
            OverlayConfig overlay = OverlayConfig.builder().degree(8).treeOptimisationThreshold(threshold).build();
            EmuConfig net = EmuConfig.defaults(SEED).withDelay(Duration.ofMillis(1), Duration.ofMillis(60));
            m = new Emulated(AGENTS, overlay, net);
            // the overlay goes quiet first (no neighbour change for 5 s): tree moves then come from the optimisation,
            // not from links that membership is still replacing
            long quietSince = m.emu.now();
            int seen = m.events.size();
            while (m.emu.now() - quietSince < 5 * Emulated.S && m.emu.now() < 120 * Emulated.S) {
                m.emu.runFor(Emulated.S);
                for (Emulated.Recorded e : m.events.subList(seen, m.events.size())) {
                    if (e.event() instanceof OverlayEvent.NeighbourUp || e.event() instanceof OverlayEvent.NeighbourDown) {
                        quietSince = m.emu.now();
                    }
                }
                seen = m.events.size();
            }
        }

        Round broadcast(int origin) {
            long received = m.sum(OverlayStats::broadcastReceived);
            long moves = m.sum(OverlayStats::treeMoves);
            int mark = m.events.size();
            SendResult r = m.emu.broadcast(origin, ("from " + origin).getBytes());
            assertThat(r.accepted()).isTrue();
            m.emu.runFor(3 * Emulated.S);
            AgentId from = m.emu.node(origin).id();
            Map<Integer, Integer> per = m.deliveries(from, r.sequence(), mark);
            long hopSum = 0;
            int maxHops = 0;
            for (Emulated.Recorded e : m.eventsOf(OverlayEvent.Delivered.class, mark)) {
                OverlayEvent.Delivered d = (OverlayEvent.Delivered) e.event();
                if (d.origin().equals(from) && d.sequence() == r.sequence()) {
                    hopSum += d.hops();
                    maxHops = Math.max(maxHops, d.hops());
                }
            }
            int copies = per.values().stream().mapToInt(Integer::intValue).sum();
            return new Round(per.size(), per.values().stream().mapToInt(Integer::intValue).max().orElse(0),
                    (double) hopSum / copies, maxHops,
                    OverlayStats.rmr(m.sum(OverlayStats::broadcastReceived) - received, AGENTS),
                    m.sum(OverlayStats::treeMoves) - moves);
        }
    }

    private static List<Round> sameOrigin(int threshold, int rounds) {
        Run run = new Run(threshold);
        List<Round> out = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            out.add(run.broadcast(7));
        }
        return out;
    }

    @Test
    void repeatedBroadcastsOfOneOriginGetAShorterTree() {
        List<Round> off = sameOrigin(0, 8);
        List<Round> on = sameOrigin(2, 8);
        for (List<Round> rounds : List.of(off, on)) {
            for (Round r : rounds) {
                assertThat(r.delivered()).as("agents reached").isEqualTo(AGENTS - 1);
                assertThat(r.maxDeliveriesPerAgent()).as("deliveries per agent").isEqualTo(1);
            }
        }
        for (Round r : off.subList(1, off.size())) {
            assertThat(r.rmr()).as("RMR once the tree formed, no moves").isLessThanOrEqualTo(0.2);
        }
        // a move leaves the old parent on the tree until the next message prunes the loop it closed: about two copies
        // a move (the two ends of the loop's last link each get the other's), one round later, and none once settled
        assertThat(copiesBeyondOne(on.subList(2, 8))).as("copies beyond one while the tree moves")
                .isLessThanOrEqualTo(2.5 * on.subList(1, 7).stream().mapToLong(Round::treeMoves).sum()
                        + copiesBeyondOne(off.subList(2, 8)));
        assertThat(on.get(6).rmr()).as("RMR once settled").isLessThanOrEqualTo(0.2);
        assertThat(on.get(7).rmr()).as("RMR once settled").isLessThanOrEqualTo(0.2);
        // the first broadcast floods and forms the tree: nothing differs yet
        assertThat(on.get(0).meanHops()).isEqualTo(off.get(0).meanHops());
        assertThat(on.get(0).maxHops()).isEqualTo(off.get(0).maxHops());
        Round before = off.get(7);
        Round after = on.get(7);
        assertThat(off.stream().mapToLong(Round::treeMoves).sum()).isZero();
        assertThat(on.get(1).treeMoves()).as("moves while the second broadcast spreads").isPositive();
        // settled: no move in the last two rounds (on the quiet overlay, seed 23 makes 51, 24, 8, 2 and 1 moves in
        // rounds 2-6; the mean hops go 4.41 -> 2.77, max 8 -> 4, against 4.39 and 8 unoptimised)
        assertThat(on.get(6).treeMoves() + after.treeMoves()).as("the tree has settled").isZero();
        assertThat(after.meanHops()).as("mean hops, optimised vs not").isLessThan(before.meanHops() * 0.8);
        assertThat(after.maxHops()).as("max hops, optimised vs not").isLessThan(before.maxHops());
        assertThat(after.meanHops()).as("mean hops, optimised, last vs first broadcast")
                .isLessThan(on.get(0).meanHops() * 0.8);
        assertThat(after.rmr()).as("RMR optimised vs not").isLessThanOrEqualTo(before.rmr());
    }

    /** The payload copies these rounds received beyond one per agent. */
    private static double copiesBeyondOne(List<Round> rounds) {
        return rounds.stream().mapToDouble(r -> r.rmr() * (AGENTS - 1)).sum();
    }

    private static double[] randomOrigins(int threshold) {
        Run run = new Run(threshold);
        SplittableRandom rnd = new SplittableRandom(5);
        double meanSum = 0;
        int maxHops = 0;
        double rmrMax = 0;
        int counted = 0;
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Round r = run.broadcast(rnd.nextInt(AGENTS));
            rounds.add(r);
            assertThat(r.delivered()).isEqualTo(AGENTS - 1);
            assertThat(r.maxDeliveriesPerAgent()).isEqualTo(1);
            if (i >= 8) {
                meanSum += r.meanHops();
                maxHops = Math.max(maxHops, r.maxHops());
                rmrMax = Math.max(rmrMax, r.rmr());
                counted++;
            }
        }
        return new double[] {meanSum / counted, maxHops, rmrMax, run.m.emu.traceHash(),
                copiesBeyondOne(rounds.subList(8, 16)), rounds.subList(7, 15).stream().mapToLong(Round::treeMoves).sum()};
    }

    @Test
    void broadcastsFromRandomOriginsTravelFewerHopsAndTheTraceIsReproducible() {
        double[] off = randomOrigins(0);
        double[] on = randomOrigins(2);
        double[] again = randomOrigins(2);
        assertThat(again).containsExactly(on);
        assertThat(on[3]).isNotEqualTo(off[3]);
        assertThat(on[0]).as("mean hops of broadcasts 9-16").isLessThan(off[0] - 1.0);
        assertThat(on[1]).as("max hops of broadcasts 9-16").isLessThan(off[1]);
        assertThat(off[2]).as("worst RMR of broadcasts 9-16, no moves").isLessThanOrEqualTo(0.2);
        // every origin shares the tree, so its moves never settle here, and each costs about two copies (above)
        assertThat(on[4]).as("copies beyond one of broadcasts 9-16").isLessThanOrEqualTo(2.5 * on[5] + off[4]);
        assertThat(on[2]).as("worst RMR of broadcasts 9-16").isLessThanOrEqualTo(1.25);
    }
}
