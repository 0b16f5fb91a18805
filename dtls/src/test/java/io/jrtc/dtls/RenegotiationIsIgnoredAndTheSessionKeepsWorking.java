package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.tls.DTLSTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Renegotiation attempts after the handshake (jrtc does not renegotiate, README "What it does NOT do"). The
 * attacker is the genuine, connected peer: besides plaintext epoch-0 records, it sends handshake messages encrypted
 * under the session's epoch-1 keys, through its own bctls record layer (reached by reflection, since bctls offers no
 * API to send a handshake record after the handshake). Against the server: a fresh ClientHello (from a new client
 * with a different certificate) in epoch 0, then the same ClientHello in epoch 1 with the next message_seq. Against
 * the client: a HelloRequest in epoch 0 and in epoch 1. Both also get, in epoch 1, a Certificate message with
 * CERT_3, whose fingerprint neither side was given. bctls 1.84's record layer ignores handshake records once
 * the handshake is over (except the server's retransmission of its last flight, which these messages do not
 * trigger), so the victim answers nothing, emits no event, stays CONNECTED, keeps its keys (data still flows both
 * ways), keeps the peer certificate it authenticated, and never delivers the injected bytes as application data.
 */
class RenegotiationIsIgnoredAndTheSessionKeepsWorking {

    /** Which end receives the renegotiation attempt. */
    enum Victim { SERVER, CLIENT }

