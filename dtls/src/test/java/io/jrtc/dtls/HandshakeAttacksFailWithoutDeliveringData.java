package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.dtls.DtlsRecords.Rec;
import io.jrtc.dtls.internal.Crypto;
import io.jrtc.dtls.internal.HandoffTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * State-machine attacks on the handshake, in the spirit of dtls-fuzzer: a malicious peer that leaves out
 * Certificate and CertificateVerify, or only CertificateVerify, or sends Finished before the key exchange. In every
 * case the jrtc endpoint under attack ends {@link DtlsState#FAILED}, emits exactly one {@link DtlsEvent.Failed}, and
 * never emits {@link DtlsEvent.Connected} or {@link DtlsEvent.ApplicationData}. The malicious peer is either
 * BouncyCastle's own {@link DefaultTlsClient} or a genuine jrtc endpoint whose datagrams a man in the middle
 * rewrites ({@link Pump#withRewrite}); the client is A, the server B.
 */
class HandshakeAttacksFailWithoutDeliveringData {

    /** Short, so that the attacks that end in a timeout do not slow the suite down. */
    private static final DtlsConfig QUICK = DtlsConfig.builder().handshakeTimeout(Duration.ofMillis(1500)).build();

    static void assertFailedWithoutData(DtlsEndpoint victim, List<DtlsEvent> events, ErrorKind kind) {
        assertThat(victim.state()).as("events %s", events).isEqualTo(DtlsState.FAILED);
        assertThat(events).as("events").noneMatch(e -> e instanceof DtlsEvent.Connected
                || e instanceof DtlsEvent.ApplicationData || e instanceof DtlsEvent.Closed);
        assertThat(events.stream().filter(e -> e instanceof DtlsEvent.Failed).count()).isEqualTo(1);
        assertThat(Pump.failed(events).kind()).as("failure %s", Pump.failed(events)).isEqualTo(kind);
        assertThat(victim.recordsReceived()).isZero();
    }

    /**
     * BouncyCastle's {@link DefaultTlsClient} whose {@link TlsAuthentication} returns no client credentials: it
     * answers the CertificateRequest with an empty Certificate and sends no CertificateVerify. The jrtc server
     * refuses an empty chain (RFC 8827 section 6.5 requires a certificate from both ends) with handshake_failure.
     * Not applicable to the other role: with the ECDHE_ECDSA and ECDHE_RSA suites a server must send its
     * certificate and sign its key exchange.
     */
    @Test
    void clientWithoutCertificateAndCertificateVerifyIsRefused() throws Exception {
        Solo s = new Solo(QUICK, DtlsRole.SERVER, Pump.CERT_2, Pump.CERT_1.fingerprint());
        HandoffTransport wire = new HandoffTransport(1200, false, s.signal::release);
        AtomicReference<Throwable> attackerOutcome = new AtomicReference<>();
        Thread attacker = Thread.ofVirtual().start(() -> {
            try {
                new DTLSClientProtocol().connect(new AnonymousClient(), wire);
                attackerOutcome.set(new AssertionError("the attacker connected"));
            } catch (IOException e) {
                attackerOutcome.set(e);
            }
        });
        s.attach(wire).start();
        assertThat(s.runUntil(() -> s.failed() != null, Duration.ofSeconds(10))).as("events %s", s.events).isTrue();
        assertFailedWithoutData(s.victim, s.events, ErrorKind.AUTHENTICATION);
        assertThat(s.failed().reason()).contains("presented no certificate");
        // The server sent its flight 4 and then a fatal alert, never a ChangeCipherSpec.
        assertThat(s.sent).anyMatch(d -> d[0] == DtlsRecords.ALERT)
                .noneMatch(d -> DtlsRecords.split(d).stream().anyMatch(r -> r.type() == DtlsRecords.CHANGE_CIPHER_SPEC));
        attacker.join(Duration.ofSeconds(10));
        assertThat(attackerOutcome.get()).as("the attacking BouncyCastle client was told").isInstanceOf(IOException.class)
                .hasMessageContaining("handshake_failure");
    }

    /**
     * A client with the certificate the server expects but without its private key: its flight 5 carries Certificate
     * and ClientKeyExchange, and the man in the middle removes CertificateVerify (no BouncyCastle client can be made
     * to leave it out while sending a certificate: its credential check insists on a signer). bctls waits for the
     * CertificateVerify; jrtc's transport withholds the ChangeCipherSpec until one has passed (the bctls
     * deadlock workaround), so the Finished behind it can never be read, each retransmitted flight 5 lacks the
     * CertificateVerify too, and the handshake ends at its deadline: {@code Failed(TIMEOUT)}, with no
     * ChangeCipherSpec ever sent by the server.
     */
    @Test
    void clientThatSkipsCertificateVerifyNeverConnects() throws Exception {
        Pump p = Pump.pair(QUICK, DtlsRole.CLIENT, Pump.CERT_1, QUICK, Pump.CERT_2)
                .withRewrite((dir, d) -> dir == Pump.Dir.A_TO_B
                        ? keep(d, r -> r.handshakeType() != DtlsRecords.CERTIFICATE_VERIFY) : List.of(d));
        p.start();
        assertThat(p.runUntil(() -> Pump.failed(p.eventsB) != null, Duration.ofSeconds(10))).isTrue();
        assertFailedWithoutData(p.b, p.eventsB, ErrorKind.TIMEOUT);
        assertThat(p.wire).anyMatch(w -> w.dir() == Pump.Dir.A_TO_B && w.handshakeType() == DtlsRecords.CERTIFICATE)
                .noneMatch(w -> w.dir() == Pump.Dir.B_TO_A && w.contentType() == DtlsRecords.CHANGE_CIPHER_SPEC)
                .noneMatch(w -> w.contentType() == DtlsRecords.APPLICATION_DATA);
        assertThat(p.a.state()).isNotEqualTo(DtlsState.CONNECTED);
    }

    /**
     * The server-side counterpart of skipping CertificateVerify (TLS 1.2 servers send none): the server's proof of
     * key possession is its signed ServerKeyExchange, and the man in the middle removes it from flight 4 and renumbers
     * the message_seq of the CertificateRequest and ServerHelloDone behind it (left with a gap, bctls would just
     * wait for the missing message and time out, as in the CertificateVerify case). The jrtc
     * client reads a CertificateRequest where the ECDHE suites require a ServerKeyExchange and aborts with
     * unexpected_message: {@code Failed(PROTOCOL_VIOLATION)} and a fatal alert to the server.
     */
    @Test
    void serverThatSkipsServerKeyExchangeIsRejected() throws Exception {
        Pump p = Pump.pair(QUICK, DtlsRole.CLIENT, Pump.CERT_1, QUICK, Pump.CERT_2)
                .withRewrite((dir, d) -> dir == Pump.Dir.B_TO_A ? withoutServerKeyExchange(d) : List.of(d));
        p.start();
        assertThat(p.runUntil(() -> Pump.failed(p.eventsA) != null, Duration.ofSeconds(10))).isTrue();
        assertFailedWithoutData(p.a, p.eventsA, ErrorKind.PROTOCOL_VIOLATION);
        assertThat(Pump.failed(p.eventsA).reason()).contains("unexpected_message");
        assertThat(p.wire).anyMatch(w -> w.dir() == Pump.Dir.A_TO_B && w.contentType() == DtlsRecords.ALERT)
                .noneMatch(w -> w.dir() == Pump.Dir.A_TO_B && w.handshakeType() == DtlsRecords.CERTIFICATE);
    }

    /** Which side the man in the middle attacks. */
    enum Victim { SERVER, CLIENT }

    /**
     * An epoch-0 Finished where the peer's Certificate belongs. Against a jrtc server, the client's whole flight 5
     * is replaced by a Finished with message_seq 1 (right after the ClientHello, before any key exchange); against a
     * jrtc client, the server's flight 4 is cut after the ServerHello and a Finished with message_seq 1 follows.
     * No alert: bctls's reliable handshake (DTLSReliableHandshake.processRecord in 1.84) only accepts a Finished
     * in an epoch above 0 and every other handshake message in epoch 0, so it discards the forged Finished as if it
     * had never arrived, keeps waiting for the Certificate, retransmits its own last flight, and the handshake ends
     * at its deadline: {@code Failed(TIMEOUT)}. The attacker has no keys for epoch 1 (that would need the key
     * exchange), so an earlier Finished that bctls would read cannot be forged.
     */
    @ParameterizedTest
    @EnumSource(Victim.class)
    void finishedBeforeTheKeyExchangeIsRejected(Victim victim) throws Exception {
        byte[] finished = DtlsRecords.record(DtlsRecords.HANDSHAKE, 0, 1,
                DtlsRecords.handshake(DtlsRecords.FINISHED, 1, new byte[12]));
        Pump p = Pump.pair(QUICK, DtlsRole.CLIENT, Pump.CERT_1, QUICK, Pump.CERT_2).withRewrite((dir, d) -> {
            List<Rec> recs = DtlsRecords.split(d);
            if (victim == Victim.SERVER && dir == Pump.Dir.A_TO_B
                    && recs.stream().anyMatch(r -> r.handshakeType() == DtlsRecords.CERTIFICATE)) {
                return List.of(finished);
            }
            if (victim == Victim.CLIENT && dir == Pump.Dir.B_TO_A
                    && recs.get(0).handshakeType() == DtlsRecords.SERVER_HELLO) {
                return List.of(DtlsRecords.join(List.of(recs.get(0), new Rec(finished))));
            }
            return List.of(d);
        });
        p.start();
        DtlsEndpoint target = victim == Victim.SERVER ? p.b : p.a;
        List<DtlsEvent> events = victim == Victim.SERVER ? p.eventsB : p.eventsA;
        assertThat(p.runUntil(() -> Pump.failed(events) != null, Duration.ofSeconds(10))).isTrue();
        assertFailedWithoutData(target, events, ErrorKind.TIMEOUT);
        Pump.Dir fromVictim = victim == Victim.SERVER ? Pump.Dir.B_TO_A : Pump.Dir.A_TO_B;
        int lastFlight = victim == Victim.SERVER ? DtlsRecords.SERVER_HELLO : DtlsRecords.CLIENT_HELLO;
        assertThat(p.wire.stream().filter(w -> w.dir() == fromVictim && w.handshakeType() == lastFlight).count())
                .as("the victim kept retransmitting its last flight, waiting for the real next message")
                .isGreaterThan(1);
        assertThat(p.wire).noneMatch(w -> w.dir() == fromVictim && w.contentType() == DtlsRecords.CHANGE_CIPHER_SPEC);
    }

    /**
     * The client's Finished (epoch 1, after its ChangeCipherSpec) delivered without the Certificate,
     * ClientKeyExchange and CertificateVerify before it. The jrtc server withholds the ChangeCipherSpec (no
     * CertificateVerify has passed), cannot read the epoch-1 record, waits for the missing messages and ends at the
     * deadline: {@code Failed(TIMEOUT)}.
     */
    @Test
    void finishedWithoutTheKeyExchangeNeverConnects() throws Exception {
        Pump p = Pump.pair(QUICK, DtlsRole.CLIENT, Pump.CERT_1, QUICK, Pump.CERT_2).withRewrite((dir, d) -> {
            List<Rec> recs = DtlsRecords.split(d);
            if (dir == Pump.Dir.A_TO_B && recs.stream().anyMatch(r -> r.handshakeType() == DtlsRecords.CERTIFICATE)) {
                return keep(d, r -> r.type() == DtlsRecords.CHANGE_CIPHER_SPEC || r.epoch() == 1);
            }
            return List.of(d);
        });
        p.start();
        assertThat(p.runUntil(() -> Pump.failed(p.eventsB) != null, Duration.ofSeconds(10))).isTrue();
        assertFailedWithoutData(p.b, p.eventsB, ErrorKind.TIMEOUT);
        assertThat(p.wire).noneMatch(w -> w.dir() == Pump.Dir.B_TO_A && w.contentType() == DtlsRecords.CHANGE_CIPHER_SPEC);
    }

    /** Flight 4 without its ServerKeyExchange, the later messages' message_seq moved down by one. */
    private static List<byte[]> withoutServerKeyExchange(byte[] datagram) {
        List<Rec> out = new ArrayList<>();
        boolean removed = false;
        for (Rec r : DtlsRecords.split(datagram)) {
            if (r.handshakeType() == DtlsRecords.SERVER_KEY_EXCHANGE) {
                removed = true;
            } else if (removed && r.handshakeType() >= 0) {
                byte[] b = r.bytes().clone();
                int seq = (((b[17] & 0xFF) << 8) | (b[18] & 0xFF)) - 1;
                b[17] = (byte) (seq >>> 8);
                b[18] = (byte) seq;
                out.add(new Rec(b));
            } else {
                out.add(r);
            }
        }
        return out.isEmpty() ? List.of() : List.of(DtlsRecords.join(out));
    }

    private static List<byte[]> keep(byte[] datagram, java.util.function.Predicate<Rec> which) {
        List<Rec> kept = new ArrayList<>(DtlsRecords.split(datagram).stream().filter(which).toList());
        return kept.isEmpty() ? List.of() : List.of(DtlsRecords.join(kept));
    }

    /** BouncyCastle's default DTLS 1.2 client that accepts any server and presents no certificate. */
    private static final class AnonymousClient extends DefaultTlsClient {
        AnonymousClient() {
            super(Crypto.INSTANCE);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                    return null;
                }
            };
        }
    }
}
