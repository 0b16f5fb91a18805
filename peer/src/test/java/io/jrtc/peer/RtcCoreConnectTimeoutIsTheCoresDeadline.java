package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connect timeout ({@link RtcLimits#connectTimeout()}, 30 s by default) is one of the core's own deadlines: a
 * connection that is not {@code CONNECTED} 30 s after its remote description reports {@link RtcEvent.ConnectTimedOut}
 * once, at that virtual time; one that connected never does.
 */
class RtcCoreConnectTimeoutIsTheCoresDeadline {

    @Test
    void aDeadLinkTimesOutAtThirtySecondsOnce() {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(10));
        RtcPair pair = new RtcPair(71, link, link, null, null);
        long start = pair.now();
        pair.linkDown(true);
        assertThat(pair.runUntil(() -> timedOut(pair.a) && timedOut(pair.b), Duration.ofSeconds(40))).isTrue();
        long at = pair.now() - start;
        assertThat(at).isBetween(Duration.ofSeconds(30).toNanos(), Duration.ofMillis(30_050).toNanos());
        pair.runFor(Duration.ofSeconds(30));
        for (RtcPair.Side s : List.of(pair.a, pair.b)) {
            assertThat(s.events(RtcEvent.ConnectTimedOut.class)).as("%s", s).hasSize(1);
            assertThat(s.core.connectionState()).isNotEqualTo(RtcPeerConnectionState.CONNECTED);
        }
    }

    @Test
    void aConnectedPairNeverTimesOut() {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(10));
        RtcPair pair = new RtcPair(72, link, link, null, null);
        assertThat(pair.runUntil(pair::bothConnected, Duration.ofSeconds(10))).isTrue();
        pair.runFor(Duration.ofSeconds(45));
        assertThat(pair.bothConnected()).isTrue();
        assertThat(pair.a.events(RtcEvent.ConnectTimedOut.class)).isEmpty();
        assertThat(pair.b.events(RtcEvent.ConnectTimedOut.class)).isEmpty();
    }

    private static boolean timedOut(RtcPair.Side s) {
        return !s.events(RtcEvent.ConnectTimedOut.class).isEmpty();
    }
}
