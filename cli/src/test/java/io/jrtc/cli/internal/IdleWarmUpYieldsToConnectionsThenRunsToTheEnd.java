package io.jrtc.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.PeerConnectionFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleWarmUpYieldsToConnectionsThenRunsToTheEnd {

    @Test
    void idleWarmUpWaitsWhileConnectionsAreSetUpThenRunsToTheEnd() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            AtomicBoolean busy = new AtomicBoolean(true);
            CountDownLatch askedWhileBusy = new CountDownLatch(3);
            AtomicInteger askedWhenIdle = new AtomicInteger();
            CountDownLatch finished = new CountDownLatch(1);
            AtomicInteger throughAnswerer = new AtomicInteger();
            try (IdleWarmUp w = IdleWarmUp.start("test", factory, 20, () -> {
                if (busy.get()) {
                    askedWhileBusy.countDown();
                    return true;
                }
                askedWhenIdle.incrementAndGet();
                return false;
            }, ch -> {
                throughAnswerer.incrementAndGet();
                ch.onMessage(m -> {
                    if (m.isBinary()) {
                        ch.send(m.data());
                    } else {
                        ch.send(m.text());
                    }
                });
            }, finished::countDown)) {
                assertThat(askedWhileBusy.await(10, TimeUnit.SECONDS)).as("it polls while busy").isTrue();
                assertThat(askedWhenIdle.get()).as("nothing ran while busy").isZero();
                busy.set(false);
                assertThat(finished.await(60, TimeUnit.SECONDS)).as("it finished once idle").isTrue();
                // one question before each of the 20 handshakes, the 20 offers answered and the 2 self-connections
                assertThat(askedWhenIdle.get()).isEqualTo(42);
                assertThat(w.completed()).isEqualTo(new IdleWarmUp.Completed(20, 20, 2));
                // the agent's own channel code answers three self-connections in four: one or both of these two
                assertThat(throughAnswerer.get()).isBetween(1, 2);
            }
        }
    }
}
