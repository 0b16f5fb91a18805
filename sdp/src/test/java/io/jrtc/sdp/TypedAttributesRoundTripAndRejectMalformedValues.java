package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.ParseError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each typed attribute parses its RFC grammar, writes the same text back, and names what is wrong. */
class TypedAttributesRoundTripAndRejectMalformedValues {

    interface Parser {
        TypedAttribute parse(String value) throws SdpParseException;
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("rtpmap", (Parser) RtpMap::parse, "111 opus/48000/2", new RtpMap(111, "opus", 48000, 2)),
                Arguments.of("rtpmap", (Parser) RtpMap::parse, "96 VP8/90000", new RtpMap(96, "VP8", 90000, 0)),
                Arguments.of("fmtp", (Parser) Fmtp::parse, "102 level-asymmetry-allowed=1;packetization-mode=1",
                        new Fmtp("102", "level-asymmetry-allowed=1;packetization-mode=1")),
                Arguments.of("fmtp", (Parser) Fmtp::parse, "96", new Fmtp("96", "")),
                Arguments.of("rtcp-fb", (Parser) RtcpFb::parse, "96 nack pli", new RtcpFb(96, "nack", "pli")),
                Arguments.of("rtcp-fb", (Parser) RtcpFb::parse, "* trr-int 100", new RtcpFb(-1, "trr-int", "100")),
                Arguments.of("extmap", (Parser) ExtMap::parse, "3/sendonly urn:x:y attr1 attr2",
                        new ExtMap(3, Direction.SENDONLY, "urn:x:y", "attr1 attr2")),
                Arguments.of("extmap", (Parser) ExtMap::parse, "4096 urn:x", new ExtMap(4096, null, "urn:x", null)),
                Arguments.of("ssrc", (Parser) Ssrc::parse, "4294967295 msid:s t", new Ssrc(0xFFFF_FFFFL, "msid", "s t")),
                Arguments.of("ssrc-group", (Parser) SsrcGroup::parse, "FID 1 2", new SsrcGroup("FID", List.of(1L, 2L))),
                Arguments.of("msid", (Parser) Msid::parse, "stream", new Msid("stream", null)),
                Arguments.of("group", (Parser) Group::parse, "BUNDLE", new Group("BUNDLE", List.of())),
                Arguments.of("group", (Parser) Group::parse, "LS a b", new Group("LS", List.of("a", "b"))),
                Arguments.of("fingerprint", (Parser) FingerprintAttribute::parse, "sha-1 0a:1B",
                        new FingerprintAttribute("sha-1", "0a:1B")),
                Arguments.of("setup", (Parser) Setup::parse, "holdconn", Setup.HOLDCONN));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("valid")
    void parsesAndWritesTheSameText(String name, Parser parser, String value, TypedAttribute expected)
            throws SdpParseException {
        TypedAttribute parsed = parser.parse(value);
        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.attributeName()).isEqualTo(name);
        assertThat(parsed.toAttributeValue()).isEqualTo(value);
        assertThat(parsed.toAttribute()).isEqualTo(new Attribute(name, value));
        assertThat(Attribute.parse("a=" + name + ":" + value)).isEqualTo(parsed.toAttribute());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("rtpmap: three fields", (Parser) RtpMap::parse, "111 opus/48000/2 x",
                        ParseError.INVALID_LENGTH),
                Arguments.of("rtpmap: clock 0", (Parser) RtpMap::parse, "111 opus/0", ParseError.INVALID_VALUE),
                Arguments.of("rtpmap: channels x", (Parser) RtpMap::parse, "111 opus/48000/x", ParseError.INVALID_VALUE),
                Arguments.of("rtpmap: name empty", (Parser) RtpMap::parse, "111 /48000", ParseError.INVALID_VALUE),
                Arguments.of("fmtp: format not a token", (Parser) Fmtp::parse, "9\"6 a=b", ParseError.INVALID_VALUE),
                Arguments.of("rtcp-fb: pt 128", (Parser) RtcpFb::parse, "128 nack", ParseError.INVALID_VALUE),
                Arguments.of("rtcp-fb: empty parameter", (Parser) RtcpFb::parse, "96 nack ", ParseError.INVALID_VALUE),
                Arguments.of("extmap: id 256", (Parser) ExtMap::parse, "256 urn:x", ParseError.INVALID_VALUE),
                Arguments.of("extmap: bad direction", (Parser) ExtMap::parse, "1/both urn:x", ParseError.INVALID_VALUE),
                Arguments.of("extmap: no uri", (Parser) ExtMap::parse, "1", ParseError.INVALID_LENGTH),
                Arguments.of("ssrc: not a number", (Parser) Ssrc::parse, "abc cname:x", ParseError.INVALID_VALUE),
                Arguments.of("ssrc: no attribute", (Parser) Ssrc::parse, "1", ParseError.INVALID_LENGTH),
                Arguments.of("ssrc-group: bad ssrc", (Parser) SsrcGroup::parse, "FID 1 -2", ParseError.INVALID_VALUE),
                Arguments.of("msid: non-token", (Parser) Msid::parse, "a\"b", ParseError.INVALID_VALUE),
                Arguments.of("group: empty", (Parser) Group::parse, "", ParseError.INVALID_VALUE),
                Arguments.of("fingerprint: odd hex", (Parser) FingerprintAttribute::parse, "sha-256 A:BC",
                        ParseError.INVALID_VALUE),
                Arguments.of("fingerprint: trailing colon", (Parser) FingerprintAttribute::parse, "sha-256 AB:",
                        ParseError.INVALID_VALUE),
                Arguments.of("setup: unknown", (Parser) Setup::parse, "client", ParseError.INVALID_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedValueGivesItsError(String name, Parser parser, String value, ParseError expected) {
        assertThatThrownBy(() -> parser.parse(value)).isInstanceOfSatisfying(SdpParseException.class,
                e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(expected));
    }

    @Test
    void fmtpParameterMapReadsCommonForms() throws SdpParseException {
        assertThat(Fmtp.parse("111 minptime=10; useinbandfec=1;;stereo").parameterMap())
                .containsExactly(java.util.Map.entry("minptime", "10"), java.util.Map.entry("useinbandfec", "1"),
                        java.util.Map.entry("stereo", ""));
        assertThat(Fmtp.parse("101 0-15").parameterMap()).containsOnlyKeys("0-15");
        assertThat(Fmtp.parse("97 apt=96").parameter("apt")).contains("96");
        assertThat(Fmtp.parse("webrtc-datachannel max-message-size=100").payloadType()).isEqualTo(-1);
    }

    @Test
    void fingerprintBytesAndMatching() throws SdpParseException {
        FingerprintAttribute upper = FingerprintAttribute.parse("SHA-256 0A:FF");
        FingerprintAttribute lower = FingerprintAttribute.parse("sha-256 0a:ff");
        assertThat(upper.bytes()).containsExactly(0x0A, 0xFF);
        assertThat(upper.matches(lower)).isTrue();
        assertThat(upper).isNotEqualTo(lower);
        assertThat(upper.normalizedHashFunction()).isEqualTo("sha-256");
    }
}
