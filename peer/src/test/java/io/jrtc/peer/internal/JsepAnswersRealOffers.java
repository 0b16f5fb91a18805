package io.jrtc.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.sdp.Candidate;
import io.jrtc.sdp.FingerprintAttribute;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.Origin;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.sdp.Setup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSEP answers to offers captured from Chromium 156 and werift 0.25.2, and our own offers read back. */
class JsepAnswersRealOffers {

    private static final FingerprintAttribute FP = new FingerprintAttribute("sha-256",
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");

    private static SessionDescription capture(String name) throws Exception {
        Path p = HarnessServer.repoRoot().resolve("sdp/src/test/resources/captures").resolve(name);
        return SessionDescription.parse(Files.readString(p));
    }

    private static Jsep.LocalTransport local(Setup setup, List<Candidate> candidates, boolean end) {
        return new Jsep.LocalTransport("abcd1234", "0123456789abcdefghijklmn", List.of(FP), setup, candidates, end);
    }

    @Test
    void answerToChromiumAudioVideoDataOfferAcceptsOnlyDataAndBundlesIt() throws Exception {
        SessionDescription offer = capture("chromium156-offer-audio-video-datachannel.sdp");
        Jsep.RemoteData data = Jsep.remoteData(offer);
        assertThat(data).isNotNull();
        assertThat(data.maxMessageSize()).isEqualTo(262144);
        SessionDescription answer = Jsep.answer(Origin.jsep("42", 1), local(Setup.ACTIVE, List.of(), false), offer,
                (i, m) -> m.isDataChannel() && i == data.mLineIndex()
                        ? MediaDescription.dataChannel(m.mid().orElseThrow(), 5000, 262144) : null);
        String text = answer.serialize();
        SessionDescription back = SessionDescription.parse(text);
        assertThat(back.media()).hasSameSizeAs(offer.media());
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = back.media().get(i);
            assertThat(m.kind()).isEqualTo(offer.media().get(i).kind());
            assertThat(m.mid()).isEqualTo(offer.media().get(i).mid());
            assertThat(m.isRejected()).isEqualTo(i != data.mLineIndex());
        }
        MediaDescription accepted = back.media().get(data.mLineIndex());
        assertThat(back.bundleGroups()).hasSize(1);
        assertThat(back.bundleGroups().get(0).mids()).containsExactly(accepted.mid().orElseThrow());
        assertThat(accepted.setup()).contains(Setup.ACTIVE);
        assertThat(accepted.iceUfrag()).contains("abcd1234");
        assertThat(accepted.fingerprints()).containsExactly(FP);
        assertThat(accepted.sctpPort()).hasValue(5000);
        assertThat(accepted.iceOptions()).contains("trickle");
    }

    @Test
    void remoteTransportOfChromiumAndWeriftOffersIsComplete() throws Exception {
        for (String name : List.of("chromium156-offer-datachannel.sdp", "chromium156-offer-datachannel-mdns.sdp",
                "werift0.25.2-offer-datachannel-tcp.sdp", "chromium156-offer-audio-video-datachannel.sdp")) {
            SessionDescription offer = capture(name);
            Jsep.RemoteTransport rt = Jsep.remoteTransport(offer);
            assertThat(rt.ufrag()).as(name).isNotBlank();
            assertThat(rt.pwd()).as(name).hasSizeGreaterThanOrEqualTo(22);
            assertThat(rt.fingerprints()).as(name).isNotEmpty();
            assertThat(rt.setup()).as(name).isEqualTo(Setup.ACTPASS);
            assertThat(rt.tagIndex()).as(name).isZero();
            assertThat(rt.candidates()).as(name).allMatch(c -> c.component() == 1);
        }
        assertThat(Jsep.remoteTransport(capture("chromium156-offer-datachannel-mdns.sdp")).candidates())
                .anyMatch(Candidate::isMdns);
    }

    @Test
    void ourOfferCarriesTransportOnceAndCandidatesOnTheTaggedSection() throws Exception {
        Candidate host = Candidate.host("1", 1, "udp", 2122260223L, "10.0.0.1", 5555);
        SessionDescription offer = Jsep.offer(Origin.jsep("7", 2), local(Setup.ACTPASS, List.of(host), true),
                List.of(MediaDescription.dataChannel("0", 5000, 262144)));
        SessionDescription back = SessionDescription.parse(offer.serialize());
        MediaDescription m = back.media().get(0);
        assertThat(m.candidates()).containsExactly(host);
        assertThat(m.endOfCandidates()).isTrue();
        assertThat(m.setup()).contains(Setup.ACTPASS);
        assertThat(back.bundleGroups().get(0).mids()).containsExactly("0");
        Jsep.RemoteTransport rt = Jsep.remoteTransport(back);
        assertThat(rt.ufrag()).isEqualTo("abcd1234");
        assertThat(rt.endOfCandidates()).isTrue();
        assertThat(rt.candidates()).containsExactly(host);
    }

    @Test
    void descriptionsWithoutCredentialsOrFingerprintsAreRefused() throws Exception {
        SessionDescription offer = capture("chromium156-offer-datachannel.sdp");
        MediaDescription m = offer.media().get(0);
        SessionDescription noPwd = offer.withMedia(0, m.toBuilder().removeAttributes("ice-pwd").build());
        assertThatThrownBy(() -> Jsep.remoteTransport(noPwd)).isInstanceOf(Jsep.InvalidDescriptionException.class)
                .hasMessageContaining("ice-pwd");
        SessionDescription noFp = offer.withMedia(0, m.toBuilder().removeAttributes("fingerprint").build())
                .withAttributes(offer.attributes().stream().filter(a -> !a.name().equals("fingerprint")).toList());
        assertThatThrownBy(() -> Jsep.remoteTransport(noFp)).isInstanceOf(Jsep.InvalidDescriptionException.class)
                .hasMessageContaining("fingerprint");
    }
}
