package io.jrtc.mesh.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The offer's marks (low priority, relay attempt): appended as the last line, found on any line ending, removed
 * exactly.
 */
class LowPriorityMarkIsAddedReadAndRemoved {

    private static final String SDP = "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=sctp-port:5000\r\n";

    @Test
    void markedOffersAreRecognisedAndRestoredByteForByte() {
        String marked = Negotiation.markLow(SDP);
        assertThat(marked).isEqualTo(SDP + "a=jrtc-mesh-dial:low\r\n");
        assertThat(Negotiation.isLow(marked)).isTrue();
        assertThat(Negotiation.unmark(marked)).isEqualTo(SDP);
        // a description without a final line break, and one with bare line feeds
        String bare = SDP.substring(0, SDP.length() - 2);
        assertThat(Negotiation.unmark(Negotiation.markLow(bare))).isEqualTo(bare + "\r\n");
        String lf = SDP.replace("\r\n", "\n");
        assertThat(Negotiation.isLow(lf + "a=jrtc-mesh-dial:low\n")).isTrue();
        assertThat(Negotiation.unmark(lf + "a=jrtc-mesh-dial:low\n")).isEqualTo(lf);
    }

    @Test
    void unmarkedOrLookAlikeOffersAreNotLow() {
        assertThat(Negotiation.isLow(SDP)).isFalse();
        assertThat(Negotiation.unmark(SDP)).isSameAs(SDP);
        String other = SDP + "a=jrtc-mesh-dial:lowish\r\n";
        assertThat(Negotiation.isLow(other)).isFalse();
        assertThat(Negotiation.unmark(other)).isEqualTo(other);
    }

    @Test
    void aRelayAttemptIsMarkedAndBothMarksComeOff() {
        String relay = Negotiation.mark(SDP, Negotiation.RELAY_ATTEMPT_LINE);
        assertThat(relay).isEqualTo(SDP + "a=jrtc-mesh-path:relay\r\n");
        assertThat(Negotiation.has(relay, Negotiation.RELAY_ATTEMPT_LINE)).isTrue();
        assertThat(Negotiation.has(SDP, Negotiation.RELAY_ATTEMPT_LINE)).isFalse();
        String both = Negotiation.markLow(relay);
        assertThat(Negotiation.isLow(both)).isTrue();
        assertThat(Negotiation.unmark(both)).isEqualTo(SDP);
    }
}
