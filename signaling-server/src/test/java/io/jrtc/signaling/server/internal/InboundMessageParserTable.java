package io.jrtc.signaling.server.internal;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server's message parser: each message type of protocol version 1 parses into its record, and a table
 * of named malformed inputs each fails with its specific {@link ParseError}.
 */
class InboundMessageParserTable {

    @Test
    void registerWithAndWithoutToken() throws Exception {
        assertThat(InboundMessage.parse("{\"type\":\"register\",\"agent_id\":\"a1\",\"token\":\"t\"}"))
                .isEqualTo(new InboundMessage.Register("a1", "t", null));
        assertThat(InboundMessage.parse("{\"type\":\"register\",\"agent_id\":\"a1\",\"id\":42}"))
                .isEqualTo(new InboundMessage.Register("a1", null, "42"));
    }

    @Test
    void offerAnswerCandidateBye() throws Exception {
        InboundMessage.Offer o = (InboundMessage.Offer) InboundMessage.parse(
                "{\"type\":\"offer\",\"to\":\"b\",\"sdp\":\"v=0\\r\\n\"}");
        assertThat(o.to()).isEqualTo("b");
        assertThat(o.sdp()).isEqualTo("v=0\r\n");
        assertThat(o.type()).isEqualTo("offer");
        InboundMessage.Answer a = (InboundMessage.Answer) InboundMessage.parse(
                "{\"type\":\"answer\",\"to\":\"b\",\"sdp\":\"\"}");
        assertThat(a.sdp()).isEmpty();
        InboundMessage.Candidate c = (InboundMessage.Candidate) InboundMessage.parse(
                "{\"type\":\"candidate\",\"to\":\"b\",\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\","
                        + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"abcd\"}");
        assertThat(c.sdpMid()).isEqualTo("0");
        assertThat(c.sdpMLineIndex()).isZero();
        assertThat(c.isEndOfCandidates()).isFalse();
        assertThat(c.body().get("usernameFragment").asText()).as("extra fields are kept").isEqualTo("abcd");
        InboundMessage.Candidate eoc = (InboundMessage.Candidate) InboundMessage.parse(
                "{\"type\":\"candidate\",\"to\":\"b\",\"candidate\":\"\",\"sdpMid\":null}");
        assertThat(eoc.isEndOfCandidates()).isTrue();
        assertThat(eoc.sdpMid()).isNull();
        assertThat(eoc.sdpMLineIndex()).isNull();
        assertThat(InboundMessage.parse("{\"type\":\"bye\",\"to\":\"b\"}")).isInstanceOf(InboundMessage.Bye.class);
    }

    @Test
    void linkReport() throws Exception {
        assertThat(InboundMessage.parse("{\"type\":\"link_report\",\"id\":7,\"links\":[{\"agent\":\"b\",\"mode\":\"HIGH\","
                + "\"rtt_ms\":1.5},{\"agent\":\"c\",\"mode\":\"LOW\",\"rtt_ms\":null},{\"agent\":\"d\",\"mode\":\"MEDIUM\"}]}"))
                .isEqualTo(new InboundMessage.LinkReport(java.util.List.of(
                        new InboundMessage.ReportedLink("b", "HIGH", 1.5),
                        new InboundMessage.ReportedLink("c", "LOW", null),
                        new InboundMessage.ReportedLink("d", "MEDIUM", null)), null, "7"));
        assertThat(InboundMessage.parse("{\"type\":\"link_report\",\"links\":[]}"))
                .isEqualTo(new InboundMessage.LinkReport(java.util.List.of(), null, null));
        // revision 6: the sender's NAT behaviour; null is the same as none
        assertThat(InboundMessage.parse("{\"type\":\"link_report\",\"links\":[],\"nat\":{\"status\":\"complete\","
                + "\"mapping\":\"endpoint-independent\",\"filtering\":\"address-and-port-dependent\"}}"))
                .isEqualTo(new InboundMessage.LinkReport(java.util.List.of(), new io.jrtc.signaling.protocol.Message.LinkReport.Nat(
                        "complete", "endpoint-independent", "address-and-port-dependent"), null));
        assertThat(InboundMessage.parse("{\"type\":\"link_report\",\"links\":[],\"nat\":null}"))
                .isEqualTo(new InboundMessage.LinkReport(java.util.List.of(), null, null));
    }

