package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.emu.MeshEmulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Unicasts to an agent with no known route wait while a route is discovered. When the destination becomes a
 * neighbour before any ROUTE_REPLY, the waiting messages go to it at once, ahead of later ones, instead of waiting for
 * the discovery to expire and being dropped as NO_ROUTE. (A real bulk transfer lost its first eight chunks that way:
 * they waited, the later ones went straight to the new neighbour, and the transfer was never acknowledged.)
 */
class MessagesWaitingForARouteGoWhenTheDestinationBecomesANeighbour {

    @Test
    void waitersAreFlushedInOrderWhenTheDestinationLinks() {
        MeshEmulator emu = new MeshEmulator(EmuConfig.defaults(7), OverlayConfig.builder().degree(2).maxLinks(4).build());
        List<Object[]> delivered = new ArrayList<>();
        emu.onEvent((n, e) -> {
            if (e instanceof OverlayEvent.Delivered d) {
                delivered.add(new Object[] {n.index(), d.origin(), d.sequence(), emu.now()});
            }
        });
        emu.addNodes(6);
        emu.partition(new int[] {0, 0, 0, 1, 1, 1});
        emu.scheduleJoin(1, 0, emu.now());
        emu.scheduleJoin(2, 0, emu.now() + 50 * Emulated.MS);
        emu.scheduleJoin(4, 3, emu.now());
        emu.scheduleJoin(5, 3, emu.now() + 50 * Emulated.MS);
        emu.runFor(10 * Emulated.S);
        assertThat(emu.components()).containsExactlyInAnyOrder(3, 3);

        // three unicasts from 0 to 3: no route (the request cannot cross), so they wait
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SendResult r = emu.send(0, 3, ("waiting " + i).getBytes(), false);
            assertThat(r.accepted()).isTrue();
            sequences.add(r.sequence());
        }
        emu.runFor(500 * Emulated.MS);
        assertThat(delivered).noneMatch(d -> (int) d[0] == 3);

        // the halves heal and 0 links to 3 directly (well within the 5 s discovery timeout)
        emu.heal();
        long healedAt = emu.now();
        emu.with(0, c -> c.join(emu.now(), emu.node(3).id()));
        long linkedAt = -1;
        while (linkedAt < 0 && emu.now() - healedAt < 2 * Emulated.S) {
            emu.runFor(10 * Emulated.MS);
            if (emu.node(0).core().activeView().contains(emu.node(3).id())) {
                linkedAt = emu.now();
            }
        }
        assertThat(linkedAt).as("0 and 3 became neighbours").isPositive();
        SendResult later = emu.send(0, 3, "after the link".getBytes(), false);
        sequences.add(later.sequence());
        emu.runFor(1 * Emulated.S);

        List<Long> got = new ArrayList<>();
        for (Object[] d : delivered) {
            if ((int) d[0] == 3 && d[1].equals(emu.node(0).id())) {
                got.add((Long) d[2]);
                assertThat((long) d[3] - healedAt).as("delivered before the discovery would have expired")
                        .isLessThan(4 * Emulated.S);
            }
        }
        assertThat(got).as("every message once, the waiting ones first").containsExactlyElementsOf(sequences);
        assertThat(emu.node(0).core().stats().dropped(DropReason.NO_ROUTE)).isZero();
    }
}
