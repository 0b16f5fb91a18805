package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.emu.MeshEmulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Six agents of degree 5 (a full mesh), where agents 4 and 5 each had the other's low-priority requests refused for
 * the first 20 s, as a real edge answers "refused" for a passing reason (its set-up queue or link budget was full, or
 * the room an ask saw was promised to another agent). Both then hold four neighbours and the other as a refused
 * candidate, and neither escalates (above half its degree). Before, a refusal was remembered until the active view
 * grew, which it never did: the two stayed apart for good (CI, drill C: 90 s at four neighbours each, no failed or
 * refused link logged). A refusal is now forgotten after {@code OverlayConfig.refusalMemory}, so each asks again.
 */
class AgentsThatRefusedEachOtherAskAgainLater {

    /**
     * Seeds whose first 20 s end with 4 and 5 apart. In others (3, 8, 9, 12 of the first 12) a dial the test refused
     * at its sender still completes at the remote in the emulator at the very instant of a new request, which that
     * link then serves: the two link during the refusals, and there is nothing to test.
     */
    private static final long[] SEEDS = {1, 2, 4, 6, 7, 10};

    @Test
    void twoAgentsOneNeighbourShortLinkOnceTheirRefusalsAreForgotten() {
        for (long seed : SEEDS) {
            MeshEmulator emu = new MeshEmulator(EmuConfig.defaults(seed), OverlayConfig.builder().degree(5).maxLinks(7).build());
            emu.addNodes(6);
            List<AgentId> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(emu.node(i).id());
            }
            for (int i = 0; i < 6; i++) {
                emu.with(i, c -> c.addCandidates(emu.now(), ids));
            }
            for (int i = 1; i < 6; i++) {
                emu.scheduleJoin(i, i == 5 ? 1 : i - 1, emu.now() + i * 20 * Emulated.MS); // never 4 through 5
            }
            // every request of 4 for 5 or of 5 for 4 is answered "refused" as soon as it is made
            List<int[]> requested = new ArrayList<>();
            emu.onEvent((n, e) -> {
                if (e instanceof OverlayEvent.ConnectRequested c && n.index() >= 4 && c.agent().equals(ids.get(9 - n.index()))) {
                    requested.add(new int[] {n.index(), 9 - n.index()});
                }
            });
            int refusals = 0;
            while (emu.now() < 20 * Emulated.S) {
                emu.runFor(Emulated.MS);
                while (!requested.isEmpty()) {
                    int[] p = requested.removeFirst(); // a refusal may make the agent ask again at once
                    emu.with(p[0], c -> c.linkFailed(emu.now(), ids.get(p[1]), true));
                    refusals++;
                }
            }
            requested.clear();
            emu.onEvent((n, e) -> { });
            assertThat(refusals).as("seed %d: requests between 4 and 5 refused in the first 20 s", seed).isPositive();
            assertThat(emu.node(4).core().activeView()).as("seed %d: 4 apart from 5", seed).hasSize(4).doesNotContain(ids.get(5));
            assertThat(emu.node(5).core().activeView()).as("seed %d: 5 apart from 4", seed).hasSize(4).doesNotContain(ids.get(4));

            long until = emu.now() + 60 * Emulated.S;
            while (emu.now() < until && !emu.node(4).core().activeView().contains(ids.get(5))) {
                emu.runFor(100 * Emulated.MS);
            }
            assertThat(emu.node(4).core().activeView()).as("seed %d: 4 and 5 linked within 60 s", seed).contains(ids.get(5));
            long linkedAt = emu.now();
            emu.runFor(10 * Emulated.S);
            for (int i = 0; i < 6; i++) {
                assertThat(emu.node(i).core().activeView()).as("seed %d: agent %d in a full mesh", seed, i).hasSize(5);
            }
            System.out.printf(java.util.Locale.ROOT, "seed %d: linked %.1f s after the refusals stopped%n", seed, (linkedAt - 20 * Emulated.S) / 1e9);
        }
    }
}
