package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadPeerAndHeartbeatTest {

    @Test
    void heartbeatsOnAnIdleAssociationMeasureTheRoundTrip() {
        SctpConfig.Builder c = SctpPair.config(1).heartbeatInterval(Duration.ofSeconds(1));
        SctpPair p = SctpPair.of(c, SctpPair.config(2).heartbeatInterval(Duration.ofSeconds(1)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(50)), 1);
        p.establish();
        p.run(() -> false, Duration.ofSeconds(10));
        SctpStats s = p.a.stats();
        assertThat(s.heartbeatsSent()).isBetween(5L, 10L);
        assertThat(s.heartbeatAcksReceived()).isEqualTo(s.heartbeatsSent());
        assertThat(p.a.lastHeartbeatRtt()).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(s.srttNanos()).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(p.b.stats().heartbeatAcksReceived()).isPositive();
        assertThat(p.a.state()).isEqualTo(SctpState.ESTABLISHED);
    }

    @Test
    void aDeadPeerAbortsAfterTheConfiguredNumberOfTimeouts() {
        SctpPair p = SctpPair.of(SctpPair.config(3).maxRetransmits(5).rtoMax(Duration.ofSeconds(4)), SctpPair.config(4),
                NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 2);
        p.establish();
        p.net.withFilter((d, i, pkt) -> true); // 100% loss from now on
        long start = p.now();
        p.a.send(p.now(), 1, 53, ByteBuffer.wrap(new byte[100]), SendOptions.RELIABLE);
        assertThat(p.run(() -> p.a.isTerminated(), Duration.ofMinutes(10))).isTrue();
        SctpEvent.Aborted ab = SctpPair.all(p.eventsA, SctpEvent.Aborted.class).get(0);
        assertThat(ab.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(p.a.stats().t3Expiries()).isEqualTo(6);
        // RTO 0.5 s (initial, no sample yet), backing off: 0.5 + 1 + 2 + 4 + 4 + 4 (capped at RTO.Max)
        assertThat(p.now() - start).isEqualTo(Duration.ofMillis(15_500).toNanos());
    }

    @Test
    void aDeadPeerOnAnIdleAssociationIsFoundByHeartbeats() {
        SctpConfig.Builder c = SctpPair.config(5).heartbeatInterval(Duration.ofSeconds(2)).maxRetransmits(3);
        SctpPair p = SctpPair.of(c, SctpPair.config(6), NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 3);
        p.establish();
        p.net.withFilter((d, i, pkt) -> true);
        long start = p.now();
        assertThat(p.run(() -> p.a.isTerminated(), Duration.ofMinutes(5))).isTrue();
        assertThat(SctpPair.all(p.eventsA, SctpEvent.Aborted.class).get(0).kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(p.a.stats().heartbeatsSent()).isEqualTo(4);
        assertThat(p.now() - start).isLessThan(Duration.ofSeconds(20).toNanos());
    }
}
