package io.jrtc.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.probe.ProbeTarget;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ice-trickle}'s rewrite of jrtc's description, and the routes' {@link CandidateGate}. */
class TrickleRewriteTakesOutOnlyCandidates {

    @Test
    void candidatesAndEndOfCandidatesGoTheRestStays() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-options:trickle\r\n"
                + "a=candidate:1 1 udp 2130706431 10.0.0.1 5000 typ host\r\na=candidate:2 1 udp 1 10.0.0.1 5001 typ host\r\n"
                + "a=end-of-candidates\r\na=sctp-port:5000\r\n";
        String out = IceTrickle.withoutCandidates(sdp);
        assertThat(out).isEqualTo("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:abcd\r\na=ice-options:trickle\r\n"
                + "a=sctp-port:5000\r\n");
        assertThat(IceTrickle.withoutCandidates("v=0\na=candidate:1 1 udp 1 10.0.0.1 1 typ host\na=x\n")).isEqualTo("v=0\na=x\n");
    }

    @Test
    void theGateHoldsCandidatesWhileADescriptionIsOnItsWayAndRecordsWhatItSends() throws Exception {
        ProbeTarget.Trickle trickle = new ProbeTarget.Trickle();
        List<String> wire = new ArrayList<>();
        CandidateGate gate = new CandidateGate(trickle, c -> wire.add(c.candidate()));
        gate.candidate(new RtcIceCandidate("candidate:1 1 udp 1 10.0.0.1 1 typ host", "0", 0));
        gate.hold();
        gate.hold();
        gate.candidate(new RtcIceCandidate("candidate:2 1 udp 1 10.0.0.1 2 typ host", "0", 0));
        gate.candidate(RtcIceCandidate.endOfCandidates("0", 0));
        gate.release();
        assertThat(wire).containsExactly("candidate:1 1 udp 1 10.0.0.1 1 typ host");
        gate.release();
        assertThat(wire).containsExactly("candidate:1 1 udp 1 10.0.0.1 1 typ host", "candidate:2 1 udp 1 10.0.0.1 2 typ host", "");
        gate.release(); // an extra release does not unbalance the next hold
        gate.hold();
        gate.candidate(new RtcIceCandidate("candidate:3 1 udp 1 10.0.0.1 3 typ host", "0", 0));
        assertThat(wire).hasSize(3);
        assertThat(trickle.sent()).isEqualTo(wire);
        assertThat(trickle.awaitBothEnds(10)).as("the target's end never came").isFalse();
        trickle.received("");
        assertThat(trickle.awaitBothEnds(10)).isTrue();
    }
}
