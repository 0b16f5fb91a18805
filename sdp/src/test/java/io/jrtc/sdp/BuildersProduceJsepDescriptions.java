package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.ParseError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builders and withers produce exactly the SDP text JSEP expects, and reject misuse at once. */
class BuildersProduceJsepDescriptions {

    private static final FingerprintAttribute FP = new FingerprintAttribute("sha-256",
            "B8:55:B0:11:37:69:69:5A:42:91:E3:9B:F7:0A:22:4A:2C:3A:7F:EE:D5:0E:C8:86:C6:82:AB:EA:52:2B:3C:CF");

    @Test
    void dataChannelOfferFromScratch() throws SdpParseException {
        MediaDescription dc = MediaDescription.dataChannel("0", MediaDescription.DEFAULT_SCTP_PORT, 262144)
                .toBuilder()
                .iceCredentials("ZCLU", "eZBf3b2HVaBSGZlow6mHDbjG")
                .iceOptions("trickle")
                .fingerprint(FP)
                .setup(Setup.ACTPASS)
                .build();
        SessionDescription offer = SessionDescription.builder(Origin.jsep("7596809839844081191", 2))
                .bundle(List.of("0"))
                .addAttribute(Attribute.flag("extmap-allow-mixed"))
                .addMedia(dc)
                .build();
        String expected = String.join("\r\n",
                "v=0",
                "o=- 7596809839844081191 2 IN IP4 0.0.0.0",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0",
                "a=extmap-allow-mixed",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 0.0.0.0",
                "a=mid:0",
                "a=sctp-port:5000",
                "a=max-message-size:262144",
                "a=ice-ufrag:ZCLU",
                "a=ice-pwd:eZBf3b2HVaBSGZlow6mHDbjG",
                "a=ice-options:trickle",
                "a=fingerprint:sha-256 " + FP.fingerprint(),
                "a=setup:actpass",
                "");
        assertThat(offer.serialize()).isEqualTo(expected);
        assertThat(SessionDescription.parse(expected)).isEqualTo(offer);
        assertThat(offer.toBuilder().build()).isEqualTo(offer);
        assertThat(offer.withOrigin(offer.origin().withNextVersion()).origin().sessionVersion()).isEqualTo(3);
    }

    @Test
    void candidatesGoAfterTheLastCandidateAndBeforeEndOfCandidates() throws SdpParseException {
        Candidate c1 = Candidate.parse("candidate:1 1 udp 2113937151 192.0.2.1 5000 typ host");
        Candidate c2 = Candidate.parse("candidate:2 1 udp 1677729535 198.51.100.1 6000 typ srflx raddr 192.0.2.1"
                + " rport 5000");
        MediaDescription m = MediaDescription.dataChannel("0", 5000, 0)
                .withEndOfCandidates()
                .withCandidate(c1)
                .withCandidate(c2)
                .withEndOfCandidates();
        assertThat(m.attributes()).extracting(Attribute::name)
                .containsExactly("mid", "sctp-port", "max-message-size", "candidate", "candidate",
                        "end-of-candidates");
        assertThat(m.candidates()).containsExactly(c1, c2);
        assertThat(m.maxMessageSize()).hasValue(0);

        SessionDescription sdp = SessionDescription.builder(Origin.jsep("1", 1)).addMedia(
                MediaDescription.dataChannel("0", 5000, 65536)).build();
        SessionDescription trickled = sdp.withCandidate(0, c1).withEndOfCandidates(0);
        assertThat(trickled.media().get(0).candidates()).containsExactly(c1);
        assertThat(trickled.media().get(0).endOfCandidates()).isTrue();
        assertThat(sdp.media().get(0).candidates()).as("original untouched").isEmpty();
    }

