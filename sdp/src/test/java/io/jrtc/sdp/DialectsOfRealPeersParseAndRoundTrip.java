package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What stacks other than the browsers write: ice-lite at session level, no trickle, setup active or passive in an
 * offer, IPv6, FQDN and mDNS candidates, lower- and upper-case fingerprint hex, several fingerprints at session
 * and media level. Each parses to the values that apply and round-trips byte for byte, from CRLF and bare LF.
 */
class DialectsOfRealPeersParseAndRoundTrip {

    static final String SHA256_UPPER =
            "5B:76:8D:2C:45:19:85:5A:E1:55:7B:9E:C7:2E:20:4C:56:3F:58:91:6A:1C:0A:0B:9F:16:2E:5A:34:C1:F0:8B";

    /** An ice-lite server (the shape of Janus/mediasoup style gateways): no trickle, all candidates, setup:passive. */
    static final String LITE = String.join("\r\n",
            "v=0",
            "o=- 1 1 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=ice-lite",
            "a=fingerprint:sha-1 0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9:0a:1b:2c:3d",
            "a=fingerprint:sha-256 " + SHA256_UPPER.toLowerCase(),
            "a=group:BUNDLE 0",
            "m=application 40000 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP6 ::1",
            "a=mid:0",
            "a=ice-ufrag:lite",
            "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=setup:passive",
            "a=sctp-port:5000",
            "a=candidate:1 1 udp 2130706431 ::1 40000 typ host",
            "a=candidate:2 1 udp 2130706175 2001:db8::7 40000 typ host",
            "a=candidate:3 1 udp 2130705919 gw.example.test 40000 typ host",
            "a=candidate:4 1 udp 2130705663 0c7bd2a3-4b47-4a4c-8a1e-6f1d7f3a9b21.local 40001 typ host",
            "");

    @Test
    void iceLiteNonTrickleOfferExposesEveryValue() throws SdpParseException {
        SessionDescription d = SessionDescription.parse(LITE);
        MediaDescription m = d.media().get(0);
        assertThat(d.iceLite()).isTrue();
        assertThat(d.iceOptionsFor(m)).as("no trickle").doesNotContain("trickle");
        assertThat(m.endOfCandidates()).isFalse();
        assertThat(d.setupFor(m)).contains(Setup.PASSIVE);
        assertThat(Setup.answerFor(Setup.PASSIVE)).isEqualTo(Setup.ACTIVE);
        assertThat(Setup.answerFor(Setup.ACTIVE)).isEqualTo(Setup.PASSIVE);
        assertThat(m.connection()).isEqualTo(new Connection("IN", "IP6", "::1"));
        List<Candidate> cs = m.candidates();
        assertThat(cs).extracting(Candidate::address)
                .containsExactly("::1", "2001:db8::7", "gw.example.test", "0c7bd2a3-4b47-4a4c-8a1e-6f1d7f3a9b21.local");
        assertThat(cs).extracting(Candidate::isMdns).containsExactly(false, false, false, true);
        List<FingerprintAttribute> fps = d.fingerprintsFor(m);
        assertThat(fps).extracting(FingerprintAttribute::normalizedHashFunction).containsExactly("sha-1", "sha-256");
        assertThat(fps.get(1).matches(new FingerprintAttribute("SHA-256", SHA256_UPPER)))
                .as("hex case is ignored when comparing").isTrue();
    }

    @Test
    void iceLiteOfferRoundTripsFromCrlfAndLf() throws SdpParseException {
        assertThat(SessionDescription.parse(LITE).serialize()).isEqualTo(LITE);
        assertThat(SessionDescription.parse(LITE.replace("\r\n", "\n")).serialize()).isEqualTo(LITE);
    }

    @Test
    void mediaLevelFingerprintsReplaceSessionLevelOnes() throws SdpParseException {
        String both = LITE.replace("a=setup:passive\r\n", "a=setup:active\r\na=fingerprint:sha-512 "
                + "AA:".repeat(63) + "aa\r\na=fingerprint:SHA-256 " + SHA256_UPPER + "\r\n");
        SessionDescription d = SessionDescription.parse(both);
        MediaDescription m = d.media().get(0);
        assertThat(d.fingerprints()).hasSize(2);
        assertThat(d.fingerprintsFor(m)).extracting(FingerprintAttribute::hashFunction).containsExactly("sha-512", "SHA-256");
        assertThat(d.setupFor(m)).contains(Setup.ACTIVE);
        assertThat(d.serialize()).isEqualTo(both);
    }
}
