package io.jrtc.dtls;

import io.jrtc.common.SrtpProfile;
import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.dtls.DtlsCertificate.KeyType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two jrtc endpoints, each with an ECDSA or an RSA certificate, in either DTLS role: the client offers both suite
 * families and the server picks the one its own certificate signs for, whatever the client's certificate is. SRTP
 * keys, extended_master_secret (required here) and application data work in every combination, and a wrong
 * fingerprint of an RSA certificate fails as an ECDSA one does.
 */
class RsaAndEcdsaIdentitiesMixInBothRoles {

    private static final Duration MAX = Duration.ofSeconds(20);
    private static final DtlsConfig EMS = DtlsConfig.builder().requireExtendedMasterSecret(true).build();

    static Stream<Arguments> mixes() {
        return Stream.of(
                Arguments.of(KeyType.ECDSA_P256, KeyType.RSA, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                Arguments.of(KeyType.RSA, KeyType.ECDSA_P256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                Arguments.of(KeyType.RSA, KeyType.RSA, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                Arguments.of(KeyType.ECDSA_P256, KeyType.ECDSA_P256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
    }

    private static DtlsCertificate cert(KeyType type, int n) {
        return type == KeyType.RSA ? (n == 1 ? Pump.RSA_1 : Pump.RSA_2) : (n == 1 ? Pump.CERT_1 : Pump.CERT_2);
    }

    @ParameterizedTest(name = "client {0}, server {1} -> {2}")
    @MethodSource("mixes")
    void serverCertificateDecidesTheSuiteAndEverythingElseWorks(KeyType client, KeyType server, String suite)
            throws Exception {
        DtlsCertificate clientCert = cert(client, 1);
        DtlsCertificate serverCert = cert(server, 2);
        Pump p = Pump.pair(EMS, DtlsRole.CLIENT, clientCert, EMS, serverCert);
        p.start();
        assertThat(p.runUntil(() -> p.bothConnected() || Pump.failed(p.eventsA) != null
                || Pump.failed(p.eventsB) != null, MAX)).isTrue();
        assertThat(Pump.failed(p.eventsA)).isNull();
        assertThat(Pump.failed(p.eventsB)).isNull();
        DtlsEvent.Connected ca = Pump.connected(p.eventsA);
        DtlsEvent.Connected cb = Pump.connected(p.eventsB);
        assertThat(ca.cipherSuite()).isEqualTo(suite);
        assertThat(cb.cipherSuite()).isEqualTo(suite);
        assertThat(ca.remoteCertificateDer()).isEqualTo(serverCert.certificateDer());
        assertThat(cb.remoteCertificateDer()).isEqualTo(clientCert.certificateDer());
        assertThat(ca.srtp()).isNotNull().isEqualTo(cb.srtp());
        assertThat(ca.srtp().profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);

        byte[] x = "client to server".getBytes();
        byte[] y = new byte[p.b.maxApplicationPayload()];
        y[0] = 7;
        y[y.length - 1] = 9;
        p.a.send(ByteBuffer.wrap(x));
        p.b.send(ByteBuffer.wrap(y));
        assertThat(p.runUntil(() -> Pump.data(p.eventsB).size() == 1 && Pump.data(p.eventsA).size() == 1, MAX))
                .isTrue();
        assertThat(Pump.data(p.eventsB).get(0)).isEqualTo(x);
        assertThat(Pump.data(p.eventsA).get(0)).isEqualTo(y);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void aWrongFingerprintFailsBothSides(KeyType type) throws Exception {
        // The client expects some other certificate than the server's.
        DtlsCertificate serverCert = cert(type, 1);
        Pump p = new Pump(w -> new DtlsEndpoint(EMS, DtlsRole.CLIENT, Pump.CERT_2, List.of(Pump.CERT_3.fingerprint()), w),
                w -> new DtlsEndpoint(EMS, DtlsRole.SERVER, serverCert, List.of(Pump.CERT_2.fingerprint()), w));
        p.start();
        assertThat(p.runUntil(() -> Pump.failed(p.eventsA) != null && Pump.failed(p.eventsB) != null, MAX)).isTrue();
        assertThat(Pump.failed(p.eventsA).kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(Pump.failed(p.eventsA).reason()).contains(serverCert.fingerprint().toSdpValue());
        assertThat(Pump.failed(p.eventsB).kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(p.eventsA).noneMatch(e -> e instanceof DtlsEvent.Connected);
        assertThat(p.eventsB).noneMatch(e -> e instanceof DtlsEvent.Connected);
    }

    static Stream<KeyType> keyTypes() {
        return Stream.of(KeyType.values());
    }

    @Test
    void clientHelloOffersBothSuiteFamiliesAndBothSignatureKinds() throws Exception {
        Pump p = Pump.pair(DtlsConfig.defaults(), DtlsRole.CLIENT, Pump.CERT_1, DtlsConfig.defaults(), Pump.RSA_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, MAX)).isTrue();
        ByteBuffer hello = ByteBuffer.wrap(p.wire.get(0).bytes());
        assertThat(p.wire.get(0).handshakeType()).isEqualTo(1); // client_hello
        hello.position(13 + 12 + 2 + 32); // record header, handshake header, client_version, random
        hello.position(hello.position() + 1 + (hello.get(hello.position()) & 0xFF)); // session_id
        hello.position(hello.position() + 1 + (hello.get(hello.position()) & 0xFF)); // cookie
        int suitesLength = hello.getShort() & 0xFFFF;
        List<Integer> suites = new ArrayList<>();
        for (int i = 0; i < suitesLength / 2; i++) {
            suites.add(hello.getShort() & 0xFFFF);
        }
        // RFC 8827 section 6.5's two mandatory suites first: ECDHE_ECDSA then ECDHE_RSA with AES_128_GCM_SHA256.
        assertThat(suites).startsWith(0xC02B, 0xC02F);
        assertThat(suites).contains(0xC02C, 0xC030, 0xCCA9, 0xCCA8); // AES_256_GCM and ChaCha20, both families
        hello.position(hello.position() + 1 + (hello.get(hello.position()) & 0xFF)); // compression_methods
        int extEnd = hello.position() + 2 + (hello.getShort() & 0xFFFF);
        List<Integer> sigAlgs = new ArrayList<>();
        while (hello.position() < extEnd) {
            int type = hello.getShort() & 0xFFFF;
            int len = hello.getShort() & 0xFFFF;
            if (type == 13) { // signature_algorithms
                int n = hello.getShort() & 0xFFFF;
                for (int i = 0; i < n / 2; i++) {
                    sigAlgs.add(hello.getShort() & 0xFFFF);
                }
            } else {
                hello.position(hello.position() + len);
            }
        }
        // ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256 and their SHA-384/512 variants; no SHA-1.
        assertThat(sigAlgs).containsExactly(0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601);
    }
}
