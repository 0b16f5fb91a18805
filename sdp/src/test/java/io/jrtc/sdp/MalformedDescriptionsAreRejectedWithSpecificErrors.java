package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.ParseError;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of named malformed descriptions: each is a valid data channel offer with one thing broken,
 * and each must fail with its own {@link ParseError} at the right line.
 */
class MalformedDescriptionsAreRejectedWithSpecificErrors {

    /** A minimal valid offer; line numbers below refer to it. */
    private static final String VALID = String.join("\r\n",
            "v=0",                                                       // 1
            "o=- 123 2 IN IP4 127.0.0.1",                                // 2
            "s=-",                                                       // 3
            "t=0 0",                                                     // 4
            "a=group:BUNDLE 0",                                          // 5
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",          // 6
            "c=IN IP4 0.0.0.0",                                          // 7
            "a=candidate:1 1 udp 2113937151 192.0.2.1 5000 typ host",    // 8
            "a=ice-ufrag:abcd",                                          // 9
            "a=ice-pwd:abcdefghijklmnopqrstuv",                          // 10
            "a=fingerprint:sha-256 AB:CD:EF",                            // 11
            "a=setup:actpass",                                           // 12
            "a=mid:0",                                                   // 13
            "a=sctp-port:5000",                                          // 14
            "a=max-message-size:262144",                                 // 15
            "");

