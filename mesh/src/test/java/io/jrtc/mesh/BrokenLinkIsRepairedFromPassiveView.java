package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A neighbour crashes; the survivor notices, and fills its active view again from its passive view. */
class BrokenLinkIsRepairedFromPassiveView {

    @Test
    void crashedNeighbourIsReplacedByAPassiveCandidate() {
        Emulated m = Emulated.build(60, 6, 11);
        int x = 5;
        OverlayCore core = m.core(x);
        List<AgentId> activeBefore = core.activeView();
        List<AgentId> passiveBefore = core.passiveView();
        assertThat(activeBefore).hasSize(6);
        AgentId victim = activeBefore.get(0);
        int v = m.emu.byAgent(victim).index();

        int mark = m.events.size();
        m.emu.fail(List.of(v));
        m.emu.runFor(5 * Emulated.S);

        assertThat(m.eventsOf(OverlayEvent.NeighbourDown.class, mark))
                .anySatisfy(r -> assertThat(r.node()).isEqualTo(x));
        List<AgentId> activeAfter = core.activeView();
        assertThat(activeAfter).doesNotContain(victim).hasSize(6);
        assertThat(activeAfter).anyMatch(a -> !activeBefore.contains(a) && passiveBefore.contains(a));
        assertThat(m.emu.components()).containsExactly(59);
    }

    @Test
    void cutLinkIsReplacedWithoutLosingConnectivity() {
        Emulated m = Emulated.build(60, 6, 12);
        int a = 9;
        AgentId peer = m.core(a).activeView().get(0);
        int b = m.emu.byAgent(peer).index();
        assertThat(m.emu.breakLinkBetween(a, b)).isTrue();
        m.emu.runFor(5 * Emulated.S);
        assertThat(m.core(a).activeView()).hasSize(6);
        assertThat(m.core(b).activeView()).hasSize(6);
        assertThat(m.emu.components()).containsExactly(60);
    }
}
