package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Two halves cut apart for 60 s re-merge after healing, because each side keeps probing agents of the other. */
class PartitionedHalvesReMerge {

    @Test
    void halvesSplitForSixtySecondsDeliverToAllWithinTenSecondsOfHealing() {
        Emulated m = Emulated.build(120, 6, 21);
        int[] group = new int[120];
        for (int i = 0; i < 120; i++) {
            group[i] = i % 2;
        }
        m.emu.partition(group);
        m.emu.runFor(60 * Emulated.S);
        assertThat(m.emu.components()).containsExactly(60, 60);
        // Knowledge of the other side survives 60 s of shuffles: agents still list some in their retry list.
        long remembering = 0;
        for (int i = 0; i < 120; i++) {
            int side = group[i];
            if (m.core(i).retryList().stream().anyMatch(a -> group[m.emu.byAgent(a).index()] != side)) {
                remembering++;
            }
        }
        assertThat(remembering).isGreaterThan(0);

        m.emu.heal();
        long healedAt = m.emu.now();
        long mergedAt = -1;
        while (m.emu.now() - healedAt < 10 * Emulated.S) {
            m.emu.runFor(100 * Emulated.MS);
            if (m.emu.connected()) {
                mergedAt = m.emu.now();
                break;
            }
        }
        assertThat(mergedAt).as("re-merged within 10 s").isPositive();
        int mark = m.events.size();
        SendResult r = m.emu.broadcast(1, "after the heal".getBytes());
        m.emu.runFor(2 * Emulated.S);
        assertThat(m.emu.now() - healedAt).isLessThanOrEqualTo(12 * Emulated.S);
        assertThat(m.deliveries(m.emu.node(1).id(), r.sequence(), mark)).hasSize(119);
    }
}
