package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The first broadcast on a fresh overlay floods every link (every link starts eager): copies arrive many times,
 * each agent delivers once, and the duplicates prune the tree so the next broadcast costs about one copy per agent.
 */
class DuplicatesAreSuppressed {

    @Test
    void eachAgentDeliversOnceAndDuplicatesPruneTheTree() {
        Emulated m = Emulated.build(80, 6, 41);
        long dup0 = m.sum(OverlayStats::duplicates);
        long recv0 = m.sum(OverlayStats::broadcastReceived);
        int mark = m.events.size();
        SendResult first = m.emu.broadcast(2, "first".getBytes());
        m.emu.runFor(3 * Emulated.S);
        var got = m.deliveries(m.emu.node(2).id(), first.sequence(), mark);
        assertThat(got).hasSize(79).allSatisfy((n, c) -> assertThat(c).isEqualTo(1));
        long dupFirst = m.sum(OverlayStats::duplicates) - dup0;
        long recvFirst = m.sum(OverlayStats::broadcastReceived) - recv0;
        assertThat(dupFirst).isEqualTo(recvFirst - 79).isGreaterThan(79);
        assertThat(m.sum(OverlayStats::prunes)).isPositive();

        long recv1 = m.sum(OverlayStats::broadcastReceived);
        mark = m.events.size();
        SendResult second = m.emu.broadcast(2, "second".getBytes());
        m.emu.runFor(3 * Emulated.S);
        assertThat(m.deliveries(m.emu.node(2).id(), second.sequence(), mark)).hasSize(79);
        double rmr = OverlayStats.rmr(m.sum(OverlayStats::broadcastReceived) - recv1, 80);
        assertThat(rmr).isLessThan(0.2);
    }
}
