package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.emu.MeshEmulator;
import io.jrtc.mesh.emu.SetupPacing;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: the real 1,000-agent mesh at degree 8 never had every agent at 4 neighbours or more; a few stayed at 1–3
 * while everybody else was full and the overlay stopped changing. The real run has what the plain emulator lacks:
 * link set-ups that take most of a second and wait for their turn (the edge's {@code DialQueue} and shared
 * {@code SetupBudget}), requests answered "refused" after waiting 5 s, and low-priority requests refused by an ask
 * before any link is built. {@link SetupPacing} models those on the virtual clock: 300 agents joining 50 ms apart,
 * 12 set-ups of 800 ms at once (the 1,000-agent run's 32 on 2 cores, scaled), 4 per agent.
 *
 * <p>While the overlay forms, an agent at half its degree or below escalates to a high-priority NEIGHBOR, and that
 * request waits behind everybody's set-ups and is answered "refused". The escalation backoff counted those failures,
 * so it reached minutes during formation; once the overlay was quiet the stragglers' next escalation was minutes
 * away (before the fix: seeds 1–3 here had agents at 0–3 neighbours at 300 s, seed 1 still at 600 s). Now only
 * escalations that won a neighbour grow that backoff; a failed one is retried after 5 s doubling to 30 s.
 */
class StragglersReachHalfTheirDegreeWhenSetUpsQueue {

    private static final int AGENTS = 300;
    private static final int DEGREE = 8;

    private static MeshEmulator paced(long seed, long[] ups, long[] downs) {
        EmuConfig net = EmuConfig.defaults(seed).withSetup(Duration.ofMillis(800),
                new SetupPacing(12, 4, Duration.ofSeconds(5).toNanos(), true));
        MeshEmulator emu = new MeshEmulator(net, OverlayConfig.builder().degree(DEGREE).build());
        emu.onEvent((n, e) -> {
            if (e instanceof OverlayEvent.NeighbourUp) {
                ups[0]++;
            } else if (e instanceof OverlayEvent.NeighbourDown) {
                downs[0]++;
            }
        });
        emu.addNodes(AGENTS);
        emu.joinSequentially(0, AGENTS, 50 * Emulated.MS);
        return emu;
    }

    private static int minDegree(MeshEmulator emu) {
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < emu.size(); i++) {
            min = Math.min(min, emu.node(i).core().activeView().size());
        }
        return min;
    }

    @Test
    void everyAgentHasHalfItsDegreeWithinFiveMinutesAndTheOverlaySettles() {
        for (long seed = 1; seed <= 4; seed++) {
            long[] ups = new long[1];
            long[] downs = new long[1];
            MeshEmulator emu = paced(seed, ups, downs);
            long reached = -1;
            while (emu.now() < 300 * Emulated.S) {
                emu.runFor(Emulated.S);
                if (2 * minDegree(emu) >= DEGREE && emu.connected()) {
                    reached = emu.now();
                    break;
                }
            }
            assertThat(reached).as("seed %d: every agent at >= %d neighbours, one component, within 300 s "
                    + "(minimum degree at the end: %d)", seed, DEGREE / 2, minDegree(emu)).isPositive();
            assertThat(emu.dialsRefusedWaiting()).as("seed %d: requests refused for waiting (the load modelled)", seed)
                    .isGreaterThan(1000);
            assertThat(emu.asksRefused()).as("seed %d: low-priority requests refused by an ask", seed)
                    .isGreaterThan(1000);

            // two more minutes: nobody falls below half its degree; in the second, no neighbour is lost and at most
            // two links are added (agents one or two short filling up)
            while (emu.now() < reached + 60 * Emulated.S) {
                emu.runFor(Emulated.S);
                assertThat(2 * minDegree(emu)).as("seed %d at %d s", seed, emu.now() / Emulated.S)
                        .isGreaterThanOrEqualTo(DEGREE);
            }
            long upsBefore = ups[0];
            long downsBefore = downs[0];
            while (emu.now() < reached + 120 * Emulated.S) {
                emu.runFor(Emulated.S);
                assertThat(2 * minDegree(emu)).as("seed %d at %d s", seed, emu.now() / Emulated.S)
                        .isGreaterThanOrEqualTo(DEGREE);
            }
            assertThat(downs[0] - downsBefore).as("seed %d: neighbours lost in the second minute", seed).isZero();
            assertThat(ups[0] - upsBefore).as("seed %d: neighbour ends added in the second minute", seed)
                    .isLessThanOrEqualTo(4);
            assertThat(emu.connected()).as("seed %d: one component at the end", seed).isTrue();
        }
    }

    @Test
    void pacedSetUpsAreDeterministic() {
        long[] a = run(5);
        long[] b = run(5);
        long[] c = run(6);
        assertThat(b).containsExactly(a);
        assertThat(c[0]).isNotEqualTo(a[0]);
    }

    private static long[] run(long seed) {
        long[] ups = new long[1];
        long[] downs = new long[1];
        MeshEmulator emu = paced(seed, ups, downs);
        emu.runFor(60 * Emulated.S);
        return new long[] {emu.traceHash(), emu.actionsRun(), ups[0], downs[0], emu.dialsRefusedWaiting(),
            emu.asksRefused()};
    }
}
