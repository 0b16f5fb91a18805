package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed accessors over Chromium 156's real offers and answers return what Chromium wrote. */
class ChromiumCapturesExposeExpectedValues {

    @Test
    void dataChannelOfferWithRealIps() {
        SessionDescription sdp = Captures.parse("chromium156-offer-datachannel.sdp");
        assertThat(sdp.origin()).isEqualTo(new Origin("-", "8244416781016626344", 2, "IN", "IP4", "127.0.0.1"));
        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.timings()).containsExactly(Timing.UNBOUNDED);
        assertThat(sdp.bundleGroups()).containsExactly(new Group("BUNDLE", List.of("0")));
        assertThat(sdp.extmapAllowMixed()).isTrue();
        assertThat(sdp.iceLite()).isFalse();
        // unknown to us, kept verbatim with its leading space
        assertThat(sdp.attribute("msid-semantic")).contains(new Attribute("msid-semantic", " WMS"));

        assertThat(sdp.media()).hasSize(1);
        MediaDescription m = sdp.media().get(0);
        assertThat(m.kind()).isEqualTo("application");
        assertThat(m.isDataChannel()).isTrue();
        assertThat(m.port()).isEqualTo(33599);
        assertThat(m.proto()).isEqualTo(MediaDescription.PROTO_DTLS_SCTP);
        assertThat(m.formats()).containsExactly("webrtc-datachannel");
        assertThat(m.connection()).isEqualTo(new Connection("IN", "IP4", "10.77.0.1"));
        assertThat(m.mid()).contains("0");
        assertThat(m.iceUfrag()).contains("S8eP");
        assertThat(m.icePwd()).contains("zqpzALzGBG80Fjr7hHRpIc2y");
        assertThat(m.iceOptions()).containsExactly("trickle");
        assertThat(m.setup()).contains(Setup.ACTPASS);
        assertThat(m.sctpPort()).hasValue(5000);
        assertThat(m.maxMessageSize()).hasValue(262144);
        assertThat(m.endOfCandidates()).isFalse();
        assertThat(m.isRejected()).isFalse();

        FingerprintAttribute fp = m.fingerprints().get(0);
        assertThat(fp.hashFunction()).isEqualTo("sha-256");
        assertThat(fp.fingerprint()).startsWith("AB:86:2E:D5").endsWith("36:E2:6A:2C");
        assertThat(fp.bytes()).hasSize(32).startsWith((byte) 0xAB, (byte) 0x86);
        assertThat(FingerprintAttribute.of("sha-256", fp.bytes())).isEqualTo(fp);

        Candidate c = m.candidates().get(0);
        assertThat(c.foundation()).isEqualTo("1386720107");
        assertThat(c.component()).isEqualTo(1);
        assertThat(c.isUdp()).isTrue();
        assertThat(c.priority()).isEqualTo(2113937151L);
        assertThat(c.address()).isEqualTo("10.77.0.1");
        assertThat(c.isIpv4()).isTrue();
        assertThat(c.isMdns()).isFalse();
        assertThat(c.port()).isEqualTo(33599);
        assertThat(c.type()).isEqualTo(CandidateType.HOST);
        assertThat(c.generation()).hasValue(0);
        assertThat(c.networkCost()).hasValue(999);
        assertThat(c.toAttributeValue())
                .isEqualTo("1386720107 1 udp 2113937151 10.77.0.1 33599 typ host generation 0 network-cost 999");

