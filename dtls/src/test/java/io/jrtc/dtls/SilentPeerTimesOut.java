package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A peer that never answers gives {@code Failed(TIMEOUT)} once the configured handshake timeout has passed. */
class SilentPeerTimesOut {

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void silentPeerGivesTimeoutWithinTheConfiguredTime(DtlsRole role) throws Exception {
        DtlsConfig cfg = DtlsConfig.builder().handshakeTimeout(Duration.ofMillis(600)).build();
        // B exists but everything A sends is dropped, and B (a server waiting for a ClientHello) never speaks.
        Pump p = new Pump(w -> new DtlsEndpoint(cfg, role, Pump.CERT_1, List.of(Pump.CERT_2.fingerprint()), w),
                w -> new DtlsEndpoint(cfg, DtlsRole.SERVER, Pump.CERT_2, List.of(Pump.CERT_1.fingerprint()), w))
                .withFilter((dir, index, pkt) -> true);
        long t0 = System.nanoTime();
        p.a.start(t0);
        assertThat(p.a.pollTimeout()).isEqualTo(t0 + Duration.ofMillis(600).toNanos());
        assertThat(p.runUntil(() -> Pump.failed(p.eventsA) != null, Duration.ofSeconds(10))).isTrue();
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        DtlsEvent.Failed f = Pump.failed(p.eventsA);
        assertThat(f.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(f.reason()).contains("600 ms");
        assertThat(elapsed).isBetween(500L, 3000L);
        assertThat(p.a.state()).isEqualTo(DtlsState.FAILED);
        assertThat(p.a.pollTimeout()).isEqualTo(DtlsEndpoint.NO_TIMEOUT);
        assertThat(p.eventsA).hasSize(1);
        if (role == DtlsRole.CLIENT) {
            // The client kept retransmitting its ClientHello with backoff until the deadline.
            long hellos = p.wire.stream().filter(w -> w.handshakeType() == 1).count();
            assertThat(hellos).isBetween(2L, 8L);
        } else {
            assertThat(p.wire).isEmpty();
        }
    }
}
