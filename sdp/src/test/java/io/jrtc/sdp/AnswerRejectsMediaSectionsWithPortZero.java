package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Until media is supported, an answer to Chromium's audio+video+data offer accepts the data channel and
 * rejects the RTP sections with port 0 (RFC 9429 section 5.3.1, RFC 3264 section 6), taking them out of
 * the BUNDLE group (RFC 9143 section 7.3.3).
 */
class AnswerRejectsMediaSectionsWithPortZero {

    @Test
    void rejectedSectionKeepsMediaProtoFormatsAndMidOnly() {
        MediaDescription audio = Captures.parse("chromium156-offer-audio-video-datachannel.sdp").media().get(0);
        MediaDescription rejected = audio.rejected();
        assertThat(rejected.port()).isZero();
        assertThat(rejected.isRejected()).isTrue();
        assertThat(rejected.kind()).isEqualTo("audio");
        assertThat(rejected.proto()).isEqualTo(audio.proto());
        assertThat(rejected.formats()).isEqualTo(audio.formats());
        assertThat(rejected.attributes()).containsExactly(Attribute.of("mid", "0"));
        assertThat(rejected.candidates()).isEmpty();
        assertThat(rejected.toString()).isEqualTo(
                "m=audio 0 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 10.77.0.1\r\na=mid:0\r\n");
    }

    @Test
    void answerBuiltFromTheOfferRejectsAudioAndVideo() throws SdpParseException {
        SessionDescription offer = Captures.parse("chromium156-offer-audio-video-datachannel.sdp");
        MediaDescription offeredDc = offer.media().get(2);
        MediaDescription dcAnswer = MediaDescription.dataChannel("2", 5000, 262144).toBuilder()
                .iceCredentials("jrtc", "0123456789abcdefghijkl")
                .iceOptions("trickle")
                .fingerprint(FingerprintAttribute.of("sha-256", new byte[32]))
                .setup(Setup.answerFor(offer.setupFor(offeredDc).orElseThrow()))
                .build();
        SessionDescription answer = SessionDescription.builder(Origin.jsep("4611731400430051336", 2))
                .bundle(List.of("0", "1", "2"))
                .addMedia(offer.media().get(0))
                .addMedia(offer.media().get(1))
                .addMedia(dcAnswer)
                .build()
                .rejectMedia(0)
                .rejectMedia(1);

        assertThat(answer.media()).extracting(MediaDescription::port).containsExactly(0, 0, 9);
        assertThat(answer.media()).extracting(MediaDescription::isRejected).containsExactly(true, true, false);
        assertThat(answer.bundleGroups()).containsExactly(Group.bundle(List.of("2")));
        assertThat(answer.media().get(2).setup()).contains(Setup.ACTIVE);

        String text = answer.serialize();
        assertThat(text).startsWith("v=0\r\no=- 4611731400430051336 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 2\r\nm=audio 0 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n");
        assertThat(text).contains("\r\nm=video 0 UDP/TLS/RTP/SAVPF 96 97 102 ");
        assertThat(text).endsWith("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=mid:2\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n"
                + "a=ice-ufrag:jrtc\r\n"
                + "a=ice-pwd:0123456789abcdefghijkl\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00"
                + ":00:00:00:00:00:00:00:00\r\n"
                + "a=setup:active\r\n");
        assertThat(SessionDescription.parse(text)).isEqualTo(answer);
    }

    @Test
    void rejectingASectionWithoutMidLeavesGroupsAlone() throws SdpParseException {
        SessionDescription sdp = SessionDescription.parse(
                "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                        + "m=audio 9 RTP/AVP 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n");
        SessionDescription out = sdp.rejectMedia(0);
        assertThat(out.bundleGroups()).containsExactly(Group.bundle(List.of("0")));
        assertThat(out.media().get(0).toString()).isEqualTo("m=audio 0 RTP/AVP 0\r\n");
    }
}
