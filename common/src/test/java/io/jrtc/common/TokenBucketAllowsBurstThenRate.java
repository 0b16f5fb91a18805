package io.jrtc.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-connection rate limiter on a virtual clock: burst, refill at the rate, cap, time going backwards. */
class TokenBucketAllowsBurstThenRate {

    private static final long MS = 1_000_000L;

    @Test
    void burstThenSteadyRate() {
        TokenBucket b = new TokenBucket(10, 5); // 10 per second, burst 5
        long t = 1_000 * MS;
        for (int i = 0; i < 5; i++) {
            assertThat(b.tryTake(t)).isTrue();
        }
        assertThat(b.tryTake(t)).isFalse();
        assertThat(b.tryTake(t + 99 * MS)).isFalse(); // 0.99 token
        assertThat(b.tryTake(t + 100 * MS)).isTrue(); // one token per 100 ms
        assertThat(b.tryTake(t + 100 * MS)).isFalse();
        // a long pause refills only up to the burst
        long later = t + 60_000 * MS;
        int taken = 0;
        while (b.tryTake(later)) {
            taken++;
        }
        assertThat(taken).isEqualTo(5);
    }

    @Test
    void timeGoingBackwardsIsIgnored() {
        TokenBucket b = new TokenBucket(1, 1);
        assertThat(b.tryTake(10_000 * MS)).isTrue();
        assertThat(b.tryTake(5_000 * MS)).isFalse(); // backwards: no refill, no crash
        assertThat(b.tryTake(10_500 * MS)).isFalse();
        assertThat(b.tryTake(11_000 * MS)).isTrue();
    }
}
