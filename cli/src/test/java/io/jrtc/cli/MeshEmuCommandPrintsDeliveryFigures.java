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
    void unknownScenarioIsAUsageError() {
        Run r = Run.of("mesh-emu", "--scenario", "nope");
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("bad values");
    }
}
