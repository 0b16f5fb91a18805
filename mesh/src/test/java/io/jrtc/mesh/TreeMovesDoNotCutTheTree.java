package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Plumtree's tree optimisation on a tree that every origin shares, on steady links (the emulator's 20 ± 5 ms): after
 * one broadcast has shaped the tree, 30 more from random origins, 150 ms apart, move it hundreds of times, and none
 * of them may cut it. A cut leaves agents that only a GRAFT reaches, after T1 (400 ms): before the moves left the
 * old parent on the tree (its link is pruned by the duplicate that follows), the same runs made 282 GRAFTs over
 * these five seeds (275 of them on seed 5), and the slowest delivery took 1.04 s. {@code mesh-emu --scenario overlap}
 * shows the same at degree 8 (perf/README.md, "Tree moves that no longer cut the tree").
 */
class TreeMovesDoNotCutTheTree {

    private record Outcome(long grafts, long moves, long deliveries, long maxLatencyNanos, int worstCopies) {
    }

    private static Outcome run(int agents, int degree, long seed) {
        Emulated m = new Emulated(agents, OverlayConfig.builder().degree(degree).build(), EmuConfig.defaults(seed));
        m.emu.runFor(5 * Emulated.S);
        m.emu.broadcast(0, "shapes the tree".getBytes());
        m.emu.runFor(2 * Emulated.S);
        long grafts = m.sum(OverlayStats::grafts);
        long moves = m.sum(OverlayStats::treeMoves);
        int mark = m.events.size();
        SplittableRandom r = new SplittableRandom(seed);
        int[] origins = new int[30];
        long[] sequences = new long[30];
        for (int i = 0; i < 30; i++) {
            origins[i] = r.nextInt(agents);
            SendResult sent = m.emu.broadcast(origins[i], ("broadcast " + i).getBytes());
            assertThat(sent.accepted()).isTrue();
            sequences[i] = sent.sequence();
            m.emu.runFor(150 * Emulated.MS);
        }
        m.emu.runFor(3 * Emulated.S);
        long maxLatency = 0;
        long deliveries = 0;
        int worst = 0;
        for (int i = 0; i < 30; i++) {
            Map<Integer, Integer> per = m.deliveries(m.emu.node(origins[i]).id(), sequences[i], mark);
            assertThat(per).as("broadcast %d reaches every other agent", i).hasSize(agents - 1);
            worst = Math.max(worst, per.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        }
        for (Emulated.Recorded e : m.eventsOf(OverlayEvent.Delivered.class, mark)) {
            maxLatency = Math.max(maxLatency, ((OverlayEvent.Delivered) e.event()).latencyNanos());
            deliveries++;
        }
        return new Outcome(m.sum(OverlayStats::grafts) - grafts, m.sum(OverlayStats::treeMoves) - moves, deliveries,
                maxLatency, worst);
    }

    @Test
    void aDenseOverlayMovesItsTreeWithoutASingleGraft() {
        long moves = 0;
        for (long seed = 3; seed <= 7; seed++) {
            Outcome o = run(100, 20, seed);
            assertThat(o.grafts()).as("seed %d: GRAFTs", seed).isZero();
            assertThat(o.deliveries()).as("seed %d: deliveries", seed).isEqualTo(30L * 99);
            assertThat(o.worstCopies()).isEqualTo(1);
            assertThat(o.maxLatencyNanos()).as("seed %d: slowest delivery", seed).isLessThan(400 * Emulated.MS);
            moves += o.moves();
        }
        assertThat(moves).as("the tree did move").isGreaterThan(100);
    }
}
