package io.jrtc.signaling.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default reconnect schedule, computed directly with a seeded RNG on a virtual clock: bases 1, 2, 4, 8,
 * 16, 30, 30 s; each delay within (0.8 × base, base]; reproducible per seed; reset after a connection that
 * stayed registered for 10 s, not after a shorter one.
 */
class BackoffScheduleDoublesToCapWithJitter {

    private static final long S = 1_000_000_000L;

    @Test
    void defaultBasesDoubleFromOneSecondToTheThirtySecondCap() {
        ReconnectBackoff b = ReconnectBackoff.defaults(new Random(1));
        List<Long> bases = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bases.add(b.nextBase().toSeconds());
            b.nextDelay();
        }
        assertThat(bases).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void jitterTakesUpToTwentyPercentOffAndIsReproducible() {
        ReconnectBackoff b1 = ReconnectBackoff.defaults(new Random(7));
        ReconnectBackoff b2 = ReconnectBackoff.defaults(new Random(7));
        long[] base = {1, 2, 4, 8, 16, 30, 30, 30, 30, 30};
        Random expected = new Random(7);
        for (long sec : base) {
            Duration d1 = b1.nextDelay();
            assertThat(d1).isEqualTo(b2.nextDelay());
            assertThat(d1.toNanos()).isGreaterThan((long) (0.8 * sec * S)).isLessThanOrEqualTo(sec * S);
            assertThat(d1.toNanos()).isEqualTo((long) (sec * S * (1.0 - 0.2 * expected.nextDouble())));
        }
    }

    @Test
    void jitterSpreadsClientsApart() {
        List<Duration> firsts = new ArrayList<>();
        for (int seed = 0; seed < 50; seed++) {
            firsts.add(ReconnectBackoff.defaults(new Random(seed)).nextDelay());
        }
        assertThat(firsts.stream().distinct().count()).isGreaterThan(45);
        assertThat(firsts).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofSeconds(1)));
    }

    @Test
    void aStableConnectionResetsTheScheduleAShortOneDoesNot() {
        ReconnectBackoff b = ReconnectBackoff.defaults(new Random(3));
        long now = 0;
        // fail five times: 1, 2, 4, 8, 16
        for (int i = 0; i < 5; i++) {
            now += b.disconnected(now).toNanos();
        }
        assertThat(b.nextBase()).isEqualTo(Duration.ofSeconds(30));
        // registered for 9 s only: not stable, the schedule continues at the cap
        b.registered(now);
        now += 9 * S;
        assertThat(b.disconnected(now).toNanos()).isGreaterThan(24 * S);
        // registered for 10 s: stable, back to 1 s
        b.registered(now);
        now += 10 * S;
        Duration afterStable = b.disconnected(now);
        assertThat(afterStable.toNanos()).isGreaterThan((long) (0.8 * S)).isLessThanOrEqualTo(S);
        assertThat(b.nextBase()).isEqualTo(Duration.ofSeconds(2));
    }
}
