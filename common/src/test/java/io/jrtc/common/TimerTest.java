package io.jrtc.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimerTest {

    @Test
    void exponentialBackoffIsCappedAndExhausts() {
        Timer t = new Timer("T3-rtx", Timer.Backoff.EXPONENTIAL, 400, 3);
        assertThat(t.isRunning()).isFalse();
        assertThat(t.deadline()).isEqualTo(DatagramCore.NO_TIMEOUT);
        t.start(1000, 100);
        assertThat(t.expired(1099)).isFalse();
        assertThat(t.expired(1100)).isTrue();
        assertThat(t.restartAfterExpiry(1100)).isTrue();
        assertThat(t.deadline()).isEqualTo(1300);
        assertThat(t.restartAfterExpiry(1300)).isTrue();
        assertThat(t.deadline()).isEqualTo(1700);
        assertThat(t.restartAfterExpiry(1700)).isTrue();
        assertThat(t.duration()).isEqualTo(400);
        assertThat(t.restartAfterExpiry(2100)).isFalse();
        assertThat(t.isRunning()).isFalse();
    }

    @Test
    void freshStartResetsRestartCount() {
        Timer t = new Timer("T1-init", Timer.Backoff.FIXED, 1000, 1);
        t.start(0, 10);
        assertThat(t.restartAfterExpiry(10)).isTrue();
        assertThat(t.restarts()).isEqualTo(1);
        t.start(20, 10);
        assertThat(t.restarts()).isZero();
        assertThat(t.restartAfterExpiry(30)).isTrue();
        assertThat(t.deadline()).isEqualTo(40);
    }
}
