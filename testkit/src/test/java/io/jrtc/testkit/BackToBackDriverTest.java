package io.jrtc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackToBackDriverTest {

    private static final long MS = 1_000_000L;

    private static BackToBack run(long seed, NetemConfig cfg, ScriptedCore a, ScriptedCore b) {
        for (int i = 0; i < 500; i++) {
            a.sendAt(i * MS, i, 100 + i);
            b.sendAt(i * MS + MS / 2, i, 50);
        }
        BackToBack d = new BackToBack(a, b, cfg, cfg, seed);
        d.runUntil(() -> false, Duration.ofSeconds(5));
        return d;
    }

    @Test
    void sameSeedGivesSameTraceAndDeliveries() {
        NetemConfig cfg = NetemConfig.perfect().withDelay(Duration.ofMillis(25)).withJitter(Duration.ofMillis(10))
                .withLoss(0.1).withDuplication(0.05).withReorder(0.05, Duration.ofMillis(7));
        ScriptedCore a1 = new ScriptedCore();
        ScriptedCore b1 = new ScriptedCore();
        ScriptedCore a2 = new ScriptedCore();
        ScriptedCore b2 = new ScriptedCore();
        BackToBack d1 = run(1234, cfg, a1, b1);
        BackToBack d2 = run(1234, cfg, a2, b2);
        assertThat(d1.traceDigest()).isEqualTo(d2.traceDigest());
        assertThat(b1.arrivals).isEqualTo(b2.arrivals);
        assertThat(a1.arrivals).isEqualTo(a2.arrivals);

        ScriptedCore a3 = new ScriptedCore();
        ScriptedCore b3 = new ScriptedCore();
        run(4321, cfg, a3, b3);
        assertThat(b3.arrivals).isNotEqualTo(b1.arrivals);
    }

    @Test
    void driverJumpsToEarliestEventAndDeliversAfterTheDelay() {
        ScriptedCore a = new ScriptedCore();
        ScriptedCore b = new ScriptedCore();
        a.sendAt(10 * MS, 1, 10);
        a.sendAt(300 * MS, 2, 10);
        b.sendAt(50 * MS, 3, 10);
        BackToBack d = new BackToBack(a, b, NetemConfig.perfect().withDelay(Duration.ofMillis(40)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 1);
        assertThat(d.runUntil(() -> b.arrivals.size() == 2 && a.arrivals.size() == 1, Duration.ofSeconds(1))).isTrue();
        assertThat(a.timeouts).containsExactly(10 * MS, 300 * MS);
        assertThat(b.timeouts).containsExactly(50 * MS);
        assertThat(b.arrivals).extracting(ScriptedCore.Arrival::time).containsExactly(50 * MS, 340 * MS);
        assertThat(a.arrivals).extracting(ScriptedCore.Arrival::time).containsExactly(55 * MS);
        assertThat(d.now()).isEqualTo(340 * MS);
        assertThat(d.step()).isFalse();
    }

    @Test
    void filterDropsPacketsByDirectionAndIndex() {
        ScriptedCore a = new ScriptedCore();
        ScriptedCore b = new ScriptedCore();
        for (int i = 0; i < 5; i++) {
            a.sendAt(i * MS, i, 10);
        }
        BackToBack d = BackToBack.perfect(a, b).withFilter((dir, index, p) -> dir == BackToBack.Direction.A_TO_B && index == 2);
        d.runFor(Duration.ofMillis(10));
        assertThat(b.arrivals).extracting(ScriptedCore.Arrival::number).containsExactly(0, 1, 3, 4);
        assertThat(d.filtered(BackToBack.Direction.A_TO_B)).isEqualTo(1);
        assertThat(d.transmitted(BackToBack.Direction.A_TO_B)).isEqualTo(5);
    }

    @Test
    void runUntilStopsAtTheVirtualDeadline() {
        ScriptedCore a = new ScriptedCore();
        ScriptedCore b = new ScriptedCore();
        a.sendAt(5_000 * MS, 1, 10);
        BackToBack d = BackToBack.perfect(a, b);
        assertThat(d.runUntil(() -> !b.arrivals.isEmpty(), Duration.ofSeconds(1))).isFalse();
        assertThat(d.now()).isEqualTo(1_000 * MS);
        assertThat(b.arrivals).isEmpty();
    }
}
