package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed accessors over werift 0.25.2's real offers and answers return what werift wrote. */
class WeriftCapturesExposeExpectedValues {

    private static final String WERIFT_FINGERPRINT =
            "0D:DD:90:39:65:23:75:00:D1:42:CE:0E:A9:3F:D1:CB:89:28:62:60:9E:0B:DC:97:15:7A:B0:B9:A2:39:15:96";

    @Test
    void dataChannelOfferWithTcpCandidates() {
        SessionDescription sdp = Captures.parse("werift0.25.2-offer-datachannel-tcp.sdp");
        assertThat(sdp.origin().sessionVersion()).isZero();
        assertThat(sdp.attribute("msid-semantic").orElseThrow().value()).isEqualTo("WMS *");
        MediaDescription m = sdp.media().get(0);
        assertThat(m.iceUfrag()).contains("5859");
        assertThat(m.icePwd()).contains("b96c06b9f74a79626f5f55");
        assertThat(m.setup()).contains(Setup.ACTPASS);
        assertThat(m.maxMessageSize()).hasValue(65536);
        assertThat(m.endOfCandidates()).isTrue();
        assertThat(m.fingerprints()).containsExactly(new FingerprintAttribute("sha-256", WERIFT_FINGERPRINT));

        List<Candidate> cs = m.candidates();
        assertThat(cs).hasSize(6);
        assertThat(cs).extracting(Candidate::transport).containsExactly("tcp", "tcp", "udp", "udp", "tcp", "tcp");
        assertThat(cs).extracting(Candidate::tcpType)
                .containsExactly(TcpType.PASSIVE, TcpType.PASSIVE, null, null, TcpType.ACTIVE, TcpType.ACTIVE);
        assertThat(cs.get(0).foundation()).isEqualTo("11809ec43dc721602bdb16167");
        assertThat(cs.get(0).port()).isEqualTo(40107);
        assertThat(cs.get(4).port()).isEqualTo(9);
        assertThat(cs).allSatisfy(c -> {
            assertThat(c.type()).isEqualTo(CandidateType.HOST);
            assertThat(c.ufrag()).contains("5859");
            assertThat(c.generation()).hasValue(0);
        });
        assertThat(cs.get(0).toAttributeValue()).isEqualTo(
                "11809ec43dc721602bdb16167 1 tcp 1772093439 10.77.0.1 40107 typ host tcptype passive generation 0"
                        + " ufrag 5859");
    }

    @Test
    void mediaOfferWithRecvonlyAudioAndSendrecvVideo() {
        SessionDescription sdp = Captures.parse("werift0.25.2-offer-audio-video-datachannel.sdp");
        assertThat(sdp.bundleGroups()).singleElement().extracting(Group::mids).isEqualTo(List.of("0", "1", "2"));
        MediaDescription audio = sdp.media().get(0);
        MediaDescription video = sdp.media().get(1);
        assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(video.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(audio.rtpMap(96)).contains(new RtpMap(96, "OPUS", 48000, 2));
        assertThat(audio.payloadTypes("opus")).containsExactly(96);
        assertThat(audio.codec(0)).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("PCMU"));
        assertThat(video.payloadTypes("vp8")).containsExactly(98);
        assertThat(video.rtcpFeedback(98)).extracting(RtcpFb::feedback).containsExactly("nack", "nack pli",
                "goog-remb");
        assertThat(audio.ssrcs()).singleElement().satisfies(s -> {
            assertThat(s.ssrc()).isEqualTo(3575634680L);
            assertThat(s.attribute()).isEqualTo("cname");
            assertThat(s.value()).isEqualTo("ed4cb8b3-3ddb-4727-b7cf-856f264ebd49");
        });
        assertThat(audio.msids()).isEmpty();
        assertThat(sdp.media()).allSatisfy(m -> {
            assertThat(m.endOfCandidates()).isTrue();
            assertThat(m.candidates()).hasSize(2);
            assertThat(m.iceUfrag()).contains("ff87");
        });
        assertThat(sdp.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2");
        assertThat(sdp.media().get(2).isDataChannel()).isTrue();
    }

    @Test
    void dataChannelAnswerToChromiumIsActive() {
        MediaDescription m = Captures.parse("werift0.25.2-answer-datachannel.sdp").media().get(0);
        assertThat(m.setup()).contains(Setup.ACTIVE).contains(Setup.answerFor(Setup.ACTPASS));
        assertThat(m.candidates()).extracting(Candidate::address).containsExactly("10.77.0.1", "10.77.0.2");
        assertThat(m.candidates()).extracting(Candidate::priority).containsOnly(2116026367L);
        assertThat(m.endOfCandidates()).isTrue();
    }

    @Test
    void turnAnswerHasRelayCandidate() {
        MediaDescription m = Captures.parse("werift0.25.2-answer-datachannel-turn.sdp").media().get(0);
        Candidate relay = m.candidates().get(2);
        assertThat(relay.type()).isEqualTo(CandidateType.RELAY);
        assertThat(relay.priority()).isEqualTo(16777215L);
        assertThat(relay.address()).isEqualTo("10.77.0.1");
        assertThat(relay.relatedAddress()).isEqualTo("10.77.0.1");
        assertThat(relay.relatedPort()).isEqualTo(43668);
    }

    @Test
    void mediaAnswerToChromiumKeepsOnlyWhatItReceives() {
        SessionDescription offer = Captures.parse("chromium156-offer-audio-video-datachannel.sdp");
        SessionDescription answer = Captures.parse("werift0.25.2-answer-audio-video-datachannel.sdp");
        assertThat(answer.media()).extracting(MediaDescription::direction)
                .containsExactly(Direction.RECVONLY, Direction.RECVONLY, Direction.SENDRECV);
        MediaDescription audio = answer.media().get(0);
        assertThat(audio.formats()).containsExactly("111", "0");
        assertThat(audio.codec(111).orElseThrow().parameters()).containsEntry("useinbandfec", "1");
        assertThat(answer.media().get(1).payloadTypes("VP8")).containsExactly(96);
        // every answered payload type was offered under the same codec name
        for (int i = 0; i < 2; i++) {
            MediaDescription offered = offer.media().get(i);
            for (RtpCodec c : answer.media().get(i).codecs()) {
                assertThat(offered.codec(c.payloadType())).hasValueSatisfying(o -> assertThat(o.matches(c.name()))
                        .isTrue());
            }
        }
        assertThat(answer.media()).extracting(m -> m.setup().orElseThrow()).containsOnly(Setup.ACTIVE);
    }
}
