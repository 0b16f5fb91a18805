package io.jrtc.peer.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.peer.ChannelTraffic;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Headless Chromium with an RSA DTLS certificate ({@code RTCPeerConnection.generateCertificate} with
 * RSASSA-PKCS1-v1_5, 2048 bits), and jrtc with an RSA one against Chromium's default ECDSA, in a private network
 * namespace. The answerer answers {@code actpass} with {@code active} and so is the DTLS client; the DTLS server's
 * certificate decides the suite. Chromium's own {@code RTCTransportStats.dtlsCipher} names the suite, its certificate
 * stats carry jrtc's fingerprint, and 200 binary messages from Java come back byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChromiumWithRsaCertificatesInterop {

    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String RSA_SUITE = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    private static final String ECDSA_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

    private PeerConnectionFactory factory;
    private DtlsCertificate jrtcRsa;

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(2);
        jrtcRsa = DtlsCertificate.generateRsa("jrtc-rsa");
    }

    @AfterAll
    void stop() {
        if (factory != null) {
            factory.close();
        }
    }

    Stream<Arguments> cases() {
        return Stream.of(
                // Chromium (RSA) offers: it is the DTLS server, jrtc (ECDSA) the client.
                Arguments.of("Chromium RSA offers", true, false, true, RSA_SUITE),
                // jrtc (ECDSA) offers: Chromium (RSA) is the DTLS client, sending an RSA certificate to our ECDSA server.
                Arguments.of("jrtc ECDSA offers to Chromium RSA", false, false, true, ECDSA_SUITE),
                // jrtc (RSA) offers: jrtc is the RSA DTLS server.
                Arguments.of("jrtc RSA offers to Chromium ECDSA", false, true, false, RSA_SUITE),
                // Chromium (ECDSA) offers: jrtc (RSA) is the client of an ECDSA server.
                Arguments.of("Chromium ECDSA offers to jrtc RSA", true, true, false, ECDSA_SUITE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void connectsWithTheServersSuiteAndEchoes(String name, boolean chromiumOffers, boolean jrtcRsaCert,
                                              boolean chromiumRsaCert, String suite) throws Exception {
        Interop.requirePeer(RemotePeer.Kind.CHROMIUM);
        try (PrivateNetwork net = PrivateNetwork.create();
             HarnessServer harness = new HarnessServer(net.hostAddress());
             RemotePeer remote = RemotePeer.chromium(net, harness.baseUrl() + "/page.html", false, List.of())) {
            assertThat(harness.await(m -> "ready".equals(m.path("event").asText()), STEP)).as("remote ready").isNotNull();
            RtcConfiguration.Builder cfg = RtcConfiguration.builder().addBindAddress(net.hostAddress());
            DtlsCertificate ours = jrtcRsaCert ? jrtcRsa : factory.defaultCertificate();
            if (jrtcRsaCert) {
                cfg.certificate(jrtcRsa);
            }
            PeerConnection pc = factory.createPeerConnection(cfg.build());
            try {
                AtomicReference<String> remoteSdp = new AtomicReference<>();
                DataChannel ch = connect(harness, pc, chromiumOffers, chromiumRsaCert, ours, remoteSdp);
                assertThat(pc.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
                assertThat(remoteSdp.get()).contains("a=setup:" + (chromiumOffers ? "actpass" : "active"));
                echo(pc, ch, 200);

                JsonNode dtls = command(harness, "dtls");
                assertThat(dtls.path("dtlsState").asText()).isEqualTo("connected");
                assertThat(dtls.path("dtlsCipher").asText()).as("Chromium's dtlsCipher, %s", dtls).isEqualTo(suite);
                assertThat(dtls.path("dtlsRole").asText()).isEqualTo(chromiumOffers ? "server" : "client");
                JsonNode remoteCert = certificate(dtls, "remoteCertificateId");
                assertThat(remoteCert).as("Chromium's stats of our certificate, %s", dtls).isNotNull();
                assertThat(remoteCert.path("fingerprintAlgorithm").asText()).isEqualTo("sha-256");
                assertThat(remoteCert.path("fingerprint").asText())
                        .isEqualToIgnoringCase(ours.fingerprint().toSdpValue().substring("sha-256 ".length()));
                // Chromium's own certificate is of the key type this case asked for.
                JsonNode localCert = certificate(dtls, "localCertificateId");
                assertThat(localCert).as("Chromium's stats of its certificate, %s", dtls).isNotNull();
                X509Certificate chromiumCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(localCert.path("base64Certificate").asText())));
                assertThat(chromiumCert.getPublicKey().getAlgorithm()).isEqualTo(chromiumRsaCert ? "RSA" : "EC");
            } finally {
                harness.send(harness.message("quit"));
                pc.close();
            }
        }
    }

    /**
     * Connects {@code pc} with the harness's remote peer (the page's RTCPeerConnection, {@code {certificate: "rsa"}}
     * when {@code remoteRsa}), the remote offering or answering; {@code remoteSdp} receives the remote's description.
     * Returns jrtc's channel "rsa-echo" once it is open. Shared with {@link RsaCertificatesWithFirefoxAndWeriftInterop}.
     */
    static DataChannel connect(HarnessServer harness, PeerConnection pc, boolean remoteOffers, boolean remoteRsa,
                               DtlsCertificate ours, AtomicReference<String> remoteSdp) throws Exception {
        HarnessSignaling.attach(harness, pc, m -> {
            if (m.has("sdp")) {
                remoteSdp.set(m.path("sdp").asText());
            }
        });
        var config = harness.message("config").put("role", remoteOffers ? "offerer" : "answerer");
        if (remoteRsa) {
            config.put("certificate", "rsa");
        }
        DataChannel ch;
        if (remoteOffers) {
            CompletableFuture<DataChannel> first = new CompletableFuture<>();
            pc.onDataChannel(first::complete);
            harness.send(config);
            first.get(STEP.toSeconds(), TimeUnit.SECONDS);
            ch = pc.createDataChannel("rsa-echo");
        } else {
            harness.send(config);
            ch = pc.createDataChannel("rsa-echo");
            RtcSessionDescription offer = pc.createOffer().get(10, TimeUnit.SECONDS);
            assertThat(offer.sdp()).contains("a=fingerprint:" + ours.fingerprint().toSdpValue());
            pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            harness.send(harness.message("offer").put("sdp", offer.sdp()));
        }
        ChannelTraffic.opened(pc, ch).get(STEP.toSeconds(), TimeUnit.SECONDS);
        return ch;
    }

    private static JsonNode certificate(JsonNode dtls, String idField) {
        String id = dtls.path(idField).asText();
        for (JsonNode c : dtls.path("certificates")) {
            if (c.path("id").asText().equals(id)) {
                return c;
            }
        }
        return null;
    }

    private static final AtomicInteger IDS = new AtomicInteger();

    static JsonNode command(HarnessServer harness, String cmd) throws Exception {
        String id = "rsa" + IDS.incrementAndGet();
        harness.send(harness.message("command").put("cmd", cmd).put("id", id));
        JsonNode r = harness.awaitResult(id, STEP);
        assertThat(r).as("result of %s", cmd).isNotNull();
        assertThat(r.path("ok").asBoolean()).as("%s", r).isTrue();
        return r;
    }

    /** Java sends {@code count} binary messages; the remote echoes each; every echo equals what was sent, in order. */
    static void echo(PeerConnection pc, DataChannel ch, int count) throws Exception {
        ChannelTraffic.echoBinary(pc, ch, count, i -> 8 + (i * 997) % 16_000, STEP, i -> "echo #" + i);
    }
}
