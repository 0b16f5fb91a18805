package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceConnectionState;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The link goes dead both ways once connected: with ICE's defaults (consent checks every 2 s +-20%, RFC 7675),
 * each side reports {@code disconnected} 5 s after the last consent response ({@code IceConfig.disconnectedTimeout})
 * and {@code failed} 30 s after it ({@code consentTimeout}); the connection state follows ICE's.
 */
class RtcCoreConsentLossDisconnectsThenFails {

    @Test
    void disconnectedAfterFiveSecondsFailedAfterThirty() {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(10));
        RtcPair pair = new RtcPair(33, link, link, null, null);
        assertThat(pair.runUntil(pair::bothConnected, Duration.ofSeconds(30))).isTrue();
        pair.runFor(Duration.ofSeconds(10)); // consent checks have been answered for a while
        assertThat(pair.bothConnected()).isTrue();
        long dead = pair.now();
        pair.linkDown(true);
        assertThat(pair.runUntil(() -> state(pair.a) == RtcPeerConnectionState.FAILED
                && state(pair.b) == RtcPeerConnectionState.FAILED, Duration.ofSeconds(40))).isTrue();
        for (RtcPair.Side s : List.of(pair.a, pair.b)) {
            long disconnected = at(s, RtcPeerConnectionState.DISCONNECTED) - dead;
            long failed = at(s, RtcPeerConnectionState.FAILED) - dead;
            // the last response came at most one consent interval (2.4 s) before the link died
            assertThat(disconnected).as("%s disconnected after", s).isBetween(ms(5000 - 2400), ms(5000 + 100));
            assertThat(failed).as("%s failed after", s).isBetween(ms(30_000 - 2400), ms(30_000 + 100));
            assertThat(s.core.iceConnectionState()).isEqualTo(IceConnectionState.FAILED);
        }
    }

    private static long ms(long v) {
        return v * 1_000_000L;
    }

    private static RtcPeerConnectionState state(RtcPair.Side s) {
        return s.core.connectionState();
    }

    /** The virtual time at which {@code s} reported {@code state} (recorded by the listener). */
    private static long at(RtcPair.Side s, RtcPeerConnectionState state) {
        Long t = s.stateTimes.get(state);
        assertThat(t).as("%s reached %s", s, state).isNotNull();
        return t;
    }
}
