package io.jrtc.perf.sdp;

import io.jrtc.sdp.Candidate;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.sdp.SdpParseException;
import io.jrtc.sdp.SessionDescription;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse and serialise cost of real SDP: Chromium 156's audio + video + data channel offer (6.9 KB,
 * 183 lines) and its data-channel-only offer with host, srflx and relay candidates; plus one trickled
 * candidate and the codec view of the video section. The texts are the captures kept in
 * {@code sdp/src/test/resources/captures} (see the README there), copied here because perf does not see
 * another module's test resources.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SdpBenchmark {

    /** chromium156-offer-audio-video-datachannel.sdp, byte for byte. */
    static final String MEDIA_OFFER = String.join("\r\n",
            "v=0",
            "o=- 6183095457039466120 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1 2",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS 000eed97-5032-40d7-901f-8860d19ae8bc",
            "m=audio 48253 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
            "c=IN IP4 10.77.0.1",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1861660453 1 udp 2122260223 10.77.0.1 48253 typ host generation 0 network-id 1",
            "a=candidate:403936792 1 udp 2122194687 10.77.0.2 48411 typ host generation 0 network-id 2",
            "a=candidate:272190909 1 tcp 1518280447 10.77.0.1 9 typ host tcptype active generation 0 network-id 1",
            "a=candidate:1725723776 1 tcp 1518214911 10.77.0.2 9 typ host tcptype active generation 0 network-id 2",
            "a=ice-ufrag:wtsA",
            "a=ice-pwd:BiW9ko7mItoXIPc1mWAigC1D",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 C5:18:85:C5:44:DD:6D:65:1D:D5:E2:D0:E7:4E:4F:70:B4:70:EC:26:52:F2:91:35:00:14:74:40:91:8B:F4:59",
            "a=setup:actpass",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=sendrecv",
            "a=msid:000eed97-5032-40d7-901f-8860d19ae8bc cc82da73-e6de-4f92-88f1-90792cd7477f",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtcp-xr:rcvr-rtt=all",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:63 red/48000/2",
            "a=fmtp:63 111/111",
            "a=rtpmap:9 G722/8000",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:13 CN/8000",
            "a=rtpmap:110 telephone-event/48000",
            "a=rtpmap:126 telephone-event/8000",
            "a=ssrc:1578203208 cname:Aw+yN/oBL1UnUPPE",
            "a=ssrc:1578203208 msid:000eed97-5032-40d7-901f-8860d19ae8bc cc82da73-e6de-4f92-88f1-90792cd7477f",
            "m=video 60748 UDP/TLS/RTP/SAVPF 96 97 102 103 104 107 108 109 114 115 116 117 39 40 45 46 98 99 100 101 118 119 120",
            "c=IN IP4 10.77.0.1",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1861660453 1 udp 2122260223 10.77.0.1 60748 typ host generation 0 network-id 1",
            "a=candidate:403936792 1 udp 2122194687 10.77.0.2 53963 typ host generation 0 network-id 2",
            "a=candidate:272190909 1 tcp 1518280447 10.77.0.1 9 typ host tcptype active generation 0 network-id 1",
            "a=candidate:1725723776 1 tcp 1518214911 10.77.0.2 9 typ host tcptype active generation 0 network-id 2",
            "a=ice-ufrag:wtsA",
            "a=ice-pwd:BiW9ko7mItoXIPc1mWAigC1D",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 C5:18:85:C5:44:DD:6D:65:1D:D5:E2:D0:E7:4E:4F:70:B4:70:EC:26:52:F2:91:35:00:14:74:40:91:8B:F4:59",
            "a=setup:actpass",
            "a=mid:1",
            "a=extmap:14 urn:ietf:params:rtp-hdrext:toffset",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:13 urn:3gpp:video-orientation",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
            "a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type",
            "a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing",
            "a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "a=sendrecv",
            "a=msid:000eed97-5032-40d7-901f-8860d19ae8bc 32c9a02e-ffba-4711-be18-c3b40d003d2c",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtcp-xr:rcvr-rtt=all",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 goog-remb",
            "a=rtcp-fb:96 transport-cc",
            "a=rtcp-fb:96 ccm fir",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=rtpmap:102 H264/90000",
            "a=rtcp-fb:102 goog-remb",
            "a=rtcp-fb:102 transport-cc",
            "a=rtcp-fb:102 ccm fir",
            "a=rtcp-fb:102 nack",
            "a=rtcp-fb:102 nack pli",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
            "a=rtpmap:103 rtx/90000",
            "a=fmtp:103 apt=102",
            "a=rtpmap:104 H264/90000",
            "a=rtcp-fb:104 goog-remb",
            "a=rtcp-fb:104 transport-cc",
            "a=rtcp-fb:104 ccm fir",
            "a=rtcp-fb:104 nack",
            "a=rtcp-fb:104 nack pli",
            "a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f",
            "a=rtpmap:107 rtx/90000",
            "a=fmtp:107 apt=104",
            "a=rtpmap:108 H264/90000",
            "a=rtcp-fb:108 goog-remb",
            "a=rtcp-fb:108 transport-cc",
            "a=rtcp-fb:108 ccm fir",
            "a=rtcp-fb:108 nack",
            "a=rtcp-fb:108 nack pli",
            "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:109 rtx/90000",
            "a=fmtp:109 apt=108",
            "a=rtpmap:114 H264/90000",
            "a=rtcp-fb:114 goog-remb",
            "a=rtcp-fb:114 transport-cc",
            "a=rtcp-fb:114 ccm fir",
            "a=rtcp-fb:114 nack",
            "a=rtcp-fb:114 nack pli",
            "a=fmtp:114 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f",
            "a=rtpmap:115 rtx/90000",
            "a=fmtp:115 apt=114",
            "a=rtpmap:116 H264/90000",
            "a=rtcp-fb:116 goog-remb",
            "a=rtcp-fb:116 transport-cc",
            "a=rtcp-fb:116 ccm fir",
            "a=rtcp-fb:116 nack",
            "a=rtcp-fb:116 nack pli",
            "a=fmtp:116 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f",
            "a=rtpmap:117 rtx/90000",
            "a=fmtp:117 apt=116",
            "a=rtpmap:39 H264/90000",
            "a=rtcp-fb:39 goog-remb",
            "a=rtcp-fb:39 transport-cc",
            "a=rtcp-fb:39 ccm fir",
            "a=rtcp-fb:39 nack",
            "a=rtcp-fb:39 nack pli",
            "a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f",
            "a=rtpmap:40 rtx/90000",
            "a=fmtp:40 apt=39",
            "a=rtpmap:45 AV1/90000",
            "a=rtcp-fb:45 goog-remb",
            "a=rtcp-fb:45 transport-cc",
            "a=rtcp-fb:45 ccm fir",
            "a=rtcp-fb:45 nack",
            "a=rtcp-fb:45 nack pli",
            "a=fmtp:45 level-idx=5;profile=0;tier=0",
            "a=rtpmap:46 rtx/90000",
            "a=fmtp:46 apt=45",
            "a=rtpmap:98 VP9/90000",
            "a=rtcp-fb:98 goog-remb",
            "a=rtcp-fb:98 transport-cc",
            "a=rtcp-fb:98 ccm fir",
            "a=rtcp-fb:98 nack",
            "a=rtcp-fb:98 nack pli",
            "a=fmtp:98 profile-id=0",
            "a=rtpmap:99 rtx/90000",
            "a=fmtp:99 apt=98",
            "a=rtpmap:100 VP9/90000",
            "a=rtcp-fb:100 goog-remb",
            "a=rtcp-fb:100 transport-cc",
            "a=rtcp-fb:100 ccm fir",
            "a=rtcp-fb:100 nack",
            "a=rtcp-fb:100 nack pli",
            "a=fmtp:100 profile-id=2",
            "a=rtpmap:101 rtx/90000",
            "a=fmtp:101 apt=100",
            "a=rtpmap:118 red/90000",
            "a=rtpmap:119 rtx/90000",
            "a=fmtp:119 apt=118",
            "a=rtpmap:120 ulpfec/90000",
            "a=ssrc-group:FID 1114614984 3569936231",
            "a=ssrc:1114614984 cname:Aw+yN/oBL1UnUPPE",
            "a=ssrc:1114614984 msid:000eed97-5032-40d7-901f-8860d19ae8bc 32c9a02e-ffba-4711-be18-c3b40d003d2c",
            "a=ssrc:3569936231 cname:Aw+yN/oBL1UnUPPE",
            "a=ssrc:3569936231 msid:000eed97-5032-40d7-901f-8860d19ae8bc 32c9a02e-ffba-4711-be18-c3b40d003d2c",
            "m=application 34942 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 10.77.0.1",
            "a=candidate:1861660453 1 udp 2122260223 10.77.0.1 34942 typ host generation 0 network-id 1",
            "a=candidate:403936792 1 udp 2122194687 10.77.0.2 51644 typ host generation 0 network-id 2",
            "a=candidate:272190909 1 tcp 1518280447 10.77.0.1 9 typ host tcptype active generation 0 network-id 1",
            "a=candidate:1725723776 1 tcp 1518214911 10.77.0.2 9 typ host tcptype active generation 0 network-id 2",
            "a=ice-ufrag:wtsA",
            "a=ice-pwd:BiW9ko7mItoXIPc1mWAigC1D",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 C5:18:85:C5:44:DD:6D:65:1D:D5:E2:D0:E7:4E:4F:70:B4:70:EC:26:52:F2:91:35:00:14:74:40:91:8B:F4:59",
            "a=setup:actpass",
            "a=mid:2",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "");

    /** chromium156-offer-datachannel-mdns-turn.sdp, byte for byte. */
    static final String DATACHANNEL_OFFER = String.join("\r\n",
            "v=0",
            "o=- 4008887681857561273 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS",
            "m=application 49200 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 10.77.0.1",
            "a=candidate:2747381090 1 udp 2113937151 dbbfcac6-f821-423f-8e80-1e298f8d5a7b.local 41824 typ host generation 0 network-cost 999",
            "a=candidate:1708339658 1 udp 1677729535 10.77.0.1 41824 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-cost 999",
            "a=candidate:1348742967 1 udp 50339839 10.77.0.1 49200 typ relay raddr 10.77.0.1 rport 41824 generation 0 network-cost 999",
            "a=ice-ufrag:eHki",
            "a=ice-pwd:PPwlcH1C9+gFSkWe08fEtXx9",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 34:30:3A:DC:D8:9F:F2:05:C4:61:4D:B5:41:CB:7E:B3:7C:D8:FC:37:0F:D1:51:70:5C:AB:E8:EC:08:70:8A:C4",
            "a=setup:actpass",
            "a=mid:0",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "");

    static final String TRICKLED = "candidate:1348742967 1 udp 50339839 10.77.0.1 49200 typ relay raddr 10.77.0.1"
            + " rport 41824 generation 0 ufrag eHki network-cost 999";

    private SessionDescription parsedMediaOffer;
    private MediaDescription video;

    @Setup
    public void setUp() throws SdpParseException {
        parsedMediaOffer = SessionDescription.parse(MEDIA_OFFER);
        video = parsedMediaOffer.media().get(1);
        if (!parsedMediaOffer.serialize().equals(MEDIA_OFFER)) {
            throw new IllegalStateException("embedded capture does not round-trip");
        }
    }

    @Benchmark
    public SessionDescription parseMediaOffer() throws SdpParseException {
        return SessionDescription.parse(MEDIA_OFFER);
    }

    @Benchmark
    public SessionDescription parseDataChannelOffer() throws SdpParseException {
        return SessionDescription.parse(DATACHANNEL_OFFER);
    }

    @Benchmark
    public String serializeMediaOffer() {
        return parsedMediaOffer.serialize();
    }

    @Benchmark
    public Candidate parseTrickledCandidate() throws SdpParseException {
        return Candidate.parse(TRICKLED);
    }

    @Benchmark
    public List<RtpCodec> videoCodecView() {
        return video.codecs();
    }
}
