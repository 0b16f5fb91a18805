package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Dropping the first ClientHello costs about one initial retransmission timeout (100 ms by default), not
 * bctls's 1 s default. Measured on the real clock, because bctls's retransmission timer runs on it; bounds are
 * generous so a loaded CI machine does not flake, but exclude anything near 1 s.
 */
class LostClientHelloCostsOneShortRetransmit {

    @Test
    void firstFlightLossIsRepairedAfterTheInitialRetransmitTime() throws Exception {
        DtlsConfig cfg = DtlsConfig.defaults();
        Pump p = Pump.pair(cfg, DtlsRole.CLIENT, Pump.CERT_1, cfg, Pump.CERT_2)
                .withFilter((dir, index, pkt) -> dir == Pump.Dir.A_TO_B && index == 0);
        long t0 = System.nanoTime();
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).isTrue();
        long total = (System.nanoTime() - t0) / 1_000_000;

        var hellos = p.wire.stream().filter(w -> w.dir() == Pump.Dir.A_TO_B && w.handshakeType() == 1).toList();
        assertThat(hellos).hasSizeGreaterThanOrEqualTo(2);
        assertThat(hellos.get(0).dropped()).isTrue();
        assertThat(hellos.get(1).dropped()).isFalse();
        long gapMillis = (hellos.get(1).atNanos() - hellos.get(0).atNanos()) / 1_000_000;
        long rto = cfg.initialRetransmit().toMillis();
        System.err.printf("ClientHello resent after %d ms (initial RTO %d ms); handshake took %d ms%n", gapMillis, rto, total);
        assertThat(gapMillis).isBetween(rto / 2, 600L);
        assertThat(total).isLessThan(900L);
    }
}
