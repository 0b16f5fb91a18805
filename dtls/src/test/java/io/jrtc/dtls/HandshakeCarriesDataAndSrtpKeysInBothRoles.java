package io.jrtc.dtls;

import io.jrtc.common.SrtpProfile;
import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class HandshakeCarriesDataAndSrtpKeysInBothRoles {

    private static final Duration MAX = Duration.ofSeconds(20);

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void handshakeThenDataBothWaysByteExact(DtlsRole roleOfA) throws Exception {
        DtlsConfig cfg = DtlsConfig.defaults();
        Pump p = Pump.pair(cfg, roleOfA, Pump.CERT_1, cfg, Pump.CERT_2);
        assertThat(p.a.state()).isEqualTo(DtlsState.NEW);
        p.start();
        assertThat(p.runUntil(p::bothConnected, MAX)).as("both connected").isTrue();
        assertThat(p.a.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(p.b.state()).isEqualTo(DtlsState.CONNECTED);
        // Each flight is packed into one datagram: ClientHello, server flight 4, client flight 5, server flight 6.
        assertThat(p.wire).hasSize(4).allSatisfy(w -> assertThat(w.bytes().length).isLessThanOrEqualTo(1200));

        DtlsEvent.Connected ca = Pump.connected(p.eventsA);
        DtlsEvent.Connected cb = Pump.connected(p.eventsB);
        assertThat(ca.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(cb.cipherSuite()).isEqualTo(ca.cipherSuite());
        assertThat(ca.remoteCertificateDer()).isEqualTo(Pump.CERT_2.certificateDer());
        assertThat(cb.remoteCertificateDer()).isEqualTo(Pump.CERT_1.certificateDer());
        assertThat(ca.remoteFingerprint()).isEqualTo(Pump.CERT_2.fingerprint());
        assertThat(cb.remoteFingerprint()).isEqualTo(Pump.CERT_1.fingerprint());
        // SRTP: same keys both sides, AEAD_AES_128_GCM preferred, 16-byte keys and 12-byte salts.
        assertThat(ca.srtp()).isNotNull().isEqualTo(cb.srtp());
        assertThat(ca.srtp().profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(ca.srtp().clientWriteKey()).hasSize(16).isNotEqualTo(ca.srtp().serverWriteKey());
        assertThat(ca.srtp().clientWriteSalt()).hasSize(12);
        assertThat(ca.srtp().localKey(p.a.role())).isEqualTo(cb.srtp().remoteKey(p.b.role()));

        int max = p.a.maxApplicationPayload();
        assertThat(max).isEqualTo(DtlsConfig.DEFAULT_MTU);
        assertThat(p.b.maxApplicationPayload()).isEqualTo(max);
        Random rnd = new Random(42);
        List<byte[]> sentAB = new ArrayList<>();
        List<byte[]> sentBA = new ArrayList<>();
        for (int size : new int[] {1, 17, 500, max - 1, max, 0, max}) {
            byte[] x = new byte[size];
            rnd.nextBytes(x);
            sentAB.add(x);
            p.a.send(ByteBuffer.wrap(x));
            byte[] y = new byte[size];
            rnd.nextBytes(y);
            sentBA.add(y);
            ByteBuffer direct = ByteBuffer.allocateDirect(size).put(y).flip();
            p.b.send(direct);
            assertThat(direct.hasRemaining()).isFalse();
        }
        assertThat(p.runUntil(() -> Pump.data(p.eventsB).size() == sentAB.size()
                && Pump.data(p.eventsA).size() == sentBA.size(), MAX)).isTrue();
        assertThat(Pump.data(p.eventsB)).containsExactlyElementsOf(sentAB);
        assertThat(Pump.data(p.eventsA)).containsExactlyElementsOf(sentBA);
        assertThat(p.a.recordsSent()).isEqualTo(sentAB.size());
        assertThat(p.b.recordsReceived()).isEqualTo(sentAB.size());
        // Records of max payload stay within mtu + MAX_RECORD_EXPANSION on the wire.
        assertThat(p.wire).filteredOn(w -> w.contentType() == 23)
                .allSatisfy(w -> assertThat(w.bytes().length).isLessThanOrEqualTo(max + DtlsEndpoint.MAX_RECORD_EXPANSION));

        // Close: the peer sees close_notify, both end CLOSED, no further sends.
        p.a.close();
        assertThat(p.a.state()).isEqualTo(DtlsState.CLOSED);
        assertThat(p.runUntil(() -> p.eventsB.stream().anyMatch(e -> e instanceof DtlsEvent.Closed), MAX)).isTrue();
        assertThat(p.b.state()).isEqualTo(DtlsState.CLOSED);
        assertThatThrownBy(() -> p.a.send(ByteBuffer.wrap(new byte[1]))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.b.send(ByteBuffer.wrap(new byte[1]))).isInstanceOf(IllegalStateException.class);
        assertThat(p.eventsA).noneMatch(e -> e instanceof DtlsEvent.Failed);
        assertThat(p.eventsB).noneMatch(e -> e instanceof DtlsEvent.Failed);
    }

    @Test
    void misuseIsRefusedAtOnce() throws Exception {
        DtlsConfig cfg = DtlsConfig.defaults();
        Pump p = Pump.pair(cfg, DtlsRole.CLIENT, Pump.CERT_1, cfg, Pump.CERT_2);
        assertThatThrownBy(() -> p.a.send(ByteBuffer.allocate(10))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NEW");
        p.start();
        assertThatThrownBy(() -> p.a.start(System.nanoTime())).isInstanceOf(IllegalStateException.class);
        assertThat(p.runUntil(p::bothConnected, MAX)).isTrue();
        int max = p.a.maxApplicationPayload();
        assertThatThrownBy(() -> p.a.send(ByteBuffer.allocate(max + 1))).isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining(String.valueOf(max));
        assertThat(p.a.state()).isEqualTo(DtlsState.CONNECTED);
        assertThatThrownBy(() -> new DtlsEndpoint(cfg, DtlsRole.CLIENT, Pump.CERT_1, List.of(), () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        // Non-DTLS bytes (STUN, RTP first bytes) are counted and dropped, never thrown.
        long before = p.b.droppedDatagrams();
        p.b.handleInput(System.nanoTime(), ByteBuffer.wrap(new byte[] {0, 1, 2, 3}));
        p.b.handleInput(System.nanoTime(), ByteBuffer.wrap(new byte[] {(byte) 0x80, 1, 2}));
        p.b.handleInput(System.nanoTime(), ByteBuffer.allocate(0));
        assertThat(p.b.droppedDatagrams()).isEqualTo(before + 3);
        // DTLS-looking garbage is dropped by the record layer without failing the association.
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(1500)];
            rnd.nextBytes(junk);
            junk[0] = (byte) (20 + rnd.nextInt(44));
            if (junk.length > 2) {
                junk[1] = (byte) 0xFE;
                junk[2] = (byte) 0xFD;
            }
            p.b.handleInput(System.nanoTime(), ByteBuffer.wrap(junk));
        }
        assertThat(p.b.state()).isEqualTo(DtlsState.CONNECTED);
        p.a.send(ByteBuffer.wrap(new byte[] {9, 9, 9}));
        assertThat(p.runUntil(() -> !Pump.data(p.eventsB).isEmpty(), MAX)).isTrue();
        assertThat(Pump.data(p.eventsB).get(0)).containsExactly(9, 9, 9);
    }

    @Test
    void cmHmacProfileWhenThatIsAllTheClientOffers() throws Exception {
        DtlsConfig client = DtlsConfig.builder().srtpProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_80).build();
        DtlsConfig server = DtlsConfig.defaults();
        Pump p = Pump.pair(client, DtlsRole.CLIENT, Pump.CERT_1, server, Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, MAX)).isTrue();
        SrtpKeyingMaterial a = Pump.connected(p.eventsA).srtp();
        SrtpKeyingMaterial b = Pump.connected(p.eventsB).srtp();
        assertThat(a).isEqualTo(b);
        assertThat(a.profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(a.clientWriteKey()).hasSize(16);
        assertThat(a.serverWriteKey()).hasSize(16);
        assertThat(a.clientWriteSalt()).hasSize(14);
        assertThat(a.serverWriteSalt()).hasSize(14);
    }

    @Test
    void serverPicksItsMostPreferredCommonProfile() throws Exception {
        DtlsConfig client = DtlsConfig.builder().srtpProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                SrtpProfile.AEAD_AES_256_GCM, SrtpProfile.AEAD_AES_128_GCM).build();
        DtlsConfig server = DtlsConfig.builder().srtpProfiles(SrtpProfile.AEAD_AES_256_GCM,
                SrtpProfile.AES_CM_128_HMAC_SHA1_80).build();
        Pump p = Pump.pair(client, DtlsRole.CLIENT, Pump.CERT_1, server, Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, MAX)).isTrue();
        SrtpKeyingMaterial a = Pump.connected(p.eventsA).srtp();
        assertThat(a.profile()).isEqualTo(SrtpProfile.AEAD_AES_256_GCM);
        assertThat(a.clientWriteKey()).hasSize(32);
        assertThat(a.clientWriteSalt()).hasSize(12);
        assertThat(Pump.connected(p.eventsB).srtp()).isEqualTo(a);
    }

    @Test
    void noCommonProfileConnectsWithoutSrtp() throws Exception {
        DtlsConfig client = DtlsConfig.builder().srtpProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_32).build();
        DtlsConfig server = DtlsConfig.builder().srtpProfiles(SrtpProfile.AEAD_AES_128_GCM).build();
        Pump p = Pump.pair(client, DtlsRole.CLIENT, Pump.CERT_1, server, Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, MAX)).isTrue();
        assertThat(Pump.connected(p.eventsA).srtp()).isNull();
        assertThat(Pump.connected(p.eventsB).srtp()).isNull();
    }

    @Test
    void dataChannelOnlyOffersNoUseSrtp() throws Exception {
        DtlsConfig none = DtlsConfig.builder().srtpProfiles(List.of()).build();
        Pump p = Pump.pair(none, DtlsRole.SERVER, Pump.CERT_1, DtlsConfig.defaults(), Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, MAX)).isTrue();
        assertThat(Pump.connected(p.eventsA).srtp()).isNull();
        assertThat(Pump.connected(p.eventsB).srtp()).isNull();
    }

    @Test
    void smallMtuFragmentsTheHandshakeAndBoundsRecords() throws Exception {
        DtlsConfig cfg = DtlsConfig.builder().mtu(300).build();
        Pump p = Pump.pair(cfg, DtlsRole.CLIENT, Pump.CERT_1, cfg, Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, MAX)).isTrue();
        assertThat(p.wire).filteredOn(w -> w.contentType() == 22)
                .allSatisfy(w -> assertThat(w.bytes().length).isLessThanOrEqualTo(300));
        assertThat(p.a.maxApplicationPayload()).isEqualTo(300);
        p.a.send(ByteBuffer.wrap(new byte[300]));
        assertThat(p.runUntil(() -> Pump.data(p.eventsB).size() == 1, MAX)).isTrue();
        assertThat(Pump.data(p.eventsB).get(0)).hasSize(300);
    }
}
