package io.jrtc.dtls;

import io.jrtc.common.SrtpProfile;
import io.jrtc.common.DtlsRole;
import static io.jrtc.dtls.OpenSslInteropOverLoopbackUdp.assumeOpenSsl;
import static io.jrtc.dtls.OpenSslInteropOverLoopbackUdp.freeUdpPort;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.dtls.OpenSslInteropOverLoopbackUdp.OpenSsl;
import io.jrtc.dtls.OpenSslInteropOverLoopbackUdp.Udp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RSA certificates against an independent DTLS stack: OpenSSL's {@code s_server -dtls1_2} and
 * {@code s_client -dtls1_2} on 127.0.0.1 UDP with a 2048-bit RSA key and certificate generated here, in both roles,
 * with our certificate ECDSA (the default) or RSA. Each run checks the suite by name on both sides, the RFC 5705
 * SRTP keys against OpenSSL's exporter, application bytes both ways, extended_master_secret (we require it), and
 * that a wrong fingerprint fails. Skipped when no {@code openssl} is on the PATH (failed under
 * {@code JRTC_REQUIRE_INTEROP=1}).
 */
class OpenSslPeersWithRsaCertificates {

    private static final Pattern KEYING = Pattern.compile("Keying material: ([0-9A-F]+)");
    private static final String PROFILES = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
    private static final Duration MAX = Duration.ofSeconds(15);
    /** Extended master secret required: a handshake that connects has negotiated it (RFC 7627). */
    private static final DtlsConfig EMS = DtlsConfig.builder().requireExtendedMasterSecret(true).build();

    @TempDir
    static Path dir;
    static Path opensslRsaPem;
    static DtlsCertificate opensslRsa;
    static Path opensslEcdsaPem;
    static DtlsCertificate opensslEcdsa;

    private OpenSsl openssl;

    @BeforeAll
    static void setUp() throws IOException {
        opensslRsa = DtlsCertificate.generateRsa("openssl-rsa-peer");
        opensslRsaPem = dir.resolve("openssl-rsa-peer.pem");
        opensslRsa.save(opensslRsaPem);
        opensslEcdsa = DtlsCertificate.generate("openssl-ecdsa-peer");
        opensslEcdsaPem = dir.resolve("openssl-ecdsa-peer.pem");
        opensslEcdsa.save(opensslEcdsaPem);
    }

    @AfterEach
    void stop() {
        if (openssl != null) {
            openssl.close();
        }
    }

    @Test
    void ourEcdsaClientConnectsToAnOpenSslServerWithAnRsaCertificate() throws Exception {
        assumeOpenSsl();
        DtlsEvent.Connected c = weAreClient(Pump.CERT_1);
        assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(openssl.output()).contains("CIPHER is ECDHE-RSA-AES128-GCM-SHA256");
        // OpenSSL verified our ECDSA CertificateVerify against our certificate.
        assertThat(openssl.output()).contains("subject=CN = jrtc-test-1").contains("Peer signature type: ECDSA");
    }

    @Test
    void ourRsaClientConnectsToAnOpenSslServerWithAnRsaCertificate() throws Exception {
        assumeOpenSsl();
        DtlsEvent.Connected c = weAreClient(Pump.RSA_1);
        assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(openssl.output()).contains("CIPHER is ECDHE-RSA-AES128-GCM-SHA256");
        // Our RSA CertificateVerify: RSA-PSS with SHA-256, what we prefer when the peer lists it.
        assertThat(openssl.output()).contains("subject=CN = jrtc-rsa-1").contains("Peer signature type: RSA-PSS")
                .contains("Peer signing digest: SHA256");
    }

    @Test
    void openSslRsaClientConnectsToOurServerWithAnEcdsaCertificate() throws Exception {
        assumeOpenSsl();
        DtlsEvent.Connected c = weAreServer(Pump.CERT_1, opensslRsa, opensslRsaPem);
        assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(openssl.output()).contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256")
                .contains("Peer signature type: ECDSA");
        // Our certificate request allowed the RSA client certificate OpenSSL sent (and we authenticated it).
        assertThat(openssl.output()).containsPattern("Client Certificate Types: .*RSA sign")
                .containsPattern("Client Certificate Types: .*ECDSA sign");
    }

