package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static io.jrtc.dtls.HandshakeAttacksFailWithoutDeliveringData.assertFailedWithoutData;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replayed flights. A recorded handshake (client CERT_1, server CERT_2, one message each way) is replayed to fresh
 * jrtc endpoints, which must fail with {@code AUTHENTICATION} and deliver nothing, whether they expect the recorded
 * peer's fingerprint or another one; then every recorded datagram, and the datagrams of a second handshake with a
 * third certificate, are replayed into the established association, which must deliver nothing, emit no event,
 * change no state and keep carrying fresh data.
 */
class ReplayedFlightsNeitherAuthenticateNorDeliver {

    private static final DtlsConfig QUICK = DtlsConfig.builder().handshakeTimeout(Duration.ofMillis(3000)).build();

    /** Which fingerprint the fresh victim expects. */
    enum Expects {
        /** The recorded peer's: the certificate matches, the signatures do not (they cover the old randoms). */
        RECORDED_PEER,
        /** CERT_3's: the certificate itself is refused. */
        ANOTHER_PEER
    }

    /** A loss-free handshake with one application message each way; every datagram is in {@link Pump#wire}. */
    private static Pump recorded(DtlsCertificate client, DtlsCertificate server) throws InterruptedException {
        DtlsConfig slow = DtlsConfig.builder().initialRetransmit(Duration.ofSeconds(3)).build();
        Pump p = Pump.pair(slow, DtlsRole.CLIENT, client, slow, server);
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).isTrue();
        p.a.send(ByteBuffer.wrap("from the client".getBytes(StandardCharsets.US_ASCII)));
        p.b.send(ByteBuffer.wrap("from the server".getBytes(StandardCharsets.US_ASCII)));
        assertThat(p.runUntil(() -> Pump.data(p.eventsA).size() == 1 && Pump.data(p.eventsB).size() == 1,
                Duration.ofSeconds(10))).isTrue();
        return p;
    }

    private static List<byte[]> datagrams(Pump p, Pump.Dir dir, boolean handshake) {
        return p.wire.stream().filter(w -> w.dir() == dir
                && (w.contentType() == DtlsRecords.APPLICATION_DATA) != handshake).map(Pump.Wire::bytes).toList();
    }

    /**
     * The recorded client's ClientHello, then (once the fresh server has answered with its own random and ECDHE key)
     * the recorded flight 5, then the recorded application data. Expecting the recorded client, the fresh server
     * accepts its Certificate and rejects the CertificateVerify, whose signature covers the old handshake
     * (decrypt_error); expecting another peer, it rejects the Certificate.
     */
    @ParameterizedTest
    @EnumSource(Expects.class)
    void recordedClientFlightsDoNotAuthenticateToAFreshServer(Expects expects) throws Exception {
        Pump rec = recorded(Pump.CERT_1, Pump.CERT_2);
        List<byte[]> flights = datagrams(rec, Pump.Dir.A_TO_B, true);
        assertThat(flights).hasSize(2);
        Solo s = new Solo(QUICK, DtlsRole.SERVER, Pump.CERT_2,
                (expects == Expects.RECORDED_PEER ? Pump.CERT_1 : Pump.CERT_3).fingerprint()).start();
        s.feed(flights.get(0));
        assertThat(s.runUntil(() -> !s.sent.isEmpty(), Duration.ofSeconds(5))).as("the fresh server's flight 4").isTrue();
        s.feed(flights.get(1));
        assertThat(s.runUntil(() -> s.failed() != null, Duration.ofSeconds(5))).as("events %s", s.events).isTrue();
        datagrams(rec, Pump.Dir.A_TO_B, false).forEach(s::feed);
        s.step();
        assertFailedWithoutData(s.victim, s.events, ErrorKind.AUTHENTICATION);
        assertThat(s.failed().reason()).contains(expects == Expects.RECORDED_PEER ? "decrypt_error" : "fingerprint");
        assertThat(s.sent).anyMatch(d -> d[0] == DtlsRecords.ALERT)
                .noneMatch(d -> d[0] == DtlsRecords.CHANGE_CIPHER_SPEC || d[0] == DtlsRecords.APPLICATION_DATA);
    }

    /**
     * A fresh client sends its own ClientHello and receives the recorded server's flight 4, then its flight 6 and
     * application data. Expecting the recorded server, the fresh client accepts its Certificate and rejects the
     * ServerKeyExchange, whose signature covers the recorded client random (decrypt_error).
     */
    @ParameterizedTest
    @EnumSource(Expects.class)
    void recordedServerFlightsDoNotAuthenticateToAFreshClient(Expects expects) throws Exception {
        Pump rec = recorded(Pump.CERT_1, Pump.CERT_2);
        List<byte[]> flights = datagrams(rec, Pump.Dir.B_TO_A, true);
        assertThat(flights).hasSize(2);
        Solo s = new Solo(QUICK, DtlsRole.CLIENT, Pump.CERT_1,
                (expects == Expects.RECORDED_PEER ? Pump.CERT_2 : Pump.CERT_3).fingerprint()).start();
        assertThat(s.runUntil(() -> !s.sent.isEmpty(), Duration.ofSeconds(5))).as("the fresh ClientHello").isTrue();
        s.feed(flights.get(0));
        assertThat(s.runUntil(() -> s.failed() != null, Duration.ofSeconds(5))).as("events %s", s.events).isTrue();
        s.feed(flights.get(1));
        datagrams(rec, Pump.Dir.B_TO_A, false).forEach(s::feed);
        s.step();
        assertFailedWithoutData(s.victim, s.events, ErrorKind.AUTHENTICATION);
        assertThat(s.failed().reason()).contains(expects == Expects.RECORDED_PEER ? "decrypt_error" : "fingerprint");
        assertThat(s.sent).noneMatch(d -> DtlsRecords.split(d).stream()
                .anyMatch(r -> r.handshakeType() == DtlsRecords.CERTIFICATE));
    }

    /**
     * Into an established association: each side receives again every datagram it received (both handshake flights
     * and the application record), then the flights of another handshake between CERT_3 and CERT_2, including
     * CERT_3's Certificate, which matches neither side's fingerprint. Nothing is delivered (bctls's replay window
     * drops the old application record; handshake records after the handshake are at most answered by a
     * retransmission of the server's last flight), no event, no state change, and fresh data still flows.
     */
    @Test
    void replaysIntoAnEstablishedAssociationChangeNothing() throws Exception {
        Pump p = recorded(Pump.CERT_1, Pump.CERT_2);
        Pump other = recorded(Pump.CERT_3, Pump.CERT_2);
        int eventsA = p.eventsA.size();
        int eventsB = p.eventsB.size();
        List<byte[]> toServer = new java.util.ArrayList<>(datagrams(p, Pump.Dir.A_TO_B, true));
        toServer.addAll(datagrams(p, Pump.Dir.A_TO_B, false));
        toServer.addAll(datagrams(other, Pump.Dir.A_TO_B, true));
        List<byte[]> toClient = new java.util.ArrayList<>(datagrams(p, Pump.Dir.B_TO_A, true));
        toClient.addAll(datagrams(p, Pump.Dir.B_TO_A, false));
        toClient.addAll(datagrams(other, Pump.Dir.B_TO_A, true));
        for (int round = 0; round < 2; round++) {
            for (byte[] d : toServer) {
                p.b.handleInput(System.nanoTime(), ByteBuffer.wrap(d));
            }
            for (byte[] d : toClient) {
                p.a.handleInput(System.nanoTime(), ByteBuffer.wrap(d));
            }
            for (int i = 0; i < 100 && p.step(); i++) {
                // connected mode is synchronous: drain until nothing moves
            }
        }
        assertThat(p.eventsA.subList(eventsA, p.eventsA.size())).as("client events").isEmpty();
        assertThat(p.eventsB.subList(eventsB, p.eventsB.size())).as("server events").isEmpty();
        assertThat(p.a.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(p.b.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(p.a.recordsReceived()).isEqualTo(1);
        assertThat(p.b.recordsReceived()).isEqualTo(1);

        p.a.send(ByteBuffer.wrap(new byte[] {7}));
        p.b.send(ByteBuffer.wrap(new byte[] {8}));
        assertThat(p.runUntil(() -> Pump.data(p.eventsA).size() == 2 && Pump.data(p.eventsB).size() == 2,
                Duration.ofSeconds(10))).isTrue();
        assertThat(Pump.data(p.eventsB).get(1)).containsExactly(7);
        assertThat(Pump.data(p.eventsA).get(1)).containsExactly(8);
        assertThat(p.eventsA).filteredOn(e -> e instanceof DtlsEvent.Connected).hasSize(1);
        assertThat(p.eventsB).filteredOn(e -> e instanceof DtlsEvent.Connected).hasSize(1);
    }
}