        // session-level fallback: nothing at session level, so the effective value is the media one
        assertThat(sdp.iceUfrag()).isEmpty();
        assertThat(sdp.iceUfragFor(m)).contains("S8eP");
        assertThat(sdp.fingerprintsFor(m)).containsExactly(fp);
        assertThat(sdp.setupFor(m)).contains(Setup.ACTPASS);
        assertThat(sdp.mediaByMid("0")).contains(m);
    }

    @Test
    void dataChannelOfferWithMdnsHostCandidate() {
        MediaDescription m = Captures.parse("chromium156-offer-datachannel-mdns.sdp").media().get(0);
        assertThat(m.port()).isEqualTo(MediaDescription.DISCARD_PORT);
        assertThat(m.connection()).isEqualTo(Connection.JSEP_DEFAULT);
        assertThat(m.candidates()).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(CandidateType.HOST);
            assertThat(c.address()).isEqualTo("baaac65c-a7a5-4711-ab86-b666e0039a8b.local");
            assertThat(c.isMdns()).isTrue();
            assertThat(c.isHostName()).isTrue();
            assertThat(c.isIpv4()).isFalse();
            assertThat(c.port()).isEqualTo(46456);
        });
        assertThat(m.iceUfrag()).contains("P2sh");
    }

    @Test
    void turnOfferHasHostSrflxAndRelayCandidates() {
        MediaDescription m = Captures.parse("chromium156-offer-datachannel-mdns-turn.sdp").media().get(0);
        List<Candidate> cs = m.candidates();
        assertThat(cs).extracting(Candidate::type)
                .containsExactly(CandidateType.HOST, CandidateType.SRFLX, CandidateType.RELAY);
        assertThat(cs.get(0).isMdns()).isTrue();
        assertThat(cs.get(0).relatedAddress()).isNull();
        assertThat(cs.get(0).relatedPort()).isEqualTo(-1);

        Candidate srflx = cs.get(1);
        assertThat(srflx.address()).isEqualTo("10.77.0.1");
        assertThat(srflx.relatedAddress()).isEqualTo("0.0.0.0");
        assertThat(srflx.relatedPort()).isZero();
        assertThat(srflx.priority()).isEqualTo(1677729535L);

        Candidate relay = cs.get(2);
        assertThat(relay.port()).isEqualTo(49200);
        assertThat(relay.relatedAddress()).isEqualTo("10.77.0.1");
        assertThat(relay.relatedPort()).isEqualTo(41824);
        assertThat(relay.priority()).isEqualTo(50339839L);
        assertThat(m.port()).as("default candidate is the relay").isEqualTo(relay.port());
    }

    @Test
    void audioVideoDataChannelOffer() {
        SessionDescription sdp = Captures.parse("chromium156-offer-audio-video-datachannel.sdp");
        assertThat(sdp.bundleGroups()).containsExactly(Group.bundle(List.of("0", "1", "2")));
        assertThat(sdp.media()).extracting(MediaDescription::kind).containsExactly("audio", "video", "application");
        String stream = "000eed97-5032-40d7-901f-8860d19ae8bc";

        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.proto()).isEqualTo(MediaDescription.PROTO_RTP_SAVPF);
        assertThat(audio.formats()).containsExactly("111", "63", "9", "0", "8", "13", "110", "126");
        assertThat(audio.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(audio.explicitDirection()).contains(Direction.SENDRECV);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpRsize()).isTrue();
        assertThat(audio.payloadTypes("opus")).containsExactly(111);
        assertThat(audio.payloadTypes("OPUS")).containsExactly(111);
        assertThat(audio.payloadTypes("telephone-event")).containsExactly(110, 126);
        RtpCodec opus = audio.codec(111).orElseThrow();
        assertThat(opus.clockRate()).isEqualTo(48000);
        assertThat(opus.channels()).isEqualTo(2);
        assertThat(opus.parameters()).containsEntry("minptime", "10").containsEntry("useinbandfec", "1");
        assertThat(opus.hasFeedback("transport-cc", null)).isTrue();
        assertThat(audio.fmtp(63).orElseThrow().parameterMap()).containsOnlyKeys("111/111");
        assertThat(audio.extMaps()).extracting(ExtMap::id).containsExactly(1, 2, 3, 4);
        assertThat(audio.extMaps().get(3).uri()).isEqualTo("urn:ietf:params:rtp-hdrext:sdes:mid");
        assertThat(audio.msids()).containsExactly(new Msid(stream, "cc82da73-e6de-4f92-88f1-90792cd7477f"));
        assertThat(audio.ssrcIds()).containsExactly(1578203208L);
        assertThat(audio.cname(1578203208L)).contains("Aw+yN/oBL1UnUPPE");
        assertThat(audio.ssrcs()).hasSize(2);
        assertThat(audio.ssrcs().get(1).attribute()).isEqualTo("msid");
        assertThat(audio.ssrcs().get(1).value()).isEqualTo(stream + " cc82da73-e6de-4f92-88f1-90792cd7477f");
        // unknown RTP attributes stay
        assertThat(audio.attribute("rtcp-xr")).contains(Attribute.of("rtcp-xr", "rcvr-rtt=all"));
        assertThat(audio.attribute("rtcp")).contains(Attribute.of("rtcp", "9 IN IP4 0.0.0.0"));

        MediaDescription video = sdp.media().get(1);
        assertThat(video.formats()).hasSize(23);
        assertThat(video.payloadTypes("VP8")).containsExactly(96);
        assertThat(video.payloadTypes("VP9")).containsExactly(98, 100);
        assertThat(video.payloadTypes("H264")).containsExactly(102, 104, 108, 114, 116, 39);
        assertThat(video.payloadTypes("AV1")).containsExactly(45);
        assertThat(video.payloadTypes("rtx")).containsExactly(97, 103, 107, 109, 115, 117, 40, 46, 99, 101, 119);
        assertThat(video.payloadTypes("ulpfec")).containsExactly(120);
        assertThat(video.codec(97).orElseThrow().associatedPayloadType()).hasValue(96);
        assertThat(video.codec(102).orElseThrow().parameters())
                .containsEntry("packetization-mode", "1").containsEntry("profile-level-id", "42001f");
        assertThat(video.codec(100).orElseThrow().parameters()).containsEntry("profile-id", "2");
        assertThat(video.rtcpFeedback(96)).extracting(RtcpFb::feedback)
                .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.codec(96).orElseThrow().hasFeedback("nack", "pli")).isTrue();
        assertThat(video.extMaps()).extracting(ExtMap::id).containsExactly(14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11);
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(1114614984L, 3569936231L)));
        assertThat(video.ssrcIds()).containsExactly(1114614984L, 3569936231L);
        assertThat(video.msids()).extracting(Msid::streamId).containsExactly(stream);
        assertThat(video.candidates()).extracting(Candidate::isTcp).containsExactly(false, false, true, true);
        assertThat(video.candidates().get(2).tcpType()).isEqualTo(TcpType.ACTIVE);
        assertThat(video.candidates().get(2).port()).isEqualTo(9);
        assertThat(video.candidates().get(2).networkId()).hasValue(1);

        MediaDescription dc = sdp.media().get(2);
        assertThat(dc.isDataChannel()).isTrue();
        assertThat(dc.sctpPort()).hasValue(5000);
        assertThat(dc.maxMessageSize()).hasValue(262144);
        assertThat(dc.codecs()).isEmpty();

        // one ICE ufrag and one certificate for all three
        assertThat(sdp.media()).extracting(MediaDescription::iceUfrag).containsOnly(java.util.Optional.of("wtsA"));
        assertThat(sdp.media()).extracting(x -> x.fingerprints().get(0).fingerprint()).containsOnly(
                "C5:18:85:C5:44:DD:6D:65:1D:D5:E2:D0:E7:4E:4F:70:B4:70:EC:26:52:F2:91:35:00:14:74:40:91:8B:F4:59");
    }

    @Test
    void dataChannelAnswerToWerift() {
        MediaDescription m = Captures.parse("chromium156-answer-datachannel.sdp").media().get(0);
        assertThat(m.setup()).contains(Setup.ACTIVE);
        assertThat(m.sctpPort()).hasValue(5000);
        assertThat(m.maxMessageSize()).as("Chromium's answer omits it").isEmpty();
        assertThat(m.candidates()).singleElement().extracting(Candidate::type).isEqualTo(CandidateType.HOST);
    }

    @Test
    void mediaAnswerToWeriftReversesDirections() {
        SessionDescription answer = Captures.parse("chromium156-answer-audio-video-datachannel.sdp");
        SessionDescription offer = Captures.parse("werift0.25.2-offer-audio-video-datachannel.sdp");
        MediaDescription audio = answer.media().get(0);
        MediaDescription video = answer.media().get(1);
        assertThat(offer.media().get(0).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY).isEqualTo(Direction.SENDRECV.answerTo(
                offer.media().get(0).direction()));
        assertThat(video.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(audio.payloadTypes("opus")).containsExactly(96);
        assertThat(audio.codec(0).orElseThrow().name()).isEqualTo("PCMU");
        assertThat(video.payloadTypes("VP8")).containsExactly(98);
        assertThat(audio.ssrcIds()).containsExactly(523567148L);
        assertThat(video.msids()).containsExactly(new Msid("36d5c72b-0488-41d5-a28f-bfbcaadfb5ff",
                "30a80792-bf0a-41db-b0a5-eb5b75e0ce23"));
        assertThat(answer.media()).extracting(m -> m.setup().orElseThrow()).containsOnly(Setup.ACTIVE);
    }

    @Test
    void trickledCandidatesMatchTheSdpAndCarryTheUfrag() throws SdpParseException {
        String[] lines = Captures.text("chromium156-trickled-candidates-datachannel-mdns-turn.txt").split("\n");
        MediaDescription m = Captures.parse("chromium156-offer-datachannel-mdns-turn.sdp").media().get(0);
        assertThat(lines).hasSize(m.candidates().size());
        for (int i = 0; i < lines.length; i++) {
            Candidate trickled = Candidate.parse(lines[i]);
            assertThat(trickled.toString()).isEqualTo(lines[i]);
            assertThat(trickled.ufrag()).isEqualTo(m.iceUfrag());
            Candidate inSdp = m.candidates().get(i);
            Candidate renamed = trickled.withExtension("ufrag", "x");
            assertThat(renamed.ufrag()).contains("x");
            assertThat(renamed.extensions()).extracting(Candidate.Extension::name)
                    .isEqualTo(trickled.extensions().stream().map(Candidate.Extension::name).toList());
            assertThat(trickled.foundation()).isEqualTo(inSdp.foundation());
            assertThat(trickled.address()).isEqualTo(inSdp.address());
            assertThat(trickled.port()).isEqualTo(inSdp.port());
            assertThat(trickled.type()).isEqualTo(inSdp.type());
        }
    }
}