    @Test
    void openSslRsaClientConnectsToOurServerWithAnRsaCertificate() throws Exception {
        assumeOpenSsl();
        DtlsEvent.Connected c = weAreServer(Pump.RSA_1, opensslRsa, opensslRsaPem);
        assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(openssl.output()).contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256")
                .contains("Peer signature type: RSA-PSS").contains("Server public key is 2048 bit");
    }

    @Test
    void openSslEcdsaClientConnectsToOurServerWithAnRsaCertificate() throws Exception {
        assumeOpenSsl();
        DtlsEvent.Connected c = weAreServer(Pump.RSA_1, opensslEcdsa, opensslEcdsaPem);
        assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(openssl.output()).contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256");
    }

    @Test
    void openSslClientOfferingOnlyPkcs1SignaturesGetsAPkcs1SignedKeyExchange() throws Exception {
        assumeOpenSsl();
        DtlsEvent.Connected c = weAreServer(Pump.RSA_1, opensslRsa, opensslRsaPem,
                "-sigalgs", "RSA+SHA256:RSA+SHA384");
        assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(openssl.output()).contains("Peer signature type: RSA\n").contains("Peer signing digest: SHA256");
    }

    @Test
    void anRsaServerWithAnUnexpectedFingerprintIsRejected() throws Exception {
        assumeOpenSsl();
        int port = freeUdpPort();
        openssl = OpenSsl.start(Map.of(), "openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", opensslRsaPem.toString(), "-key", opensslRsaPem.toString(), "-verify", "1", "-naccept", "1");
        assertThat(openssl.await(s -> s.contains("ACCEPT"), MAX)).isTrue();
        try (Udp udp = new Udp(new InetSocketAddress("127.0.0.1", port))) {
            rejectsOpenSslsRsaCertificate(udp, DtlsRole.CLIENT, Pump.CERT_1);
        }
    }

    @Test
    void anRsaClientWithAnUnexpectedFingerprintIsRejected() throws Exception {
        assumeOpenSsl();
        try (Udp udp = new Udp(null)) {
            openssl = OpenSsl.start(Map.of(), "openssl", "s_client", "-dtls1_2",
                    "-connect", "127.0.0.1:" + udp.localPort(),
                    "-cert", opensslRsaPem.toString(), "-key", opensslRsaPem.toString());
            rejectsOpenSslsRsaCertificate(udp, DtlsRole.SERVER, Pump.RSA_1);
        }
    }

