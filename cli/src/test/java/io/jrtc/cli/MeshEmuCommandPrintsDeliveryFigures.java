package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code jrtc mesh-emu}: the overlay cores on the virtual clock print their delivery figures; bad options exit 2. */
class MeshEmuCommandPrintsDeliveryFigures {

    @Test
    void steadyScenarioDeliversToEveryAgent() {
        Run r = Run.of("mesh-emu", "--agents", "200", "--scenario", "steady", "--seed", "4");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains("mesh-emu: 200 agents, degree 8", "steady, broadcast 5: delivered 199/199 (100.000%)");
    }

    @Test
    void aLazyFanoutReachesTheCoresAndEveryAgentStillGetsEveryBroadcast() {
        Run r = Run.of("mesh-emu", "--agents", "100", "--degree", "12", "--scenario", "steady", "--seed", "4",
                "--lazy-fanout", "3");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains("mesh-emu: 100 agents, degree 12", "lazy fanout 3",
                "steady, broadcast 5: delivered 99/99 (100.000%)");
        assertThat(Run.of("mesh-emu", "--scenario", "steady").out()).contains("lazy fanout all");
        assertThat(Run.of("mesh-emu", "--lazy-fanout", "-2").code()).isEqualTo(2);
    }

    @Test
    void overlappingBroadcastsPrintTheirGraftsMovesAndLatency() {
        Run r = Run.of("mesh-emu", "--agents", "300", "--scenario", "overlap", "--seed", "3", "--interval", "150");
        assertThat(r.code()).as("%s", r).isZero();
        // seeded: the figures of perf/README.md, "Tree moves that no longer cut the tree" (the code before made 2,794
        // GRAFTs here, with a p99 of 1,021.8 ms)
        assertThat(r.out()).contains("overlap, first broadcast (tree forming): delivered 299/299 (100.000%)",
                "overlap: 30 broadcasts from random origins 150 ms apart: delivered 8970/8970 (100.000%), GRAFTs 17, "
                        + "tree moves 2790, RMR 0.604, mean delivery hop 5.89, delivery latency p50 133.4 / p95 198.3 / "
                        + "p99 221.5 / max 601.4 ms");
        assertThat(Run.of("mesh-emu", "--scenario", "overlap", "--interval", "0").code()).isEqualTo(2);
    }

    @Test
    void unknownScenarioIsAUsageError() {
        Run r = Run.of("mesh-emu", "--scenario", "nope");
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("bad values");
    }
}
