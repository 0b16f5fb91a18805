package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for the SDP parser. Contract: any text either parses or fails with {@link SdpParseException}
 * (naming a line and a {@link ParseError}); what parses serialises and re-parses to an equal value, and the
 * serialisation is a fixed point. Each line is also fed to {@link Candidate#parse}, the path trickled candidates
 * take.
 *
 * <p>Runs over its seed corpus (real Chromium and werift captures) in every build; {@code JAZZER_FUZZ=1} mutates
 * from it (see SECURITY.md).
 */
class FuzzedSdpParsesOrFailsWithSdpParseException {

    @FuzzTest(maxDuration = "30s")
    void sdpText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(text);
        } catch (SdpParseException e) {
            assertThat(e.error()).isNotNull();
            assertThat(e.lineNumber()).isGreaterThanOrEqualTo(0);
            sdp = null;
        }
        if (sdp != null) {
            String out = sdp.serialize();
            SessionDescription again = parseOrFail(out);
            assertThat(again).isEqualTo(sdp);
            assertThat(again.serialize()).isEqualTo(out);
            for (MediaDescription m : sdp.media()) {
                m.candidates();
                m.codecs();
                m.extMaps();
                m.ssrcs();
                m.msids();
            }
        }
        for (String line : text.split("\r?\n", 64)) {
            Candidate c;
            try {
                c = Candidate.parse(line);
            } catch (SdpParseException e) {
                continue;
            }
            assertThat(parseCandidateOrFail(c.toString())).isEqualTo(c);
        }
    }

    private static SessionDescription parseOrFail(String text) {
        try {
            return SessionDescription.parse(text);
        } catch (SdpParseException e) {
            throw new AssertionError("serialised description does not re-parse: " + e.getMessage() + "\n" + text, e);
        }
    }

    private static Candidate parseCandidateOrFail(String text) {
        try {
            return Candidate.parse(text);
        } catch (SdpParseException e) {
            throw new AssertionError("serialised candidate does not re-parse: " + text, e);
        }
    }
}
