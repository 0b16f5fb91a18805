package io.jrtc.perf.signaling;

import io.jrtc.common.ParseException;
import io.jrtc.signaling.client.SignalingCodec;
import io.jrtc.signaling.client.SignalingMessage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the signaling client's JSON codec on typical messages (a ~0.8 KB data-channel offer and a trickled
 * candidate), the per-message CPU cost on the client side of every relay.
 *
 * <p>Run: {@code java -jar perf/target/benchmarks.jar 'io.jrtc.perf.signaling.SignalingCodecBenchmark' -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SignalingCodecBenchmark {

    private static final String SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:Sd4P\r\na=ice-pwd:Kq1b6Z5mY0pQ2W8xR3tV7nC4\r\na=ice-options:trickle\r\n"
            + "a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CB:9E:3A:1F:4A:65:3C:3F:9D:E1:2B:5E:"
            + "A0:7F:2D:11:C4:35:90:01\r\na=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\n"
            + "a=max-message-size:262144\r\n";

    private final SignalingMessage.Offer offer = new SignalingMessage.Offer("peer-42", SDP);
    private final String offerJson = "{\"type\":\"offer\",\"to\":\"peer-42\",\"from\":\"agent-7\",\"sdp\":"
            + quote(SDP) + "}";
    private final String candidateJson = "{\"type\":\"candidate\",\"to\":\"peer-42\",\"from\":\"agent-7\","
            + "\"candidate\":\"candidate:842163049 1 udp 1677729535 198.51.100.7 61664 typ srflx raddr 10.0.0.5 "
            + "rport 61664 generation 0 ufrag Sd4P network-cost 999\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";

    private static String quote(String s) {
        return "\"" + s.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    @Benchmark
    public String encodeOffer() {
        return SignalingCodec.encode(offer);
    }

    @Benchmark
    public SignalingMessage decodeOffer() throws ParseException {
        return SignalingCodec.decode(offerJson);
    }

    @Benchmark
    public SignalingMessage decodeCandidate() throws ParseException {
        return SignalingCodec.decode(candidateJson);
    }
}
