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

/** The RFC 8839 section 5.1 candidate grammar: every type, every form, and named malformed inputs. */
class CandidateParsesEveryTypeAndRejectsMalformed {

    @Test
    void rfc8839ExamplesParse() throws SdpParseException {
        // RFC 8839 section 5.1 example (host, IPv4) and RFC 8445-style srflx with related address
        Candidate host = Candidate.parse("candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host");
        assertThat(host).isEqualTo(Candidate.host("1", 1, "UDP", 2130706431L, "203.0.113.141", 8998));
        Candidate srflx = Candidate.parse(
                "candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998");
        assertThat(srflx.type()).isEqualTo(CandidateType.SRFLX);
        assertThat(srflx.relatedAddress()).isEqualTo("203.0.113.141");
        assertThat(srflx.relatedPort()).isEqualTo(8998);
        assertThat(srflx.toString())
                .isEqualTo("candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998");
    }

    static Stream<String> valid() {
        return Stream.of(
                "candidate:842163049 1 udp 1677729535 198.51.100.7 54321 typ srflx raddr 10.0.0.2 rport 50000"
                        + " generation 0 ufrag EsAw network-cost 999",
                "candidate:3 1 udp 1853824767 198.51.100.9 61000 typ prflx raddr 10.0.0.2 rport 50000",
                "candidate:4 1 udp 41885439 203.0.113.5 3478 typ relay raddr 198.51.100.7 rport 54321",
                "candidate:5 2 udp 2122260222 2001:db8::1 50001 typ host generation 0 network-id 2",
                "candidate:6 1 udp 2122262783 fe80::1%eth0 50002 typ host",
                "candidate:7 1 udp 2122262783 ::ffff:192.0.2.1 50003 typ host",
                "candidate:8 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0",
                "candidate:9 1 TCP 1518280446 192.0.2.1 50004 typ host tcptype passive",
                "candidate:10 1 tcp 1518280445 192.0.2.1 50005 typ host tcptype so",
                "candidate:abc+/XYZ 1 udp 2113937151 4f2a1e6c-9d0b-4c3e-8f7a-0b1c2d3e4f50.local 56789 typ host",
                "candidate:11 1 udp 4294967295 host.example.com 1 typ host",
                "candidate:12 256 udp 0 192.0.2.1 0 typ host");
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validCandidatesRoundTripInEveryForm(String text) throws SdpParseException {
        Candidate c = Candidate.parse(text);
        assertThat(c.toString()).isEqualTo(text);
        String value = text.substring("candidate:".length());
        assertThat(c.toAttributeValue()).isEqualTo(value);
        assertThat(Candidate.parse(value)).isEqualTo(c);
        assertThat(Candidate.parse("a=" + text)).isEqualTo(c);
        assertThat(Candidate.parse(text + "\r\n")).as("trailing line end ignored").isEqualTo(c);
        assertThat(c.toAttribute()).isEqualTo(Attribute.of("candidate", value));
    }

    @Test
    void typedFieldsOfEachKind() throws SdpParseException {
        List<Candidate> cs = valid().map(t -> {
            try {
                return Candidate.parse(t);
            } catch (SdpParseException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(cs).extracting(Candidate::type).contains(CandidateType.HOST, CandidateType.SRFLX,
                CandidateType.PRFLX, CandidateType.RELAY);
        assertThat(cs.get(3).isIpv6()).isTrue();
        assertThat(cs.get(3).component()).isEqualTo(2);
        assertThat(cs.get(6).tcpType()).isEqualTo(TcpType.ACTIVE);
        assertThat(cs.get(7).isTcp()).as("case-insensitive").isTrue();
        assertThat(cs.get(8).tcpType()).isEqualTo(TcpType.SO);
        assertThat(cs.get(9).isMdns()).isTrue();
        assertThat(cs.get(9).foundation()).isEqualTo("abc+/XYZ");
        assertThat(cs.get(10).priority()).isEqualTo(Candidate.MAX_PRIORITY);
        assertThat(cs.get(10).isMdns()).isFalse();
        assertThat(cs.get(10).isHostName()).isTrue();
        assertThat(cs.get(0).ufrag()).contains("EsAw");
        assertThat(cs.get(0).extensions()).extracting(Candidate.Extension::name)
                .containsExactly("generation", "ufrag", "network-cost");
    }

    @Test
    void canonicalOrderPutsRelatedAndTcptypeFirst() throws SdpParseException {
        Candidate c = Candidate.parse("candidate:1 1 tcp 5 192.0.2.1 9 typ host generation 0 tcptype active");
        assertThat(c.toAttributeValue()).isEqualTo("1 1 tcp 5 192.0.2.1 9 typ host tcptype active generation 0");
    }

    @Test
    void withersBuildWhatTheyClaim() {
        Candidate c = Candidate.host("f1", 1, "udp", 100, "10.0.0.1", 5000)
                .withType(CandidateType.SRFLX).withRelated("10.0.0.2", 6000).withExtension("generation", "0")
                .withExtension("ufrag", "abcd").withExtension("generation", "1");
        assertThat(c.toString())
                .isEqualTo("candidate:f1 1 udp 100 10.0.0.1 5000 typ srflx raddr 10.0.0.2 rport 6000 generation 1"
                        + " ufrag abcd");
        assertThat(c.withAddress("x.local").isMdns()).isTrue();
        assertThat(c.withTcpType(TcpType.PASSIVE).tcpType()).isEqualTo(TcpType.PASSIVE);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", "", ParseError.INVALID_LENGTH),
                Arguments.of("prefix only", "candidate:", ParseError.INVALID_LENGTH),
                Arguments.of("no type", "candidate:1 1 udp 1 192.0.2.1 5000", ParseError.INVALID_LENGTH),
                Arguments.of("typ without value", "candidate:1 1 udp 1 192.0.2.1 5000 typ", ParseError.INVALID_LENGTH),
                Arguments.of("priority not a number", "candidate:1 1 udp high 192.0.2.1 5000 typ host",
                        ParseError.INVALID_VALUE),
                Arguments.of("priority over 2^32-1", "candidate:1 1 udp 4294967296 192.0.2.1 5000 typ host",
                        ParseError.INVALID_VALUE),
                Arguments.of("priority negative", "candidate:1 1 udp -1 192.0.2.1 5000 typ host",
                        ParseError.INVALID_VALUE),
                Arguments.of("component 0", "candidate:1 0 udp 1 192.0.2.1 5000 typ host", ParseError.INVALID_VALUE),
                Arguments.of("component 257", "candidate:1 257 udp 1 192.0.2.1 5000 typ host",
                        ParseError.INVALID_VALUE),
                Arguments.of("foundation too long", "candidate:" + "a".repeat(33) + " 1 udp 1 192.0.2.1 5000 typ host",
                        ParseError.INVALID_VALUE),
                Arguments.of("foundation bad char", "candidate:a-b 1 udp 1 192.0.2.1 5000 typ host",
                        ParseError.INVALID_VALUE),
                Arguments.of("port over 65535", "candidate:1 1 udp 1 192.0.2.1 65536 typ host",
                        ParseError.INVALID_VALUE),
                Arguments.of("bad IPv4", "candidate:1 1 udp 1 192.0.2.256 5000 typ host", ParseError.INVALID_VALUE),
                Arguments.of("bad IPv6", "candidate:1 1 udp 1 2001:db8:::1 5000 typ host", ParseError.INVALID_VALUE),
                Arguments.of("bad host name", "candidate:1 1 udp 1 bad..local 5000 typ host",
                        ParseError.INVALID_VALUE),
                Arguments.of("missing typ keyword", "candidate:1 1 udp 1 192.0.2.1 5000 type host",
                        ParseError.INVALID_VALUE),
                Arguments.of("unknown type", "candidate:1 1 udp 1 192.0.2.1 5000 typ peer", ParseError.INVALID_VALUE),
                Arguments.of("unknown tcptype", "candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype both",
                        ParseError.INVALID_VALUE),
                Arguments.of("bad raddr", "candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr 1.2.3 rport 1",
                        ParseError.INVALID_VALUE),
                Arguments.of("bad rport", "candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr 1.2.3.4 rport x",
                        ParseError.INVALID_VALUE),
                Arguments.of("raddr twice",
                        "candidate:1 1 udp 1 192.0.2.1 5000 typ srflx raddr 1.2.3.4 raddr 1.2.3.4",
                        ParseError.INVALID_VALUE),
                Arguments.of("extension without value", "candidate:1 1 udp 1 192.0.2.1 5000 typ host generation",
                        ParseError.INVALID_LENGTH),
                Arguments.of("double space", "candidate:1 1  udp 1 192.0.2.1 5000 typ host", ParseError.INVALID_VALUE),
                Arguments.of("transport not a token", "candidate:1 1 u\"dp 1 192.0.2.1 5000 typ host",
                        ParseError.INVALID_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedCandidateGivesItsError(String name, String text, ParseError expected) {
        assertThatThrownBy(() -> Candidate.parse(text)).isInstanceOfSatisfying(SdpParseException.class, e -> {
            assertThat(e.error()).isEqualTo(expected);
            assertThat(e.lineNumber()).isZero();
            assertThat(e.line()).isEqualTo(text);
        });
    }

    @Test
    void constructorRejectsMisuseAtOnce() {
        assertThatThrownBy(() -> Candidate.host("1", 1, "udp", 1L << 32, "192.0.2.1", 1))
                .isInstanceOf(InvalidSdpException.class).hasMessageContaining("priority");
        assertThatThrownBy(() -> Candidate.host("1", 1, "udp", 1, "192.0.2.1", 70000))
                .isInstanceOf(InvalidSdpException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> new Candidate.Extension("raddr", "1.2.3.4")).isInstanceOf(InvalidSdpException.class);
        assertThatThrownBy(() -> new Attribute("candidate", "1 1 udp 1 192.0.2.1 5000 typ peer"))
                .isInstanceOfSatisfying(InvalidSdpException.class,
                        e -> assertThat(e.error()).isEqualTo(ParseError.INVALID_VALUE));
    }
}