    @ParameterizedTest
    @EnumSource(Victim.class)
    void renegotiationAttemptsAreIgnored(Victim victim) throws Exception {
        Pump p = Pump.pair(DtlsConfig.defaults(), DtlsRole.CLIENT, Pump.CERT_1, DtlsConfig.defaults(), Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).isTrue();
        DtlsEndpoint target = victim == Victim.SERVER ? p.b : p.a;
        DtlsEndpoint attacker = victim == Victim.SERVER ? p.a : p.b;
        List<DtlsEvent> events = victim == Victim.SERVER ? p.eventsB : p.eventsA;
        Pump.Dir fromVictim = victim == Victim.SERVER ? Pump.Dir.B_TO_A : Pump.Dir.A_TO_B;
        int eventsBefore = events.size();
        int wireBefore = p.wire.size();

        List<byte[]> plain = new ArrayList<>();
        List<byte[]> encrypted = new ArrayList<>();
        if (victim == Victim.SERVER) {
            byte[] clientHello = freshClientHello();
            plain.add(DtlsRecords.record(DtlsRecords.HANDSHAKE, 0, 1000, clientHello));
            // Client flight 5 used message_seq 1..4 (Certificate, ClientKeyExchange, CertificateVerify, Finished).
            encrypted.add(DtlsRecords.withMessageSeq(clientHello, 5));
            encrypted.add(DtlsRecords.handshake(DtlsRecords.CERTIFICATE, 6, certificateBody(Pump.CERT_3)));
        } else {
            byte[] helloRequest = DtlsRecords.handshake(DtlsRecords.HELLO_REQUEST, 0, new byte[0]);
            plain.add(DtlsRecords.record(DtlsRecords.HANDSHAKE, 0, 1000, helloRequest));
            // Server flight 4 and 6 used message_seq 0..5.
            encrypted.add(DtlsRecords.withMessageSeq(helloRequest, 6));
            encrypted.add(DtlsRecords.handshake(DtlsRecords.CERTIFICATE, 7, certificateBody(Pump.CERT_3)));
        }
        for (byte[] d : plain) {
            target.handleInput(System.nanoTime(), ByteBuffer.wrap(d));
        }
        for (byte[] m : encrypted) {
            sendRecordInCurrentEpoch(attacker, DtlsRecords.HANDSHAKE, m);
        }
        for (int i = 0; i < 100 && p.step(); i++) {
            // connected mode is synchronous: drain until nothing moves
        }
        List<Pump.Wire> after = p.wire.subList(wireBefore, p.wire.size());
        assertThat(after).as("the attacker's epoch-1 records went out")
                .filteredOn(w -> w.dir() != fromVictim && w.contentType() == DtlsRecords.HANDSHAKE).hasSize(2);
        assertThat(after).as("the victim answered nothing").noneMatch(w -> w.dir() == fromVictim);
        assertThat(events.subList(eventsBefore, events.size())).as("victim events").isEmpty();
        assertThat(target.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(attacker.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(target.recordsReceived()).isZero();
        assertThat(Pump.connected(events).remoteFingerprint())
                .isEqualTo((victim == Victim.SERVER ? Pump.CERT_1 : Pump.CERT_2).fingerprint());

        // Control: an application_data record sent the same way (reflection into the attacker's record layer, the
        // same keys) is delivered, so the handshake records above did reach and pass the victim's record layer.
        byte[] control = {9, 9, 9};
        sendRecordInCurrentEpoch(attacker, DtlsRecords.APPLICATION_DATA, control);
        assertThat(p.runUntil(() -> Pump.data(events).size() == 1, Duration.ofSeconds(10))).isTrue();
        assertThat(Pump.data(events).get(0)).containsExactly(control);

        // The established keys still work both ways, and each side sees exactly the fresh bytes.
        p.a.send(ByteBuffer.wrap(new byte[] {1, 2}));
        p.b.send(ByteBuffer.wrap(new byte[] {3, 4}));
        int clientHad = Pump.data(p.eventsA).size();
        int serverHad = Pump.data(p.eventsB).size();
        assertThat(p.runUntil(() -> Pump.data(p.eventsA).size() == clientHad + 1
                && Pump.data(p.eventsB).size() == serverHad + 1, Duration.ofSeconds(10))).isTrue();
        assertThat(Pump.data(p.eventsB).get(serverHad)).containsExactly(1, 2);
        assertThat(Pump.data(p.eventsA).get(clientHad)).containsExactly(3, 4);
        assertThat(p.eventsA).filteredOn(e -> e instanceof DtlsEvent.Connected).hasSize(1);
        assertThat(p.eventsB).filteredOn(e -> e instanceof DtlsEvent.Connected).hasSize(1);
    }

    /** The handshake message of the ClientHello a new client (CERT_3) sends. */
    private static byte[] freshClientHello() throws InterruptedException {
        Solo s = new Solo(DtlsConfig.defaults(), DtlsRole.CLIENT, Pump.CERT_3, Pump.CERT_2.fingerprint()).start();
        assertThat(s.runUntil(() -> !s.sent.isEmpty(), Duration.ofSeconds(5))).isTrue();
        s.victim.close();
        DtlsRecords.Rec hello = DtlsRecords.split(s.sent.get(0)).get(0);
        assertThat(hello.handshakeType()).isEqualTo(DtlsRecords.CLIENT_HELLO);
        return hello.handshakeMessage();
    }

    /** A Certificate message body (RFC 5246 section 7.4.2) carrying one certificate. */
    private static byte[] certificateBody(DtlsCertificate cert) {
        byte[] der = cert.certificateDer();
        byte[] body = new byte[6 + der.length];
        int list = 3 + der.length;
        body[0] = (byte) (list >>> 16);
        body[1] = (byte) (list >>> 8);
        body[2] = (byte) list;
        body[3] = (byte) (der.length >>> 16);
        body[4] = (byte) (der.length >>> 8);
        body[5] = (byte) der.length;
        System.arraycopy(der, 0, body, 6, der.length);
        return body;
    }

    /** Sends {@code message} as a record of {@code type} protected under the endpoint's current (epoch 1) keys. */
    private static void sendRecordInCurrentEpoch(DtlsEndpoint endpoint, int type, byte[] message) throws Exception {
        Field dtls = DtlsEndpoint.class.getDeclaredField("dtls");
        dtls.setAccessible(true);
        Field layer = DTLSTransport.class.getDeclaredField("recordLayer");
        layer.setAccessible(true);
        Object recordLayer = layer.get(dtls.get(endpoint));
        Method send = recordLayer.getClass().getDeclaredMethod("sendRecord", short.class, byte[].class, int.class, int.class);
        send.setAccessible(true);
        send.invoke(recordLayer, (short) type, message, 0, message.length);
    }
}
