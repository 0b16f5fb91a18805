package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Catch-up on a new link ({@link OverlayConfig#catchUpIds}): a broadcast starts just as every link of one agent, Y,
 * breaks, so the copies on their way to Y are lost and Y's old neighbours never announce it to Y again. Y notices
 * (1 s), links with agents from its passive view, and those announce their recent broadcasts to it: Y grafts the one it
 * lacks and delivers it, once. Without the catch-up (same seed) Y never gets it: Plumtree announces a message once, to
 * the neighbours of the moment. The catch-up announces only what came within its window, and nothing to an agent that
 * already has it.
 */
class ANewNeighbourAnnouncesWhatALostLinkCarried {

    private static final int N = 40;
    private static final int Y = 7;

    private record Outcome(Map<Integer, Integer> deliveries, long yDeliveredAt, long brokenAt, long grafts) {
    }

    private static Outcome run(OverlayConfig overlay) {
        Emulated m = new Emulated(N, overlay, EmuConfig.defaults(31));
        assertThat(m.emu.connected()).isTrue();
        List<Integer> yNeighbours = new ArrayList<>();
        for (AgentId a : m.core(Y).activeView()) {
            yNeighbours.add(m.emu.byAgent(a).index());
        }
        int origin = 0;
        while (origin == Y || yNeighbours.contains(origin)) {
            origin++;
        }
        long grafts = m.sum(OverlayStats::grafts);
        int mark = m.events.size();
        SendResult r = m.emu.broadcast(origin, "in flight while Y's links break".getBytes());
        assertThat(r.accepted()).isTrue();
        long brokenAt = m.emu.now();
        for (int j : yNeighbours) {
            assertThat(m.emu.breakLinkBetween(Y, j)).isTrue();
        }
        m.emu.runFor(10 * Emulated.S);
        assertThat(m.emu.connected()).as("Y is back in the overlay").isTrue();
        assertThat(m.core(Y).activeView()).isNotEmpty();
        Map<Integer, Integer> d = m.deliveries(m.core(origin).self(), r.sequence(), mark);
        long at = m.events.subList(mark, m.events.size()).stream()
                .filter(e -> e.node() == Y && e.event() instanceof OverlayEvent.Delivered)
                .mapToLong(Emulated.Recorded::at).findFirst().orElse(-1);
        return new Outcome(d, at, brokenAt, m.sum(OverlayStats::grafts) - grafts);
    }

    @Test
    void theAgentWhoseLinksBrokeGetsTheBroadcastFromItsNewNeighbours() {
        Outcome with = run(OverlayConfig.builder().degree(4).build());
        System.out.printf("agent %d got the broadcast %.0f ms after its links broke (%d grafts)%n", Y,
                (with.yDeliveredAt() - with.brokenAt()) / 1e6, with.grafts());
        assertThat(with.deliveries()).as("every agent but the origin, once").hasSize(N - 1)
                .allSatisfy((node, count) -> assertThat(count).isEqualTo(1));
        assertThat(with.deliveries()).containsKey(Y);
        assertThat(with.yDeliveredAt() - with.brokenAt()).as("after the 1 s failure detection and a new link")
                .isGreaterThan(1_000 * Emulated.MS).isLessThan(3_000 * Emulated.MS);
        assertThat(with.grafts()).as("Y grafted it").isPositive();

        Outcome without = run(OverlayConfig.builder().degree(4).catchUp(0, Duration.ofSeconds(5)).build());
        assertThat(without.deliveries()).as("the others still get it").hasSize(N - 2).doesNotContainKey(Y);
        assertThat(without.yDeliveredAt()).isEqualTo(-1);
    }

    @Test
    void onlyRecentBroadcastsAreAnnouncedAndABadSettingIsRefused() {
        // a window shorter than Y's outage: the broadcast is too old once Y has new links, so nobody announces it
        Outcome stale = run(OverlayConfig.builder().degree(4).catchUp(256, Duration.ofMillis(500)).build());
        assertThat(stale.deliveries()).doesNotContainKey(Y).hasSize(N - 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OverlayConfig.builder().catchUp(-1, Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OverlayConfig.builder().catchUp(4096, Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> OverlayConfig.builder().catchUp(1, Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
