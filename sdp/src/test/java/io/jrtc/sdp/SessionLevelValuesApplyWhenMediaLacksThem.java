package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JSEP lets ICE credentials and options, the fingerprint, setup and direction sit at session level; the
 * effective value for an m-section is its own when present, the session's otherwise.
 */
class SessionLevelValuesApplyWhenMediaLacksThem {

    private static final String SDP = String.join("\r\n",
            "v=0",
            "o=- 42 1 IN IP4 0.0.0.0",
            "s=-",
            "c=IN IP4 192.0.2.10",
            "t=0 0",
            "a=ice-ufrag:sess",
            "a=ice-pwd:sessionpasswordsession",
            "a=ice-options:trickle ice2",
            "a=fingerprint:sha-256 AA:BB",
            "a=setup:passive",
            "a=sendonly",
            "a=ice-lite",
            "m=application 5000 UDP/DTLS/SCTP webrtc-datachannel",
            "a=mid:data",
            "a=sctp-port:5000",
            "m=audio 5002 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 192.0.2.11",
            "a=mid:audio",
            "a=ice-ufrag:medi",
            "a=ice-pwd:mediapasswordmediapass",
            "a=ice-options:trickle",
            "a=fingerprint:sha-1 CC:DD",
            "a=fingerprint:sha-256 EE:FF",
            "a=setup:active",
            "a=inactive",
            "a=rtpmap:111 opus/48000/2",
            "");

    @Test
    void sectionWithoutItsOwnValuesInheritsTheSessionOnes() throws SdpParseException {
        SessionDescription sdp = SessionDescription.parse(SDP);
        assertThat(sdp.iceLite()).isTrue();
        MediaDescription data = sdp.mediaByMid("data").orElseThrow();
        assertThat(data.iceUfrag()).isEmpty();
        assertThat(data.fingerprints()).isEmpty();
        assertThat(data.setup()).isEmpty();
        assertThat(data.direction()).isEqualTo(Direction.SENDRECV);

        assertThat(sdp.iceUfragFor(data)).contains("sess");
        assertThat(sdp.icePwdFor(data)).contains("sessionpasswordsession");
        assertThat(sdp.iceOptionsFor(data)).containsExactly("trickle", "ice2");
        assertThat(sdp.fingerprintsFor(data)).containsExactly(new FingerprintAttribute("sha-256", "AA:BB"));
        assertThat(sdp.setupFor(data)).contains(Setup.PASSIVE);
        assertThat(sdp.directionFor(data)).isEqualTo(Direction.SENDONLY);
        assertThat(sdp.connectionFor(data)).contains(new Connection("IN", "IP4", "192.0.2.10"));
    }

    @Test
    void sectionWithItsOwnValuesOverridesTheSession() throws SdpParseException {
        SessionDescription sdp = SessionDescription.parse(SDP);
        MediaDescription audio = sdp.mediaByMid("audio").orElseThrow();
        assertThat(sdp.iceUfragFor(audio)).contains("medi");
        assertThat(sdp.icePwdFor(audio)).contains("mediapasswordmediapass");
        assertThat(sdp.iceOptionsFor(audio)).containsExactly("trickle");
        assertThat(sdp.fingerprintsFor(audio)).extracting(FingerprintAttribute::hashFunction)
                .containsExactly("sha-1", "sha-256");
        assertThat(sdp.setupFor(audio)).contains(Setup.ACTIVE);
        assertThat(sdp.directionFor(audio)).isEqualTo(Direction.INACTIVE);
        assertThat(sdp.connectionFor(audio)).contains(new Connection("IN", "IP4", "192.0.2.11"));
        assertThat(sdp.mediaByMid("video")).isEmpty();
        assertThat(sdp.bundleGroupOf("audio")).isEmpty();
        assertThat(sdp.groups()).isEqualTo(List.of());
    }
}
