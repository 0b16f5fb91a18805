package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link DtlsEndpoint#startHeld}: the handshake is prepared while the path is not ready (a PeerConnection starts it
 * before ICE connects). Nothing leaves and no deadline runs until {@link DtlsEndpoint#release}; then the handshake
 * completes as usual, and the deadline counts from the release.
 */
class HeldStartSendsNothingUntilReleased {

    private static final DtlsConfig SHORT = DtlsConfig.builder().handshakeTimeout(Duration.ofMillis(800)).build();

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void aHeldEndpointSendsNothingThenConnectsOnceReleased(DtlsRole heldRole) throws Exception {
        // The held side has an 800 ms handshake timeout; its peer the default 10 s.
        Pump p = Pump.pair(SHORT, heldRole, Pump.CERT_1, DtlsConfig.defaults(), Pump.CERT_2);
        long t0 = System.nanoTime();
        p.a.startHeld(t0);
        p.b.start(t0);
        assertThat(p.a.isHeld()).isTrue();
        assertThat(p.a.state()).isEqualTo(DtlsState.CONNECTING);
        assertThat(p.a.pollTimeout()).as("no deadline while held").isEqualTo(DtlsEndpoint.NO_TIMEOUT);
        // Longer than the 800 ms handshake timeout: neither the held side's deadline nor bctls's own timeout fires.
        p.runUntil(() -> false, Duration.ofMillis(1500));
        assertThat(p.wire.stream().filter(w -> w.dir() == Pump.Dir.A_TO_B)).as("nothing left the held side").isEmpty();
        assertThat(p.eventsA).isEmpty();
        if (heldRole == DtlsRole.SERVER) {
            // the client's ClientHello reached the held server, which answers only after the release
            assertThat(p.wire.stream().filter(w -> w.dir() == Pump.Dir.B_TO_A && w.handshakeType() == 1)).isNotEmpty();
        }
        long released = System.nanoTime();
        p.a.release(released);
        assertThat(p.a.isHeld()).isFalse();
        assertThat(p.a.pollTimeout()).isEqualTo(released + Duration.ofMillis(800).toNanos());
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(10))).isTrue();
        assertThat(Pump.connected(p.eventsA).remoteFingerprint()).isEqualTo(Pump.CERT_2.fingerprint());
        p.a.release(System.nanoTime()); // idempotent
        assertThat(p.a.state()).isEqualTo(DtlsState.CONNECTED);
    }

    @Test
    void aClientHelloHeldLongerThanItsRetransmitTimerStillLeadsToOneHandshake() throws Exception {
        DtlsConfig cfg = DtlsConfig.builder().handshakeTimeout(Duration.ofSeconds(5)).initialRetransmit(Duration.ofMillis(100)).build();
        Pump p = Pump.pair(cfg, DtlsRole.CLIENT, Pump.CERT_1, cfg, Pump.CERT_2);
        long t0 = System.nanoTime();
        p.a.startHeld(t0);
        p.b.start(t0);
        p.runUntil(() -> false, Duration.ofMillis(400));
        p.a.release(System.nanoTime());
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(10))).isTrue();
        long hellos = p.wire.stream().filter(w -> w.dir() == Pump.Dir.A_TO_B && w.handshakeType() == 1).count();
        assertThat(hellos).as("the held ClientHello, plus at most one immediate retransmission").isBetween(1L, 2L);
    }

    @Test
    void theDeadlineCountsFromTheRelease() throws Exception {
        Pump p = Pump.pair(SHORT, DtlsRole.CLIENT, Pump.CERT_1, SHORT, Pump.CERT_2).withFilter((dir, i, pkt) -> true);
        long t0 = System.nanoTime();
        p.a.startHeld(t0);
        p.runUntil(() -> false, Duration.ofMillis(1000));
        assertThat(p.eventsA).isEmpty();
        long released = System.nanoTime();
        p.a.release(released);
        assertThat(p.runUntil(() -> Pump.failed(p.eventsA) != null, Duration.ofSeconds(10))).isTrue();
        long afterRelease = (System.nanoTime() - released) / 1_000_000;
        assertThat(Pump.failed(p.eventsA).kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(afterRelease).isBetween(700L, 5000L);
        assertThat(p.wire.stream().filter(w -> w.handshakeType() == 1)).as("ClientHellos sent after the release").isNotEmpty();
    }

    @Test
    void closingAHeldEndpointEndsItsHandshakeThreadWithoutSending() throws Exception {
        Pump p = Pump.pair(SHORT, DtlsRole.CLIENT, Pump.CERT_1, SHORT, Pump.CERT_2);
        p.a.startHeld(System.nanoTime());
        p.runUntil(() -> false, Duration.ofMillis(200));
        p.a.close();
        p.a.release(System.nanoTime());
        p.runUntil(() -> false, Duration.ofMillis(300));
        assertThat(p.a.state()).isEqualTo(DtlsState.CLOSED);
        assertThat(p.wire).isEmpty();
        assertThat(p.eventsA).isEmpty();
        assertThat(List.of(p.a.pollTransmit().isPresent())).containsExactly(false);
    }
}
