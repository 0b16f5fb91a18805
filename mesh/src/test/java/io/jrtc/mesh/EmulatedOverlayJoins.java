package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import org.junit.jupiter.api.Test;

/** 40 agents with real Ed25519 identities join one by one and form one overlay within the link bounds. */
class EmulatedOverlayJoins {

    @Test
    void everyAgentJoinsOneOverlayWithinItsLinkMaximum() {
        OverlayConfig cfg = OverlayConfig.builder().degree(5).build();
        Emulated m = new Emulated(40, cfg, EmuConfig.defaults(3).withEd25519(true));

        assertThat(m.emu.components()).containsExactly(40);
        for (int i = 0; i < 40; i++) {
            OverlayCore c = m.core(i);
            assertThat(c.activeView()).as("agent %d active view", i).isNotEmpty().hasSizeLessThanOrEqualTo(5);
            assertThat(c.passiveView()).as("agent %d passive view", i).isNotEmpty();
            // Active views are symmetric: a neighbour has us as a neighbour too.
            for (AgentId n : c.activeView()) {
                assertThat(m.emu.byAgent(n).core().activeView()).contains(c.self());
            }
        }
        assertThat(m.maxLinkBudgetSeen).isLessThanOrEqualTo(cfg.maxLinks);
        double meanDegree = m.sum(s -> s.activeView()) / 40.0;
        assertThat(meanDegree).isGreaterThan(4.0);

        int before = m.events.size();
        SendResult r = m.emu.broadcast(7, "hello".getBytes());
        assertThat(r.accepted()).isTrue();
        m.emu.runFor(3 * Emulated.S);
        var got = m.deliveries(m.emu.node(7).id(), r.sequence(), before);
        assertThat(got).hasSize(39).doesNotContainKey(7).allSatisfy((node, count) -> assertThat(count).isEqualTo(1));
    }

    @Test
    void degreeTwentyOverlayKeepsTwentyNeighboursAndStaysWithinItsMaximum() {
        OverlayConfig cfg = OverlayConfig.builder().degree(20).build();
        Emulated m = new Emulated(150, cfg, EmuConfig.defaults(4));
        assertThat(m.emu.components()).containsExactly(150);
        assertThat(m.maxLinkBudgetSeen).isLessThanOrEqualTo(22);
        for (int i = 0; i < 150; i++) {
            assertThat(m.core(i).activeView()).hasSizeLessThanOrEqualTo(20);
        }
        assertThat(m.sum(s -> s.activeView()) / 150.0).isGreaterThan(17.0);
        int before = m.events.size();
        SendResult r = m.emu.broadcast(0, "k=20".getBytes());
        m.emu.runFor(3 * Emulated.S);
        assertThat(m.deliveries(m.emu.node(0).id(), r.sequence(), before)).hasSize(149);
    }
}
