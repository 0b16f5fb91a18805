package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.emu.MeshEmulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two components that know each other but where one is at full degree: a pair (each below degree) and a triangle
 * (each at degree 2). The pair's low-priority NEIGHBOR requests are all refused; after repeated refusals an agent
 * below degree asks with high priority, which a full agent accepts by dropping a neighbour, and the overlay merges.
 * (Seen in a real five-agent mesh, which stayed split as a pair and a triangle.)
 */
class SplitComponentsAtFullDegreeMerge {

    @Test
    void aPairAndAFullTriangleBecomeOneOverlay() {
        for (long seed = 1; seed <= 5; seed++) {
            MeshEmulator emu = new MeshEmulator(EmuConfig.defaults(seed),
                    OverlayConfig.builder().degree(2).maxLinks(3).build());
            emu.addNodes(5);
            emu.partition(new int[] {0, 0, 1, 1, 1});
            emu.scheduleJoin(1, 0, emu.now());
            emu.scheduleJoin(3, 2, emu.now());
            emu.scheduleJoin(4, 2, emu.now() + 100 * Emulated.MS);
            emu.runFor(20 * Emulated.S);
            assertThat(emu.components()).as("seed %d: split as built", seed).containsExactlyInAnyOrder(2, 3);
            for (int i = 2; i <= 4; i++) {
                assertThat(emu.node(i).core().activeView()).as("seed %d: triangle agent %d full", seed, i).hasSize(2);
            }

            emu.heal();
            List<AgentId> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                all.add(emu.node(i).id());
            }
            for (int i = 0; i < 5; i++) {
                emu.with(i, c -> c.addCandidates(emu.now(), all));
            }
            long healedAt = emu.now();
            while (!emu.connected() && emu.now() - healedAt < 30 * Emulated.S) {
                emu.runFor(100 * Emulated.MS);
            }
            assertThat(emu.connected()).as("seed %d: one overlay 30 s after the components learnt of each other", seed)
                    .isTrue();
            emu.runFor(10 * Emulated.S);
            assertThat(emu.connected()).as("seed %d: still one overlay", seed).isTrue();
            for (int i = 0; i < 5; i++) {
                assertThat(emu.node(i).core().activeView().size()).as("seed %d agent %d", seed, i).isBetween(1, 2);
            }
        }
    }

    /**
     * Five agents of degree 3: 5 × 3 is odd, so one agent is always a neighbour short. It must not escalate (it is
     * above half its degree): an escalation would only move the shortage to whoever made room, for ever. Over the
     * fifth to the tenth minute the overlay stays connected and no link changes (with the escalation backoff alone,
     * 6 links changed in those five minutes).
     */
    @Test
    void anUnavoidableShortageDoesNotChurnForEver() {
        for (long seed = 1; seed <= 3; seed++) {
            MeshEmulator emu = new MeshEmulator(EmuConfig.defaults(seed),
                    OverlayConfig.builder().degree(3).maxLinks(4).build());
            long[] ups = new long[1];
            emu.onEvent((n, e) -> {
                if (e instanceof OverlayEvent.NeighbourUp) {
                    ups[0]++;
                }
            });
            emu.addNodes(5);
            emu.joinSequentially(0, 5, 50 * Emulated.MS);
            emu.runFor(300 * Emulated.S);
            assertThat(emu.connected()).as("seed %d", seed).isTrue();
            long before = ups[0];
            for (int minute = 0; minute < 5; minute++) {
                emu.runFor(60 * Emulated.S);
                assertThat(emu.connected()).as("seed %d, minute %d", seed, 6 + minute).isTrue();
            }
            assertThat(ups[0] - before).as("seed %d: neighbours gained over five minutes", seed).isZero();
        }
    }
}
