package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real capture parses and serialises back to the same bytes; LF-only input normalises to CRLF. */
class CapturedOffersAndAnswersRoundTripByteExact {

    static Stream<String> captures() {
        return Captures.SDP_FILES.stream();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void serialisesBackToTheCapturedBytes(String file) throws SdpParseException {
        String original = Captures.text(file);
        SessionDescription sdp = SessionDescription.parse(original);
        assertThat(sdp.serialize().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(original.getBytes(StandardCharsets.UTF_8));
        assertThat(sdp.toString()).isEqualTo(original);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyMediaSectionSerialisesToItsOwnSlice(String file) throws SdpParseException {
        String original = Captures.text(file);
        SessionDescription sdp = SessionDescription.parse(original);
        assertThat(sdp.media()).isNotEmpty();
        int from = 0;
        for (MediaDescription m : sdp.media()) {
            String section = m.toString();
            int at = original.indexOf(section, from);
            assertThat(at).as("m-section %s found in order", m.mid()).isGreaterThanOrEqualTo(from);
            from = at + section.length();
        }
        assertThat(from).isEqualTo(original.length());
    }

    @ParameterizedTest
    @MethodSource("captures")
    void lfOnlyInputParsesToTheSameValueAndSerialisesWithCrlf(String file) throws SdpParseException {
        String original = Captures.text(file);
        String lf = original.replace("\r\n", "\n");
        assertThat(lf).doesNotContain("\r");
        SessionDescription fromLf = SessionDescription.parse(lf);
        assertThat(fromLf).isEqualTo(SessionDescription.parse(original));
        assertThat(fromLf.serialize()).isEqualTo(original);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void reparsingTheSerialisedFormGivesAnEqualValue(String file) throws SdpParseException {
        SessionDescription sdp = Captures.parse(file);
        SessionDescription again = SessionDescription.parse(sdp.serialize());
        assertThat(again).isEqualTo(sdp).hasSameHashCodeAs(sdp);
    }

    @Test
    void missingFinalLineEndIsAccepted() throws SdpParseException {
        String original = Captures.text("chromium156-offer-datachannel.sdp");
        String cut = original.substring(0, original.length() - 2);
        assertThat(SessionDescription.parse(cut).serialize()).isEqualTo(original);
    }
}
