package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.dtls.DtlsCertificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PeerConnections whose DTLS identity is RSA ({@code RtcConfiguration.Builder.certificate(DtlsCertificate.generateRsa())}),
 * against ECDSA and RSA ones, over real UDP on loopback. The answerer answers {@code actpass} with {@code active},
 * so it is the DTLS client: an RSA offerer is an RSA DTLS server (ECDHE_RSA), an RSA answerer an RSA client of an
 * ECDSA server. Each pair announces its own certificate's fingerprint, connects and echoes a message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RsaCertificatePeersConnect {

    private PeerConnectionFactory factory;
    private DtlsCertificate rsaA;
    private DtlsCertificate rsaB;
    private DtlsCertificate ecdsa;

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(2);
        rsaA = DtlsCertificate.generateRsa("rsa-a");
        rsaB = DtlsCertificate.generateRsa("rsa-b");
        ecdsa = DtlsCertificate.generate("ecdsa");
    }

    @AfterAll
    void stop() {
        factory.close();
    }

    Stream<Arguments> pairs() {
        return Stream.of(Arguments.of("RSA offerer (DTLS server), ECDSA answerer", true, false),
                Arguments.of("ECDSA offerer (DTLS server), RSA answerer", false, true),
                Arguments.of("RSA both", true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void connectsAndEchoes(String name, boolean offererRsa, boolean answererRsa) throws Exception {
        DtlsCertificate offererCert = offererRsa ? rsaA : ecdsa;
        DtlsCertificate answererCert = answererRsa ? rsaB : ecdsa;
        try (LoopbackPair p = new LoopbackPair(factory, b -> b.certificate(offererCert), b -> b.certificate(answererCert))) {
            p.answererEchoes();
            DataChannel ch = p.offerer.createDataChannel("rsa");
            List<String> got = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> echoed = new CompletableFuture<>();
            p.offerer.execute(() -> ch.onMessage(m -> {
                got.add(m.text());
                echoed.complete(null);
            }));
            RtcSessionDescription offer = p.offerer.createOffer().get(5, TimeUnit.SECONDS);
            assertThat(offer.sdp()).contains("a=fingerprint:" + offererCert.fingerprint().toSdpValue());
            p.offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
            p.answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
            RtcSessionDescription answer = p.answerer.createAnswer().get(5, TimeUnit.SECONDS);
            assertThat(answer.sdp()).contains("a=fingerprint:" + answererCert.fingerprint().toSdpValue())
                    .contains("a=setup:active");
            p.answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
            p.offerer.setRemoteDescription(answer).get(5, TimeUnit.SECONDS);
            ChannelTraffic.opened(p.offerer, ch).get(15, TimeUnit.SECONDS);
            p.offerer.execute(() -> ch.send("over " + name));
            echoed.get(10, TimeUnit.SECONDS);
            assertThat(got).containsExactly("over " + name);
            p.assertConnected();
            RtcStatsReport r = p.offerer.getStats().get(5, TimeUnit.SECONDS);
            assertThat(r.first(RtcStats.Transport.class).orElseThrow().dtlsState()).isEqualTo("connected");
        }
    }
}
