package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceRole;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.SctpMap;
import io.jrtc.sdp.SctpSdpForm;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.sdp.Setup;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every description in {@code src/test/resources/sdp-corpus} (real captures of Chromium, werift and others, plus
 * hand-written dialects; named {@code <stack>-<offer|answer>-<variant>.sdp}) meets a real {@link PeerConnection}:
 * each offer is answered with a valid answer in the offerer's own dialect (SCTP form and proto, port, setup role,
 * mids, BUNDLE), and each answer is accepted as the remote answer to a jrtc offer laid out like the offer it
 * answered. Files added to the folder are picked up without touching this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryCorpusDescriptionIsAnsweredOrAccepted {

    private static final long OUR_MAX_MESSAGE_SIZE = 262144;
    private PeerConnectionFactory factory;

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(1);
    }

    @AfterAll
    void stop() {
        factory.close();
    }

    static Path corpus() {
        URL url = EveryCorpusDescriptionIsAnsweredOrAccepted.class.getResource("/sdp-corpus");
        assertThat(url).as("the sdp-corpus folder is on the test class path").isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> files(String kind) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(corpus())) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sdp") && n.contains("-" + kind + "-"))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    static List<String> offers() throws IOException {
        return files("offer");
    }

    static List<String> answers() throws IOException {
        return files("answer");
    }

    static String read(String file) throws IOException {
        return new String(Files.readAllBytes(corpus().resolve(file)), StandardCharsets.UTF_8);
    }

    @Test
    void theCorpusHoldsEveryDialectTheIssueNames() throws IOException {
        List<String> all = new ArrayList<>(offers());
        all.addAll(answers());
        assertThat(all).contains("handwritten-offer-sctpmap-chromium-like.sdp", "handwritten-offer-icelite-nontrickle.sdp",
                "handwritten-offer-setup-active.sdp", "handwritten-offer-setup-passive.sdp",
                "handwritten-offer-tcp-dtls-sctp-no-max-message-size.sdp", "handwritten-offer-ipv6-fqdn-mdns-candidates.sdp",
                "handwritten-offer-multiple-fingerprints-mixed-case.sdp", "handwritten-answer-sctpmap.sdp",
                "chromium156-offer-datachannel.sdp", "werift0.25.2-answer-datachannel.sdp");
        long lf = 0;
        long crlf = 0;
        for (String f : all) {
            if (read(f).contains("\r\n")) {
                crlf++;
            } else {
                lf++;
            }
        }
        assertThat(lf).as("bare-LF descriptions").isGreaterThanOrEqualTo(2);
        assertThat(crlf).as("CRLF descriptions").isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("offers")
    void offerIsAnsweredInItsOwnDialect(String file) throws Exception {
        String text = read(file);
        SessionDescription offer = SessionDescription.parse(text);
        PeerConnection pc = factory.createPeerConnection(LoopbackPair.base().build());
        try {
            pc.setRemoteDescription(RtcSessionDescription.offer(text)).get(5, TimeUnit.SECONDS);
            RtcSessionDescription created = pc.createAnswer().get(5, TimeUnit.SECONDS);
            pc.setLocalDescription(created).get(5, TimeUnit.SECONDS);
            assertThat(pc.signalingState()).isEqualTo(RtcSignalingState.STABLE);
            SessionDescription answer = SessionDescription.parse(created.sdp());
            assertThat(answer.serialize()).isEqualTo(created.sdp());

            assertThat(answer.media()).as("one answer section per offered section").hasSameSizeAs(offer.media());
            MediaDescription tagged = null;
            for (int i = 0; i < offer.media().size(); i++) {
                MediaDescription o = offer.media().get(i);
                MediaDescription a = answer.media().get(i);
                assertThat(a.kind()).as("section %d kind", i).isEqualTo(o.kind());
                assertThat(a.mid()).as("section %d mid", i).isEqualTo(o.mid());
                if (o.isDataChannel()) {
                    assertDataAnswer(o, a, offer.bundleGroups().isEmpty());
                }
                if (!a.isRejected() && tagged == null) {
                    tagged = a;
                }
            }
            assertThat(tagged).as("something is accepted").isNotNull();
            Setup offered = offer.setupFor(offer.media().stream().filter(m -> !m.isRejected()).findFirst().orElseThrow())
                    .orElse(Setup.ACTPASS);
            Setup expected = offered == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE;
            assertThat(answer.setupFor(tagged)).as("our setup answering %s", offered).contains(expected);
            assertThat(answer.iceUfragFor(tagged)).isPresent();
            assertThat(answer.icePwdFor(tagged)).isPresent();
            assertThat(answer.fingerprintsFor(tagged)).extracting(f -> f.normalizedHashFunction()).containsExactly("sha-256");
            assertThat(offer.bundleGroups().isEmpty()).as("we bundle exactly when the offer does")
                    .isEqualTo(answer.bundleGroups().isEmpty());

            boolean trickle = offer.iceOptionsFor(offer.media().get(0)).contains("trickle");
            assertThat(pc.canTrickleIceCandidates()).isEqualTo(trickle);
            assertThat(pc.iceRole()).as("an ice-lite offerer makes us controlling (RFC 8445 6.1.1)")
                    .isEqualTo(offer.iceLite() ? IceRole.CONTROLLING : IceRole.CONTROLLED);
        } finally {
            pc.close();
        }
    }

    private static void assertDataAnswer(MediaDescription o, MediaDescription a, boolean offerUnbundled) {
        assertThat(a.isRejected()).as("the data section is accepted").isFalse();
        assertThat(a.proto()).as("the offer's proto, RFC 9429 5.3.1").isEqualTo(o.proto());
        assertThat(a.sctpForm()).as("the offerer's SCTP form").isEqualTo(o.sctpForm());
        if (o.sctpForm().orElseThrow() == SctpSdpForm.SCTPMAP) {
            assertThat(a.formats()).containsExactly("5000");
            assertThat(a.sctpMap()).contains(new SctpMap(5000, "webrtc-datachannel", 65535));
            assertThat(a.sctpPort()).as("no a=sctp-port in the draft form").isEmpty();
            assertThat(a.maxMessageSize().isPresent()).as("max-message-size only when the offer had one")
                    .isEqualTo(o.maxMessageSize().isPresent());
        } else {
            assertThat(a.formats()).containsExactly("webrtc-datachannel");
            assertThat(a.sctpPort()).hasValue(5000);
            assertThat(a.hasAttribute("sctpmap")).isFalse();
            assertThat(a.maxMessageSize()).hasValue(OUR_MAX_MESSAGE_SIZE);
        }
        assertThat(a.sctpPortOrDefault()).isEqualTo(5000);
    }

    /**
     * Builds a jrtc offer laid out like the one {@code answer} answered: per m-section, in order, a transceiver of its
     * kind or the data channel, each pinned to the next mid by an intermediate createOffer.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answerIsAcceptedForAJrtcOffer(String file) throws Exception {
        String text = read(file);
        SessionDescription answer = SessionDescription.parse(text);
        PeerConnection pc = factory.createPeerConnection(LoopbackPair.base().build());
        try {
            for (MediaDescription m : answer.media()) {
                if (m.isDataChannel()) {
                    pc.createDataChannel("corpus");
                } else {
                    MediaKind kind = MediaKind.fromSdp(m.kind());
                    assertThat(kind).as("%s: a kind jrtc offers", m.kind()).isNotNull();
                    pc.addTransceiver(kind);
                }
                pc.createOffer().get(5, TimeUnit.SECONDS);
            }
            RtcSessionDescription offer = pc.createOffer().get(5, TimeUnit.SECONDS);
            pc.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
            SessionDescription ours = SessionDescription.parse(offer.sdp());
            assertThat(ours.media()).hasSameSizeAs(answer.media());
            for (int i = 0; i < ours.media().size(); i++) {
                assertThat(ours.media().get(i).kind()).isEqualTo(answer.media().get(i).kind());
                assertThat(ours.media().get(i).mid()).as("our offer's mid %d", i).isEqualTo(answer.media().get(i).mid());
            }

            pc.setRemoteDescription(RtcSessionDescription.answer(text)).get(5, TimeUnit.SECONDS);
            assertThat(pc.signalingState()).isEqualTo(RtcSignalingState.STABLE);
            assertThat(pc.remoteDescription().map(RtcSessionDescription::sdp))
                    .contains(answer.serialize());
            Optional<MediaDescription> data = answer.media().stream().filter(MediaDescription::isDataChannel).findFirst();
            assertThat(data).as("every corpus answer carries a data section").isPresent();
            assertThat(pc.iceRole()).isEqualTo(IceRole.CONTROLLING);
            boolean trickle = answer.iceOptionsFor(answer.media().get(0)).contains("trickle");
            assertThat(pc.canTrickleIceCandidates()).isEqualTo(trickle);
        } finally {
            pc.close();
        }
    }
}