    @Test
    void registerWithFeaturesAndACandidatesBatch() throws Exception {
        assertThat(InboundMessage.parse("{\"type\":\"register\",\"agent_id\":\"a1\",\"features\":[\"candidates\",\"x\"]}"))
                .isEqualTo(new InboundMessage.Register("a1", null, java.util.Set.of("candidates", "x"), null));
        assertThat(InboundMessage.parse("{\"type\":\"register\",\"agent_id\":\"a1\",\"presence\":\"AQ-_z\"}"))
                .isEqualTo(new InboundMessage.Register("a1", null, java.util.Set.of(), "AQ-_z", null));
        InboundMessage.Candidates b = (InboundMessage.Candidates) InboundMessage.parse("{\"type\":\"candidates\","
                + "\"to\":\"b\",\"id\":\"q\",\"candidates\":[{\"candidate\":\"c0\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,"
                + "\"usernameFragment\":\"uf\"},{\"candidate\":\"\",\"sdpMid\":null}]}");
        assertThat(b.type()).isEqualTo("candidates");
        assertThat(b.to()).isEqualTo("b");
        assertThat(b.id()).isEqualTo("q");
        assertThat(b.elements()).hasSize(2);
        b.body().put("from", "a");
        assertThat(CandidateBatches.unroll(b.body())).containsExactly(
                "{\"type\":\"candidate\",\"to\":\"b\",\"id\":\"q\",\"from\":\"a\",\"candidate\":\"c0\",\"sdpMid\":\"0\","
                        + "\"sdpMLineIndex\":0,\"usernameFragment\":\"uf\"}",
                "{\"type\":\"candidate\",\"to\":\"b\",\"id\":\"q\",\"from\":\"a\",\"candidate\":\"\",\"sdpMid\":null}");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "{not json", ParseError.INVALID_VALUE),
                Arguments.of("empty frame", "", ParseError.INVALID_VALUE),
                Arguments.of("JSON array", "[1,2]", ParseError.INVALID_VALUE),
                Arguments.of("JSON string", "\"register\"", ParseError.INVALID_VALUE),
                Arguments.of("trailing garbage", "{\"type\":\"bye\",\"to\":\"a\"} x", ParseError.INVALID_VALUE),
                Arguments.of("duplicate key", "{\"type\":\"bye\",\"to\":\"a\",\"to\":\"b\"}", ParseError.INVALID_VALUE),
                Arguments.of("nesting too deep", "{\"type\":\"bye\",\"to\":\"a\",\"x\":" + "[".repeat(200)
                        + "]".repeat(200) + "}", ParseError.INVALID_VALUE),
                Arguments.of("missing type", "{}", ParseError.INVALID_TYPE),
                Arguments.of("null type", "{\"type\":null}", ParseError.INVALID_TYPE),
                Arguments.of("numeric type", "{\"type\":1}", ParseError.INVALID_TYPE),
                Arguments.of("unknown type", "{\"type\":\"hello\"}", ParseError.INVALID_TYPE),
                Arguments.of("server-only type", "{\"type\":\"registered\",\"agent_id\":\"a\"}", ParseError.INVALID_TYPE),
                Arguments.of("register without agent_id", "{\"type\":\"register\"}", ParseError.INVALID_LENGTH),
                Arguments.of("register numeric agent_id", "{\"type\":\"register\",\"agent_id\":5}", ParseError.INVALID_VALUE),
                Arguments.of("register numeric token", "{\"type\":\"register\",\"agent_id\":\"a\",\"token\":7}", ParseError.INVALID_VALUE),
                Arguments.of("offer without to", "{\"type\":\"offer\",\"sdp\":\"v=0\"}", ParseError.INVALID_LENGTH),
                Arguments.of("offer without sdp", "{\"type\":\"offer\",\"to\":\"a\"}", ParseError.INVALID_LENGTH),
                Arguments.of("answer with null sdp", "{\"type\":\"answer\",\"to\":\"a\",\"sdp\":null}", ParseError.INVALID_LENGTH),
                Arguments.of("answer with object sdp", "{\"type\":\"answer\",\"to\":\"a\",\"sdp\":{}}", ParseError.INVALID_VALUE),
                Arguments.of("offer with array to", "{\"type\":\"offer\",\"to\":[\"a\"],\"sdp\":\"v=0\"}", ParseError.INVALID_VALUE),
                Arguments.of("candidate without candidate", "{\"type\":\"candidate\",\"to\":\"a\"}", ParseError.INVALID_LENGTH),
                Arguments.of("candidate negative index", "{\"type\":\"candidate\",\"to\":\"a\",\"candidate\":\"c\",\"sdpMLineIndex\":-1}", ParseError.INVALID_VALUE),
                Arguments.of("candidate fractional index", "{\"type\":\"candidate\",\"to\":\"a\",\"candidate\":\"c\",\"sdpMLineIndex\":1.5}", ParseError.INVALID_VALUE),
                Arguments.of("candidate huge index", "{\"type\":\"candidate\",\"to\":\"a\",\"candidate\":\"c\",\"sdpMLineIndex\":99999999999}", ParseError.INVALID_VALUE),
                Arguments.of("candidate numeric mid", "{\"type\":\"candidate\",\"to\":\"a\",\"candidate\":\"c\",\"sdpMid\":0}", ParseError.INVALID_VALUE),
                Arguments.of("bye without to", "{\"type\":\"bye\"}", ParseError.INVALID_LENGTH),
                Arguments.of("link_report without links", "{\"type\":\"link_report\"}", ParseError.INVALID_LENGTH),
                Arguments.of("link_report links not an array", "{\"type\":\"link_report\",\"links\":{}}", ParseError.INVALID_VALUE),
                Arguments.of("link_report 65 links", "{\"type\":\"link_report\",\"links\":["
                        + String.join(",", java.util.Collections.nCopies(65, "{\"agent\":\"b\",\"mode\":\"HIGH\"}")) + "]}",
                        ParseError.INVALID_LENGTH),
                Arguments.of("link_report bad agent id", "{\"type\":\"link_report\",\"links\":[{\"agent\":\"a b\",\"mode\":\"HIGH\"}]}", ParseError.INVALID_VALUE),
                Arguments.of("link_report lower-case mode", "{\"type\":\"link_report\",\"links\":[{\"agent\":\"b\",\"mode\":\"high\"}]}", ParseError.INVALID_VALUE),
                Arguments.of("link_report without mode", "{\"type\":\"link_report\",\"links\":[{\"agent\":\"b\"}]}", ParseError.INVALID_LENGTH),
                Arguments.of("link_report negative rtt", "{\"type\":\"link_report\",\"links\":[{\"agent\":\"b\",\"mode\":\"LOW\",\"rtt_ms\":-1}]}", ParseError.INVALID_VALUE),
                Arguments.of("link_report text rtt", "{\"type\":\"link_report\",\"links\":[{\"agent\":\"b\",\"mode\":\"LOW\",\"rtt_ms\":\"1\"}]}", ParseError.INVALID_VALUE),
                Arguments.of("link_report link not an object", "{\"type\":\"link_report\",\"links\":[1]}", ParseError.INVALID_VALUE),
                Arguments.of("link_report nat not an object", "{\"type\":\"link_report\",\"links\":[],\"nat\":\"x\"}", ParseError.INVALID_VALUE),
                Arguments.of("link_report nat without filtering", "{\"type\":\"link_report\",\"links\":[],\"nat\":{\"status\":\"complete\",\"mapping\":\"unknown\"}}", ParseError.INVALID_LENGTH),
                Arguments.of("link_report nat upper case", "{\"type\":\"link_report\",\"links\":[],\"nat\":{\"status\":\"COMPLETE\",\"mapping\":\"unknown\",\"filtering\":\"unknown\"}}", ParseError.INVALID_VALUE),
                Arguments.of("link_report nat value too long", "{\"type\":\"link_report\",\"links\":[],\"nat\":{\"status\":\"complete\",\"mapping\":\"a123456789012345678901234567890123\",\"filtering\":\"unknown\"}}", ParseError.INVALID_VALUE),
                Arguments.of("link_report nat number", "{\"type\":\"link_report\",\"links\":[],\"nat\":{\"status\":1,\"mapping\":\"unknown\",\"filtering\":\"unknown\"}}", ParseError.INVALID_VALUE),
                Arguments.of("object id", "{\"type\":\"bye\",\"to\":\"a\",\"id\":{}}", ParseError.INVALID_VALUE),
                Arguments.of("overlong id", "{\"type\":\"bye\",\"to\":\"a\",\"id\":\"" + "i".repeat(65) + "\"}", ParseError.INVALID_VALUE),
                Arguments.of("presence not base64url", "{\"type\":\"register\",\"agent_id\":\"a\",\"presence\":\"a+b\"}", ParseError.INVALID_VALUE),
                Arguments.of("presence of 513 characters", "{\"type\":\"register\",\"agent_id\":\"a\",\"presence\":\""
                        + "a".repeat(513) + "\"}", ParseError.INVALID_VALUE),
                Arguments.of("features not an array", "{\"type\":\"register\",\"agent_id\":\"a\",\"features\":\"candidates\"}", ParseError.INVALID_VALUE),
                Arguments.of("features not strings", "{\"type\":\"register\",\"agent_id\":\"a\",\"features\":[1]}", ParseError.INVALID_VALUE),
                Arguments.of("17 features", "{\"type\":\"register\",\"agent_id\":\"a\",\"features\":["
                        + "\"f\",".repeat(16) + "\"f\"]}", ParseError.INVALID_VALUE),
                Arguments.of("batch without candidates", "{\"type\":\"candidates\",\"to\":\"a\"}", ParseError.INVALID_LENGTH),
                Arguments.of("batch without to", "{\"type\":\"candidates\",\"candidates\":[{\"candidate\":\"c\"}]}", ParseError.INVALID_LENGTH),
                Arguments.of("empty batch", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[]}", ParseError.INVALID_LENGTH),
                Arguments.of("batch of 65", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":["
                        + "{\"candidate\":\"c\"},".repeat(64) + "{\"candidate\":\"c\"}]}", ParseError.INVALID_LENGTH),
                Arguments.of("batch not an array", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":{\"candidate\":\"c\"}}", ParseError.INVALID_VALUE),
                Arguments.of("batch element a string", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[\"c\"]}", ParseError.INVALID_VALUE),
                Arguments.of("batch element without candidate", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[{\"sdpMid\":\"0\"}]}", ParseError.INVALID_LENGTH),
                Arguments.of("batch element bad index", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[{\"candidate\":\"c\"},{\"candidate\":\"c\",\"sdpMLineIndex\":-1}]}", ParseError.INVALID_VALUE),
                Arguments.of("batch element numeric mid", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[{\"candidate\":\"c\",\"sdpMid\":0}]}", ParseError.INVALID_VALUE),
                Arguments.of("batch element with from", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[{\"candidate\":\"c\",\"from\":\"x\"}]}", ParseError.INVALID_VALUE),
                Arguments.of("batch element with an id", "{\"type\":\"candidates\",\"to\":\"a\",\"id\":1,\"candidates\":[{\"candidate\":\"c\",\"id\":1.7}]}", ParseError.INVALID_VALUE),
                Arguments.of("batch element with to", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[{\"candidate\":\"c\",\"to\":\"x\"}]}", ParseError.INVALID_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputFailsWithItsError(String name, String input, ParseError expected) {
        assertThatThrownBy(() -> InboundMessage.parse(input))
                .isInstanceOfSatisfying(ParseException.class, e -> assertThat(e.error()).isEqualTo(expected));
    }
}
