package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Agents on the broadcast tree crash just before a broadcast, before anyone noticed: the eager pushes into them
 * are lost, and the agents below them get the message by grafting a lazy link after its IHAVE.
 */
class TreeRepairsByGraft {

    @Test
    void messageLostOnBrokenTreeBranchesArrivesThroughGraft() {
        Emulated m = Emulated.build(100, 6, 31);
        m.emu.broadcast(0, "warm-up 1".getBytes());
        m.emu.runFor(2 * Emulated.S);
        m.emu.broadcast(0, "warm-up 2".getBytes());
        m.emu.runFor(2 * Emulated.S);
        long graftsBefore = m.sum(OverlayStats::grafts);
        // The tree has settled: the second broadcast caused few duplicates.
        assertThat(m.sum(s -> s.eager())).isLessThan(m.sum(s -> s.activeView()));

        List<Integer> crashed = List.of(3, 17, 29, 44, 58, 71, 86, 93);
        m.emu.fail(crashed);
        int mark = m.events.size();
        SendResult r = m.emu.broadcast(0, "across the broken tree".getBytes());
        m.emu.runFor(3 * Emulated.S);

        var got = m.deliveries(m.emu.node(0).id(), r.sequence(), mark);
        assertThat(got).hasSize(100 - 1 - crashed.size());
        assertThat(m.sum(OverlayStats::grafts) - graftsBefore).as("grafts sent").isPositive();
    }
}
