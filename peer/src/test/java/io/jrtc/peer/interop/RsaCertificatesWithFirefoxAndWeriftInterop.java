package io.jrtc.peer.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcStats;
import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RSA DTLS certificates (RFC 8827 section 6.5: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) against Firefox ESR (NSS) and
 * werift (its own TypeScript DTLS), in a private network namespace, in both roles. The remote's RSA identity comes from
 * {@code RTCPeerConnection.generateCertificate({name: "RSASSA-PKCS1-v1_5"})} (werift: the same call through a small
 * adapter in {@code werift-peer.mjs} that hands werift the PEM). Neither Firefox nor werift reports the DTLS suite in
 * its stats, so the suite is read on jrtc's side ({@code RTCTransportStats.dtlsCipher}); that the remote really used
 * the certificate it generated is checked by comparing that certificate's own fingerprint (as the remote computes it)
 * with the fingerprint jrtc authenticated. The DTLS server's certificate decides the suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RsaCertificatesWithFirefoxAndWeriftInterop {

    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String RSA_SUITE = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    private static final String ECDSA_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final Pattern FINGERPRINT = Pattern.compile("a=fingerprint:sha-256 ([0-9A-Fa-f:]+)");

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
        List<Arguments> out = new ArrayList<>();
        for (RemotePeer.Kind kind : List.of(RemotePeer.Kind.FIREFOX, RemotePeer.Kind.WERIFT)) {
            out.add(Arguments.of(kind, "remote RSA offers", true, false, true));
            out.add(Arguments.of(kind, "jrtc ECDSA offers to remote RSA", false, false, true));
            out.add(Arguments.of(kind, "jrtc RSA offers to remote ECDSA", false, true, false));
            out.add(Arguments.of(kind, "remote ECDSA offers to jrtc RSA", true, true, false));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void connectsWithTheServersSuiteAndEchoes(RemotePeer.Kind kind, String name, boolean remoteOffers, boolean jrtcRsaCert,
                                              boolean remoteRsaCert) throws Exception {
        Interop.requirePeer(kind);
        try (PrivateNetwork net = PrivateNetwork.create();
             HarnessServer harness = new HarnessServer(net.hostAddress());
             RemotePeer remote = kind == RemotePeer.Kind.FIREFOX
                     ? RemotePeer.firefox(net, harness.baseUrl() + "/page.html", false)
                     : RemotePeer.werift(net, harness.baseUrl())) {
            assertThat(harness.await(m -> "ready".equals(m.path("event").asText()), STEP)).as("remote ready").isNotNull();
            RtcConfiguration.Builder cfg = RtcConfiguration.builder().addBindAddress(net.hostAddress());
            DtlsCertificate ours = jrtcRsaCert ? jrtcRsa : factory.defaultCertificate();
            if (jrtcRsaCert) {
                cfg.certificate(jrtcRsa);
            }
            PeerConnection pc = factory.createPeerConnection(cfg.build());
            try {
                AtomicReference<String> remoteSdp = new AtomicReference<>();
                DataChannel ch = ChromiumWithRsaCertificatesInterop.connect(harness, pc, remoteOffers, remoteRsaCert, ours,
                        remoteSdp);
                assertThat(pc.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
                ChromiumWithRsaCertificatesInterop.echo(pc, ch, 200);

                RtcStats.Transport t = pc.getStats().get(10, TimeUnit.SECONDS).first(RtcStats.Transport.class).orElseThrow();
                assertThat(t.dtlsState()).isEqualTo("connected");
                boolean jrtcIsServer = "server".equals(t.dtlsRole());
                assertThat(jrtcIsServer).as("the offerer is the DTLS server (the answer says active)").isEqualTo(!remoteOffers);
                boolean serverRsa = jrtcIsServer ? jrtcRsaCert : remoteRsaCert;
                assertThat(t.dtlsCipher()).as("suite chosen by the %s's certificate", jrtcIsServer ? "jrtc" : kind)
                        .isEqualTo(serverRsa ? RSA_SUITE : ECDSA_SUITE);
                // jrtc authenticated exactly the certificate the remote's description names
                Matcher m = FINGERPRINT.matcher(remoteSdp.get());
                assertThat(m.find()).as("remote sha-256 fingerprint in %s", remoteSdp.get()).isTrue();
                String remoteFp = m.group(1).toUpperCase(Locale.ROOT);
                assertThat(t.remoteCertificateFingerprint()).isEqualToIgnoringCase("sha-256 " + remoteFp);
                if (remoteRsaCert) {
                    // ... and that certificate is the RSA one the remote generated
                    JsonNode dtls = command(harness, "dtls");
                    List<String> generated = new ArrayList<>();
                    for (JsonNode f : dtls.path("generatedFingerprints")) {
                        if ("sha-256".equalsIgnoreCase(f.path("algorithm").asText())) {
                            generated.add(f.path("value").asText().toUpperCase(Locale.ROOT));
                        }
                    }
                    assertThat(generated).as("fingerprints of the generated RSA certificate, %s", dtls).containsExactly(remoteFp);
                }
            } finally {
                harness.send(harness.message("quit"));
                pc.close();
            }
        }
    }

    private static JsonNode command(HarnessServer harness, String cmd) throws Exception {
        return ChromiumWithRsaCertificatesInterop.command(harness, cmd);
    }
}
