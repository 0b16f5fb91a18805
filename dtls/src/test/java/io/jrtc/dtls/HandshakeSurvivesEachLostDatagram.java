package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drops each handshake datagram in turn, in each direction (client is A), at the default MTU (flights packed into
 * one datagram each) and at MTU 300 (flights split across several datagrams, so e.g. the client's CertificateVerify
 * can be lost while its ChangeCipherSpec arrives): the handshake still completes and data then flows. Dropping the
 * server's last flight twice exercises the post-handshake path: the connected server answers the client's
 * retransmitted flight 5 with its flight 6 again, on the owner thread. The single-loss cases also run with RSA
 * certificates on both sides (bigger flights: a 2048-bit certificate and 256-byte signatures). Then random 20% loss
 * both ways.
 */
class HandshakeSurvivesEachLostDatagram {

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(1200, Pump.Dir.A_TO_B, false, false),
                Arguments.of(1200, Pump.Dir.B_TO_A, false, false),
                Arguments.of(300, Pump.Dir.A_TO_B, false, false), Arguments.of(300, Pump.Dir.B_TO_A, false, false),
                Arguments.of(1200, Pump.Dir.A_TO_B, true, false), Arguments.of(1200, Pump.Dir.B_TO_A, true, false),
                Arguments.of(1200, Pump.Dir.A_TO_B, false, true), Arguments.of(1200, Pump.Dir.B_TO_A, false, true),
                Arguments.of(300, Pump.Dir.A_TO_B, false, true), Arguments.of(300, Pump.Dir.B_TO_A, false, true));
    }

    private static boolean handshakeDatagram(ByteBuffer pkt) {
        return pkt.get(pkt.position()) != 23;
    }

    @ParameterizedTest(name = "mtu {0}, {1}, one record per datagram: {2}, RSA: {3}")
    @MethodSource("cases")
    void eachSingleLossIsRepaired(int mtu, Pump.Dir dir, boolean split, boolean rsa) throws Exception {
        DtlsConfig cfg = DtlsConfig.builder().mtu(mtu).build();
        // Count the handshake datagrams of a loss-free run, with a retransmit timer long enough that a slow moment
        // of this machine (class loading, a first RSA signature, other load) cannot add a spurious retransmission.
        Pump clean = pair(cfg.toBuilder().initialRetransmit(Duration.ofSeconds(3)).build(), split, rsa);
        clean.start();
        assertThat(clean.runUntil(clean::bothConnected, Duration.ofSeconds(20))).isTrue();
        long count = clean.wire.stream().filter(w -> w.dir() == dir && w.contentType() != 23).count();
        assertThat(count).isPositive();
        for (int i = 0; i < count; i++) {
            lose(cfg, dir, i, 1, split, rsa);
        }
    }

    private static Pump pair(DtlsConfig cfg, boolean split, boolean rsa) {
        Pump p = rsa ? Pump.pair(cfg, DtlsRole.CLIENT, Pump.RSA_1, cfg, Pump.RSA_2)
                : Pump.pair(cfg, DtlsRole.CLIENT, Pump.CERT_1, cfg, Pump.CERT_2);
        return split ? p.splittingRecords() : p;
    }

    @Test
    void serverFinalFlightLostTwiceIsResentByTheConnectedServer() throws Exception {
        Pump p = lose(DtlsConfig.defaults(), Pump.Dir.B_TO_A, 1, 2, false, false);
        // Flight 6 went out three times; the last two copies were produced after the server had connected.
        long flight6 = p.wire.stream().filter(w -> w.dir() == Pump.Dir.B_TO_A && w.contentType() == 20).count();
        assertThat(flight6).isGreaterThanOrEqualTo(3);
    }

    /** Drops {@code count} consecutive handshake datagrams from the {@code first}-th in {@code dir}; returns the pump. */
    private static Pump lose(DtlsConfig cfg, Pump.Dir dir, int first, int count, boolean split, boolean rsa)
            throws Exception {
        int[] seen = {0};
        Pump p = pair(cfg, split, rsa).withFilter((d, i, pkt) -> {
            if (d != dir || !handshakeDatagram(pkt)) {
                return false;
            }
            int n = seen[0]++;
            return n >= first && n < first + count;
        });
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).as("drop %s #%d x%d", dir, first, count).isTrue();
        assertThat(p.wire.stream().filter(Pump.Wire::dropped).count()).isEqualTo(count);
        assertThat(Pump.connected(p.eventsA).srtp()).isEqualTo(Pump.connected(p.eventsB).srtp());
        p.a.send(ByteBuffer.wrap(new byte[] {1}));
        p.b.send(ByteBuffer.wrap(new byte[] {2}));
        assertThat(p.runUntil(() -> Pump.data(p.eventsA).size() == 1 && Pump.data(p.eventsB).size() == 1,
                Duration.ofSeconds(10))).isTrue();
        return p;
    }

    @Test
    void twentyPercentRandomLossBothWays() throws Exception {
        for (long seed = 1; seed <= 8; seed++) {
            Random rnd = new Random(seed);
            DtlsConfig cfg = DtlsConfig.builder().mtu(300).build();
            Pump p = Pump.pair(cfg, DtlsRole.CLIENT, Pump.CERT_1, cfg, Pump.CERT_2)
                    .withFilter((d, i, pkt) -> rnd.nextDouble() < 0.2);
            p.start();
            assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).as("seed %d", seed).isTrue();
        }
    }
}