    /**
     * Runs our endpoint in {@code role} with {@code ours}, expecting a fingerprint other than OpenSSL's RSA
     * certificate: the handshake fails with AUTHENTICATION naming OpenSSL's fingerprint, no data is delivered, and
     * OpenSSL reads our bad_certificate alert.
     */
    private void rejectsOpenSslsRsaCertificate(Udp udp, DtlsRole role, DtlsCertificate ours) throws Exception {
        List<DtlsEvent> events = new ArrayList<>();
        DtlsEndpoint ep = new DtlsEndpoint(DtlsConfig.defaults(), role, ours, List.of(Pump.RSA_2.fingerprint()), udp::requestDrain);
        ep.start(System.nanoTime());
        // Pump on after the failure event: the alert that tells OpenSSL may be queued just after it.
        assertThat(udp.run(ep, events, () -> Pump.failed(events) != null
                && openssl.output().toLowerCase(Locale.ROOT).contains("bad certificate"), MAX)).isTrue();
        assertThat(Pump.connected(events)).isNull();
        assertThat(Pump.data(events)).isEmpty();
        assertThat(Pump.failed(events).kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(Pump.failed(events).reason()).contains(opensslRsa.fingerprint().toSdpValue());
        assertThat(openssl.await(s -> s.toLowerCase(Locale.ROOT).contains("bad certificate"), MAX)).isTrue();
    }

    /** We are the DTLS client with {@code ours}; OpenSSL serves with its RSA certificate. */
    private DtlsEvent.Connected weAreClient(DtlsCertificate ours) throws Exception {
        int port = freeUdpPort();
        openssl = OpenSsl.start(Map.of(), "openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", opensslRsaPem.toString(), "-key", opensslRsaPem.toString(), "-verify", "1", "-naccept", "1",
                "-use_srtp", PROFILES, "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56");
        assertThat(openssl.await(s -> s.contains("ACCEPT"), MAX)).as("s_server ready").isTrue();
        try (Udp udp = new Udp(new InetSocketAddress("127.0.0.1", port))) {
            return exchange(udp, DtlsRole.CLIENT, ours, opensslRsa);
        }
    }

    /** We are the DTLS server with {@code ours}; OpenSSL connects with {@code theirs}. */
    private DtlsEvent.Connected weAreServer(DtlsCertificate ours, DtlsCertificate theirs, Path theirsPem,
                                            String... extra) throws Exception {
        try (Udp udp = new Udp(null)) {
            List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-dtls1_2",
                    "-connect", "127.0.0.1:" + udp.localPort(), "-cert", theirsPem.toString(),
                    "-key", theirsPem.toString(), "-use_srtp", PROFILES,
                    "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56"));
            cmd.addAll(List.of(extra));
            openssl = OpenSsl.start(Map.of(), cmd.toArray(String[]::new));
            DtlsEvent.Connected c = exchange(udp, DtlsRole.SERVER, ours, theirs);
            assertThat(openssl.output()).contains("Extended master secret: yes");
            return c;
        }
    }

    private DtlsEvent.Connected exchange(Udp udp, DtlsRole role, DtlsCertificate ours, DtlsCertificate theirs)
            throws Exception {
        List<DtlsEvent> events = new ArrayList<>();
        DtlsEndpoint ep = new DtlsEndpoint(EMS, role, ours, List.of(theirs.fingerprint()), udp::requestDrain);
        ep.start(System.nanoTime());
        assertThat(udp.run(ep, events, () -> Pump.connected(events) != null || Pump.failed(events) != null, MAX))
                .as("handshake with openssl finished").isTrue();
        assertThat(Pump.failed(events)).as("no failure; openssl said:%n%s", openssl.output()).isNull();
        DtlsEvent.Connected c = Pump.connected(events);
        // Authenticated by fingerprint: the certificate OpenSSL presented is the one we expected.
        assertThat(c.remoteCertificateDer()).isEqualTo(theirs.certificateDer());
        assertThat(c.remoteFingerprint()).isEqualTo(theirs.fingerprint());
        // use_srtp and the exporter: the same 56 bytes on both sides.
        assertThat(c.srtp()).isNotNull();
        assertThat(c.srtp().profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(openssl.await(s -> KEYING.matcher(s).find(), MAX)).as("openssl output:%n%s", openssl.output())
                .isTrue();
        assertThat(openssl.output()).contains("SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM");
        Matcher m = KEYING.matcher(openssl.output());
        assertThat(m.find()).isTrue();
        ByteBuffer ours56 = ByteBuffer.allocate(56).put(c.srtp().clientWriteKey()).put(c.srtp().serverWriteKey())
                .put(c.srtp().clientWriteSalt()).put(c.srtp().serverWriteSalt());
        assertThat(ours56.array()).isEqualTo(HexFormat.of().parseHex(m.group(1)));
        // Application bytes both ways.
        ep.send(ByteBuffer.wrap("rsa hello from jrtc\n".getBytes(StandardCharsets.US_ASCII)));
        udp.run(ep, events, () -> false, Duration.ofMillis(50));
        assertThat(openssl.await(s -> s.contains("rsa hello from jrtc"), MAX)).isTrue();
        openssl.write("rsa hello from openssl\n");
        assertThat(udp.run(ep, events, () -> !Pump.data(events).isEmpty(), MAX)).isTrue();
        assertThat(new String(Pump.data(events).get(0), StandardCharsets.US_ASCII)).isEqualTo("rsa hello from openssl\n");
        ep.close();
        udp.run(ep, events, () -> false, Duration.ofMillis(20));
        assertThat(ep.state()).isEqualTo(DtlsState.CLOSED);
        return c;
    }
}
