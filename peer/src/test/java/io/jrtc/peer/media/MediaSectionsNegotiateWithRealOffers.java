package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.internal.Jsep;
import io.jrtc.peer.internal.media.MediaSdp;
import io.jrtc.peer.internal.media.Negotiated;
import io.jrtc.peer.internal.media.Transceiver;
import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.sdp.Direction;
import io.jrtc.sdp.ExtMap;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.Origin;
import io.jrtc.sdp.RtcpFb;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.sdp.SsrcGroup;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The audio/video m-sections we write, checked against captured Chromium 156 and werift 0.25.2 offers and against
 * our own offers read back: which codecs are accepted (by name, with the offer's payload types), which rtcp-fb and
 * extmap survive, directions, msid/ssrc signalling, and what a completed offer/answer negotiates.
 */
class MediaSectionsNegotiateWithRealOffers {

    static SessionDescription capture(String name) throws Exception {
        return SessionDescription.parse(Files.readString(HarnessServer.repoRoot().resolve("sdp/src/test/resources/captures").resolve(name)));
    }

    private static List<String> fb(MediaDescription m, int pt) {
        return m.rtcpFeedback(pt).stream().map(RtcpFb::feedback).toList();
    }

    @Test
    void answerToChromiumsCameraAndMicrophoneOffer() throws Exception {
        SessionDescription offer = capture("chromium156-offer-audio-video-datachannel.sdp");
        EnginePair p = new EnginePair(1);
        p.b.applyRemoteDescription(offer, true);
        assertThat(p.tracksAtB).hasSize(2);
        assertThat(p.tracksAtB.get(0).kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(p.tracksAtB.get(0).streamIds()).containsExactly("000eed97-5032-40d7-901f-8860d19ae8bc");
        assertThat(p.tracksAtB.get(0).trackId()).isEqualTo("cc82da73-e6de-4f92-88f1-90792cd7477f");
        assertThat(p.tracksAtB.get(1).transceiver().mid()).isEqualTo("1");
        assertThat(p.tracksAtB.get(1).transceiver().direction()).isEqualTo(Direction.RECVONLY);

        // recvonly transceivers (created by the offer) answer recvonly: no msid, no ssrc.
        MediaDescription audio = p.b.answerSection(offer.media().get(0));
        assertThat(audio.formats()).containsExactly("111");
        assertThat(audio.rtpMap(111).orElseThrow().toAttributeValue()).isEqualTo("111 opus/48000/2");
        assertThat(audio.fmtp(111).orElseThrow().parameters()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(audio.rtcpFeedback()).as("transport-cc is not implemented, so not accepted").isEmpty();
        assertThat(audio.extMaps()).containsExactly(ExtMap.of(4, MediaSdp.MID_URI));
        assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(audio.msids()).isEmpty();
        assertThat(audio.ssrcs()).isEmpty();
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpRsize()).isTrue();

        // addTrack reuses the offered video transceiver: sendrecv, with msid, ssrc and the RTX group.
        Transceiver video = p.b.addTrack(MediaKind.VIDEO, TrackInit.builder().streamId("s").trackId("t").build());
        assertThat(video.mid()).isEqualTo("1");
        assertThat(video.direction()).isEqualTo(Direction.SENDRECV);
        MediaDescription v = p.b.answerSection(offer.media().get(1));
        assertThat(v.formats()).containsExactly("96", "97", "102", "103", "104", "107", "108", "109", "114", "115", "116",
                "117", "39", "40", "45", "46", "98", "99", "100", "101");
        assertThat(v.rtpMap(97).orElseThrow().encodingName()).isEqualTo("rtx");
        assertThat(v.fmtp(97).orElseThrow().parameters()).isEqualTo("apt=96");
        assertThat(fb(v, 96)).containsExactly("goog-remb", "ccm fir", "nack", "nack pli");
        assertThat(v.codec(108).orElseThrow().parameters()).containsEntry("profile-level-id", "42e01f");
        assertThat(v.codec(45).orElseThrow().name()).isEqualTo("AV1");
        assertThat(v.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(v.msids()).singleElement().satisfies(m -> {
            assertThat(m.streamId()).isEqualTo("s");
            assertThat(m.trackId()).isEqualTo("t");
        });
        assertThat(v.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(video.sender().ssrc(), video.sender().rtxSsrc())));
        assertThat(v.cname(video.sender().ssrc())).contains(p.b.cname());
        assertThat(v.extMaps()).containsExactly(ExtMap.of(4, MediaSdp.MID_URI));

        // The whole answer, with the data section, bundles all three.
        SessionDescription answer = Jsep.answer(Origin.jsep("9", 1), EnginePair.transport("xxxx"), offer,
                (i, m) -> m.isDataChannel() ? MediaDescription.dataChannel(m.mid().orElseThrow(), 5000, 262144) : p.b.answerSection(m));
        SessionDescription back = SessionDescription.parse(answer.serialize());
        assertThat(back.bundleGroups().get(0).mids()).containsExactly("0", "1", "2");

        p.b.applyNegotiation(back, offer);
        Negotiated n = ((Transceiver) p.tracksAtB.get(1).transceiver()).negotiatedForTest();
        assertThat(n.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(n.sendCodecs().get(0).name()).isEqualTo("VP8");
        assertThat(n.sendRtx()).containsEntry(96, 97).containsEntry(45, 46);
        assertThat(n.remoteRtxSsrcs()).containsEntry(3569936231L, 1114614984L);
        assertThat(n.midExtensionId()).isEqualTo(4);
        assertThat(n.rtcpRsize()).isTrue();
        assertThat(n.sendFeedback("nack")).isTrue();
        assertThat(n.sendFeedback("transport-cc")).isFalse();
        assertThat(p.tracksAtB.get(1).transceiver().currentDirection()).isEqualTo(Direction.SENDRECV);
        assertThat(p.tracksAtB.get(0).transceiver().currentDirection()).isEqualTo(Direction.RECVONLY);
    }

    @Test
    void answerToWeriftsOfferKeepsItsUppercaseOpusAndDirections() throws Exception {
        SessionDescription offer = capture("werift0.25.2-offer-audio-video-datachannel.sdp");
        EnginePair p = new EnginePair(2);
        p.b.applyRemoteDescription(offer, true);
        assertThat(p.tracksAtB).as("werift's audio is recvonly: only video fires ontrack").hasSize(1);
        p.b.addTrack(MediaKind.AUDIO, TrackInit.DEFAULT);
        p.b.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        MediaDescription audio = p.b.answerSection(offer.media().get(0));
        assertThat(audio.formats()).containsExactly("96");
        assertThat(audio.rtpMap(96).orElseThrow().encodingName()).isEqualTo("OPUS");
        assertThat(audio.direction()).as("we send, werift only receives").isEqualTo(Direction.SENDONLY);
        assertThat(audio.rtcpRsize()).isFalse();
        assertThat(audio.extMaps()).isEmpty();
        MediaDescription video = p.b.answerSection(offer.media().get(1));
        assertThat(video.formats()).containsExactly("98");
        assertThat(fb(video, 98)).containsExactly("nack", "nack pli", "goog-remb");
        assertThat(video.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(video.ssrcGroups()).as("no RTX offered, none answered").isEmpty();
    }

    @Test
    void ourOfferListsCodecsRtxFeedbackAndSsrcs() throws Exception {
        EnginePair p = new EnginePair(3);
        Transceiver a = p.a.addTrack(MediaKind.AUDIO, TrackInit.DEFAULT);
        Transceiver v = p.a.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        SessionDescription offer = SessionDescription.parse(p.createOffer().serialize());
        MediaDescription am = offer.media().get(0);
        assertThat(am.kind()).isEqualTo("audio");
        assertThat(am.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(am.formats()).containsExactly("111");
        assertThat(am.fmtp(111).orElseThrow().parameters()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(am.ssrcIds()).containsExactly(a.sender().ssrc());
        MediaDescription vm = offer.media().get(1);
        assertThat(vm.formats()).containsExactly("96", "97", "98", "99", "102", "103", "45", "46");
        for (RtpCodec c : vm.codecs()) {
            if (!c.isRtx()) {
                assertThat(c.feedback().stream().map(RtcpFb::feedback).toList()).as(c.name())
                        .containsExactly("goog-remb", "ccm fir", "nack", "nack pli");
            }
        }
        assertThat(vm.codec(99).orElseThrow().associatedPayloadType()).hasValue(98);
        assertThat(vm.codec(102).orElseThrow().parameters()).containsEntry("packetization-mode", "1")
                .containsEntry("profile-level-id", "42e01f");
        assertThat(vm.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(v.sender().ssrc(), v.sender().rtxSsrc())));
        assertThat(vm.msids()).hasSize(1);
        assertThat(vm.rtcpMux()).isTrue();
        assertThat(vm.rtcpRsize()).isTrue();
        assertThat(vm.extMaps()).containsExactly(ExtMap.of(4, MediaSdp.MID_URI));
        assertThat(vm.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(offer.serialize()).doesNotContain("transport-cc");
    }

    @ParameterizedTest(name = "we want {0}, they offer {1}: we answer {2}")
    @CsvSource({
        "SENDRECV, SENDRECV, SENDRECV",
        "SENDRECV, SENDONLY, RECVONLY",
        "SENDRECV, RECVONLY, SENDONLY",
        "SENDRECV, INACTIVE, INACTIVE",
        "RECVONLY, SENDRECV, RECVONLY",
        "SENDONLY, SENDRECV, SENDONLY",
        "INACTIVE, SENDRECV, INACTIVE",
    })
    void directionsAnswerPerRfc3264(Direction ours, Direction theirs, Direction answered) {
        EnginePair p = new EnginePair(4);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.builder().direction(theirs).build());
        p.negotiate(s -> s, () -> p.transceiverB(MediaKind.VIDEO).setDirection(ours), s -> s);
        assertThat(p.answer.media().get(0).direction()).isEqualTo(answered);
        assertThat(p.transceiverB(MediaKind.VIDEO).currentDirection()).isEqualTo(answered);
        assertThat(p.transceiverA(MediaKind.VIDEO).currentDirection()).isEqualTo(answered.reverse());
    }

    @Test
    void sendCodecsTakeTheRemotesPayloadTypes() throws Exception {
        EnginePair p = new EnginePair(5);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.builder().codecs(MediaCodec.VP8).build());
        // The answerer renumbers VP8 to 100 and its RTX to 101 (allowed: each side receives with its own numbers).
        p.negotiate(s -> s, () -> { }, s -> reparse(s.serialize()
                .replace(" 96 97", " 100 101").replace(":96 ", ":100 ").replace(":97 ", ":101 ").replace("apt=96", "apt=100")));
        Negotiated a = p.transceiverA(MediaKind.VIDEO).negotiatedForTest();
        assertThat(a.sendCodecs()).extracting(RtpCodec::payloadType).containsExactly(100);
        assertThat(a.receiveCodecs()).extracting(RtpCodec::payloadType).containsExactly(96);
        assertThat(a.sendRtx()).isEqualTo(Map.of(100, 101));
        assertThat(a.receiveRtx()).isEqualTo(Map.of(97, 96));
    }

    private static SessionDescription reparse(String text) {
        try {
            return SessionDescription.parse(text);
        } catch (io.jrtc.sdp.SdpParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOfferWithoutRtcpMuxOrCommonCodecIsRejected() throws Exception {
        SessionDescription offer = capture("chromium156-offer-audio-video-datachannel.sdp");
        EnginePair p = new EnginePair(6);
        p.b.applyRemoteDescription(offer, true);
        assertThat(p.b.answerSection(offer.media().get(0).withoutAttribute("rtcp-mux"))).isNull();
        MediaDescription g722only = offer.media().get(0).toBuilder().formats(List.of("9")).build();
        assertThat(p.b.answerSection(g722only)).isNull();
    }
}