    @Test
    void audioSectionWithCodecsForTheMediaIssue() throws SdpParseException {
        MediaDescription audio = MediaDescription.builder(MediaDescription.AUDIO, 9, MediaDescription.PROTO_RTP_SAVPF,
                        List.of("111", "0"))
                .connection(Connection.JSEP_DEFAULT)
                .mid("a0")
                .addAttribute(ExtMap.of(1, "urn:ietf:params:rtp-hdrext:sdes:mid"))
                .direction(Direction.RECVONLY)
                .addAttribute(new Msid("-", "track-1"))
                .rtcpMux()
                .addAttribute(new RtpMap(111, "opus", 48000, 2))
                .addAttribute(new RtcpFb(111, "transport-cc", null))
                .addAttribute(Fmtp.of(111, new java.util.LinkedHashMap<>(java.util.Map.of("minptime", "10"))))
                .addAttribute(new RtpMap(0, "PCMU", 8000, 0))
                .addAttribute(new Ssrc(1234, "cname", "abc"))
                .build();
        assertThat(audio.toString()).isEqualTo(String.join("\r\n",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111 0",
                "c=IN IP4 0.0.0.0",
                "a=mid:a0",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
                "a=recvonly",
                "a=msid:- track-1",
                "a=rtcp-mux",
                "a=rtpmap:111 opus/48000/2",
                "a=rtcp-fb:111 transport-cc",
                "a=fmtp:111 minptime=10",
                "a=rtpmap:0 PCMU/8000",
                "a=ssrc:1234 cname:abc",
                ""));
        assertThat(audio.withDirection(Direction.SENDRECV).direction()).isEqualTo(Direction.SENDRECV);
        assertThat(audio.withDirection(Direction.SENDRECV).attributes(Direction.RECVONLY.sdpName())).isEmpty();
        assertThat(audio.payloadTypes("opus")).containsExactly(111);
        assertThat(audio.withoutAttribute("rtpmap").codecs()).extracting(RtpCodec::name).containsExactly("PCMU");
        assertThat(audio.withPort(0).isRejected()).isTrue();
        assertThat(audio.withConnection(null).connection()).isNull();
    }

    @Test
    void groupsAreReplacedInPlace() throws SdpParseException {
        SessionDescription sdp = Captures.parse("chromium156-offer-audio-video-datachannel.sdp");
        SessionDescription out = sdp.withGroups(List.of(Group.bundle(List.of("2")), new Group("LS", List.of("0",
                "1"))));
        assertThat(out.attributes()).extracting(Attribute::toString).containsExactly(
                "a=group:BUNDLE 2", "a=group:LS 0 1", "a=extmap-allow-mixed",
                "a=msid-semantic: WMS 000eed97-5032-40d7-901f-8860d19ae8bc");
        assertThat(out.bundleGroups()).containsExactly(Group.bundle(List.of("2")));
        assertThat(Group.bundle(List.of("0")).with("1").with("1").without("0")).isEqualTo(Group.bundle(List.of("1")));
    }

    @Test
    void misuseThrowsASpecificUncheckedExceptionAtOnce() {
        assertThatThrownBy(() -> new Attribute("sctp-port", "abc")).isInstanceOfSatisfying(InvalidSdpException.class,
                e -> assertThat(e.error()).isEqualTo(ParseError.INVALID_VALUE));
        assertThatThrownBy(() -> new Attribute("mid", null)).isInstanceOfSatisfying(InvalidSdpException.class,
                e -> assertThat(e.error()).isEqualTo(ParseError.INVALID_LENGTH));
        assertThatThrownBy(() -> new Attribute("bad name", "x")).isInstanceOf(InvalidSdpException.class);
        assertThatThrownBy(() -> Attribute.of("x", "a\r\nb")).isInstanceOf(InvalidSdpException.class);
        assertThatThrownBy(() -> MediaDescription.dataChannel("0", 5000, 0).withPort(70000))
                .isInstanceOf(InvalidSdpException.class);
        assertThatThrownBy(() -> MediaDescription.builder("audio", 9, "RTP/AVP", List.of()).build())
                .isInstanceOf(InvalidSdpException.class).hasMessageContaining("no format");
        assertThatThrownBy(() -> SessionDescription.builder(Origin.jsep("1", 1)).timings(List.of()).build())
                .isInstanceOfSatisfying(InvalidSdpException.class,
                        e -> assertThat(e.error()).isEqualTo(ParseError.INVALID_TYPE));
        assertThatThrownBy(() -> SessionDescription.builder(Origin.jsep("1", 1)).sessionName("a\nb").build())
                .isInstanceOf(InvalidSdpException.class);
        assertThatThrownBy(() -> new RtpMap(128, "opus", 48000, 2)).isInstanceOf(InvalidSdpException.class);
        assertThatThrownBy(() -> Origin.jsep("1", -1)).isInstanceOf(InvalidSdpException.class);
    }
}