    private static String replace(String from, String to) {
        if (!VALID.contains(from)) {
            throw new IllegalArgumentException(from);
        }
        return VALID.replace(from, to);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty input", "", ParseError.INVALID_LENGTH, 0),
                Arguments.of("missing v=", VALID.substring("v=0\r\n".length()), ParseError.INVALID_TYPE, 1),
                Arguments.of("v=1", replace("v=0", "v=1"), ParseError.INVALID_VALUE, 1),
                Arguments.of("missing o=", replace("o=- 123 2 IN IP4 127.0.0.1\r\n", ""), ParseError.INVALID_TYPE, 2),
                Arguments.of("o= with five fields", replace("o=- 123 2 IN IP4 127.0.0.1", "o=- 123 2 IN IP4"),
                        ParseError.INVALID_LENGTH, 2),
                Arguments.of("o= version not a number", replace("o=- 123 2 ", "o=- 123 two "),
                        ParseError.INVALID_VALUE, 2),
                Arguments.of("missing s=", replace("s=-\r\n", ""), ParseError.INVALID_TYPE, 3),
                Arguments.of("missing t=", replace("t=0 0\r\n", ""), ParseError.INVALID_TYPE, 4),
                Arguments.of("t= not numeric", replace("t=0 0", "t=0 never"), ParseError.INVALID_VALUE, 4),
                Arguments.of("o= repeated", replace("s=-", "o=- 1 1 IN IP4 0.0.0.0\r\ns=-"), ParseError.INVALID_TYPE, 3),
                Arguments.of("lines out of order", replace("s=-\r\nt=0 0", "t=0 0\r\ns=-"), ParseError.INVALID_TYPE, 3),
                Arguments.of("unknown line type", replace("t=0 0", "t=0 0\r\nx=1"), ParseError.INVALID_TYPE, 5),
                Arguments.of("r= without t=", replace("s=-", "s=-\r\nr=7d 1h 0 25h"), ParseError.INVALID_TYPE, 4),
                Arguments.of("t= inside media", replace("c=IN IP4 0.0.0.0", "t=0 0"), ParseError.INVALID_TYPE, 7),
                Arguments.of("c= twice in media", replace("c=IN IP4 0.0.0.0", "c=IN IP4 0.0.0.0\r\nc=IN IP4 0.0.0.0"),
                        ParseError.INVALID_TYPE, 8),
                Arguments.of("c= after a=", replace("a=mid:0", "a=mid:0\r\nc=IN IP4 0.0.0.0"), ParseError.INVALID_TYPE,
                        14),
                Arguments.of("c= with two fields", replace("c=IN IP4 0.0.0.0", "c=IN IP4"), ParseError.INVALID_LENGTH,
                        7),
                Arguments.of("line without =", replace("s=-", "s-"), ParseError.INVALID_VALUE, 3),
                Arguments.of("upper-case type", replace("s=-", "S=-"), ParseError.INVALID_VALUE, 3),
                Arguments.of("empty line inside", replace("s=-\r\n", "s=-\r\n\r\n"), ParseError.INVALID_VALUE, 4),
                Arguments.of("stray CR inside a line", replace("s=-", "s=a\rb"), ParseError.INVALID_VALUE, 3),
                Arguments.of("NUL inside a line", replace("s=-", "s=a\0b"), ParseError.INVALID_VALUE, 3),
                Arguments.of("m= port not a number", replace("m=application 9 ", "m=application nine "),
                        ParseError.INVALID_VALUE, 6),
                Arguments.of("m= port over 65535", replace("m=application 9 ", "m=application 65536 "),
                        ParseError.INVALID_VALUE, 6),
                Arguments.of("m= port count 0", replace("m=application 9 ", "m=application 9/0 "),
                        ParseError.INVALID_VALUE, 6),
                Arguments.of("m= without format", replace(" webrtc-datachannel", ""), ParseError.INVALID_LENGTH, 6),
                Arguments.of("m= bad proto", replace("UDP/DTLS/SCTP", "UDP//SCTP"), ParseError.INVALID_VALUE, 6),
                Arguments.of("m= before t=", replace("t=0 0\r\na=group:BUNDLE 0\r\n", ""), ParseError.INVALID_TYPE, 4),
                Arguments.of("bad candidate priority", replace("udp 2113937151", "udp 99999999999"),
                        ParseError.INVALID_VALUE, 8),
                Arguments.of("candidate without type", replace(" typ host", ""), ParseError.INVALID_LENGTH, 8),
                Arguments.of("ice-ufrag with a space", replace("ice-ufrag:abcd", "ice-ufrag:ab cd"),
                        ParseError.INVALID_VALUE, 9),
                Arguments.of("ice-pwd missing value", replace("a=ice-pwd:abcdefghijklmnopqrstuv", "a=ice-pwd"),
                        ParseError.INVALID_LENGTH, 10),
                Arguments.of("fingerprint not hex", replace("AB:CD:EF", "AB:CD:EG"), ParseError.INVALID_VALUE, 11),
                Arguments.of("fingerprint without hash", replace("sha-256 AB:CD:EF", "AB:CD:EF"),
                        ParseError.INVALID_LENGTH, 11),
                Arguments.of("unknown setup role", replace("setup:actpass", "setup:both"), ParseError.INVALID_VALUE, 12),
                Arguments.of("empty mid", replace("a=mid:0", "a=mid:"), ParseError.INVALID_VALUE, 13),
                Arguments.of("non-numeric sctp-port", replace("sctp-port:5000", "sctp-port:five"),
                        ParseError.INVALID_VALUE, 14),
                Arguments.of("sctp-port over 65535", replace("sctp-port:5000", "sctp-port:65536"),
                        ParseError.INVALID_VALUE, 14),
                Arguments.of("negative max-message-size", replace("max-message-size:262144", "max-message-size:-1"),
                        ParseError.INVALID_VALUE, 15),
                Arguments.of("group with double space", replace("BUNDLE 0", "BUNDLE  0"), ParseError.INVALID_VALUE, 5),
                Arguments.of("attribute without name", replace("a=mid:0", "a=:0"), ParseError.INVALID_VALUE, 13),
                Arguments.of("rtpmap payload type 128", replace("a=mid:0", "a=rtpmap:128 opus/48000/2"),
                        ParseError.INVALID_VALUE, 13),
                Arguments.of("rtpmap without clock rate", replace("a=mid:0", "a=rtpmap:111 opus"),
                        ParseError.INVALID_LENGTH, 13),
                Arguments.of("extmap id 0", replace("a=mid:0", "a=extmap:0 urn:x"), ParseError.INVALID_VALUE, 13),
                Arguments.of("ssrc over 32 bits", replace("a=mid:0", "a=ssrc:4294967296 cname:x"),
                        ParseError.INVALID_VALUE, 13),
                Arguments.of("rtcp-fb without type", replace("a=mid:0", "a=rtcp-fb:96"), ParseError.INVALID_LENGTH,
                        13),
                Arguments.of("msid with three fields", replace("a=mid:0", "a=msid:a b c"), ParseError.INVALID_LENGTH,
                        13),
                Arguments.of("b= without colon", replace("c=IN IP4 0.0.0.0", "c=IN IP4 0.0.0.0\r\nb=AS"),
                        ParseError.INVALID_LENGTH, 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithItsError(String name, String text, ParseError expected, int line) {
        assertThatThrownBy(() -> SessionDescription.parse(text))
                .isInstanceOfSatisfying(SdpParseException.class, e -> {
                    assertThat(e.error()).as(e.getMessage()).isEqualTo(expected);
                    assertThat(e.lineNumber()).as(e.getMessage()).isEqualTo(line);
                    if (line > 0) {
                        assertThat(e.getMessage()).contains("line " + line);
                    }
                });
    }

    @Test
    void theUnbrokenBaseOfferParses() throws SdpParseException {
        // guards the table itself: the base text is valid, so each failure comes from its one change
        SessionDescription sdp = SessionDescription.parse(VALID);
        assertThat(sdp.media()).hasSize(1);
        assertThat(sdp.serialize()).isEqualTo(VALID);
    }
}
