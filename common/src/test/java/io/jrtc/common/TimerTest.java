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

    @Test
    void timersOfOneSpecKeepTheirOwnState() {
        Timer.Spec spec = new Timer.Spec("T2-shutdown", Timer.Backoff.EXPONENTIAL, 300, 1);
        Timer a = new Timer(spec);
        Timer b = new Timer(spec);
        a.start(0, 100);
        assertThat(a.restartAfterExpiry(100)).isTrue();
        assertThat(a.deadline()).isEqualTo(300); // doubled to 200
        assertThat(b.isRunning()).isFalse();
        b.start(1000, 250);
        assertThat(b.restartAfterExpiry(1250)).isTrue();
        assertThat(b.deadline()).isEqualTo(1550); // doubled, capped at 300
        assertThat(a.restartAfterExpiry(300)).isFalse(); // a's limit, b untouched
        assertThat(a.isRunning()).isFalse();
        assertThat(b.deadline()).isEqualTo(1550);
        assertThat(a.spec()).isSameAs(b.spec());
        assertThat(a.name()).isEqualTo("T2-shutdown");
        assertThat(a).hasToString("T2-shutdown[stopped]");
        assertThat(b).hasToString("T2-shutdown[deadline=1550, restarts=1]");
    }

    @Test
    void fixedSpecRestartsWithoutLimitOrCap() {
        Timer t = new Timer(Timer.Spec.fixed("consent"));
        t.start(0, 1_000);
        for (int i = 1; i <= 1_000; i++) {
            assertThat(t.restartAfterExpiry(i * 1_000L)).isTrue();
        }
        assertThat(t.duration()).isEqualTo(1_000);
        assertThat(t.restarts()).isEqualTo(1_000);
        assertThat(t.deadline()).isEqualTo(1_001_000);
    }
}
