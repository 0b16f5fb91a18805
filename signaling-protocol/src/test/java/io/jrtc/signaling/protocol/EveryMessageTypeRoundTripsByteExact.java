package io.jrtc.signaling.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message type of every revision (1 to 5) as the protocol README and the client's and server's tests write it:
 * encoded byte for byte and decoded back to an equal record; unknown fields and unknown types carried through; a
 * table of malformed frames each failing with its ParseError.
 */
class EveryMessageTypeRoundTripsByteExact {

    private static final Map<String, JsonNode> NONE = Map.of();

    static Stream<Arguments> vectors() {
        Message.RateLimit budget = new Message.RateLimit(100, 400, 1000, 65536);
        return Stream.of(
                // revision 1
                Arguments.of(new Message.Register("a1", "tok", List.of(), null, NONE),
                        "{\"type\":\"register\",\"agent_id\":\"a1\",\"token\":\"tok\"}"),
                Arguments.of(new Message.Register("a1", null, List.of(), null, NONE),
                        "{\"type\":\"register\",\"agent_id\":\"a1\"}"),
                Arguments.of(new Message.Registered("a1", List.of("a2", "a3"), List.of(
                                new Message.IceServer(List.of("stun:s:3478"), null, null),
                                new Message.IceServer(List.of("turn:t:3478?transport=udp"), "1700003600:a1", "c3Rx")),
                                1, null, null, null, null, NONE),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[\"a2\",\"a3\"],\"ice_servers\":"
                                + "[{\"urls\":[\"stun:s:3478\"]},{\"urls\":[\"turn:t:3478?transport=udp\"],\"username\":\"1700003600:a1\","
                                + "\"credential\":\"c3Rx\"}],\"protocol_version\":1}"),
                Arguments.of(new Message.AgentJoined("a2", null, NONE), "{\"type\":\"agent_joined\",\"agent_id\":\"a2\"}"),
                Arguments.of(new Message.AgentLeft("a2", NONE), "{\"type\":\"agent_left\",\"agent_id\":\"a2\"}"),
                Arguments.of(new Message.Offer("a2", null, "v=0", NONE), "{\"type\":\"offer\",\"to\":\"a2\",\"sdp\":\"v=0\"}"),
                Arguments.of(new Message.Offer("a2", "a1", "v=0", NONE),
                        "{\"type\":\"offer\",\"to\":\"a2\",\"from\":\"a1\",\"sdp\":\"v=0\"}"),
                Arguments.of(new Message.Answer("a1", null, "v=0", NONE), "{\"type\":\"answer\",\"to\":\"a1\",\"sdp\":\"v=0\"}"),
                Arguments.of(new Message.Candidate("a2", null, "candidate:1 1 udp 1 1.2.3.4 5 typ host", "0", 0, NONE),
                        "{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\","
                                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"),
                Arguments.of(new Message.Candidate("a2", null, "", "0", 0, NONE),
                        "{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"),
                Arguments.of(new Message.Candidate("a2", null, "c", null, null, NONE),
                        "{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"c\",\"sdpMid\":null,\"sdpMLineIndex\":null}"),
                Arguments.of(new Message.Bye("a2", null, NONE), "{\"type\":\"bye\",\"to\":\"a2\"}"),
                Arguments.of(new Message.Bye("a2", "a1", NONE), "{\"type\":\"bye\",\"to\":\"a2\",\"from\":\"a1\"}"),
                Arguments.of(new Message.Error("unknown_agent", "no agent 'x'", "7", "x", NONE),
                        "{\"type\":\"error\",\"code\":\"unknown_agent\",\"message\":\"no agent 'x'\",\"id\":\"7\",\"to\":\"x\"}"),
                Arguments.of(new Message.Error("invalid_message", "m", null, null, NONE),
                        "{\"type\":\"error\",\"code\":\"invalid_message\",\"message\":\"m\"}"),
                // revision 2: rate_limit
                Arguments.of(new Message.Registered("a1", List.of(), List.of(), 1, budget, null, null, null, NONE),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[],\"ice_servers\":[],"
                                + "\"protocol_version\":1,\"rate_limit\":{\"messages_per_second\":100.0,\"burst\":400,"
                                + "\"max_backlog\":1000,\"max_message_bytes\":65536}}"),
                // revision 3: features and batches
                Arguments.of(new Message.Register("a1", null, List.of("candidates"), null, NONE),
                        "{\"type\":\"register\",\"agent_id\":\"a1\",\"features\":[\"candidates\"]}"),
                Arguments.of(new Message.Registered("a1", List.of(), List.of(), 1, budget, List.of("candidates"), 64,
                                null, NONE),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[],\"ice_servers\":[],"
                                + "\"protocol_version\":1,\"rate_limit\":{\"messages_per_second\":100.0,\"burst\":400,"
                                + "\"max_backlog\":1000,\"max_message_bytes\":65536},\"features\":[\"candidates\"],"
                                + "\"max_batch_candidates\":64}"),
                Arguments.of(new Message.Candidates("a2", null, List.of(
                                new Message.Element("candidate:1 1 udp 1 1.2.3.4 5 typ host", "0", 0, NONE),
                                new Message.Element("c", null, null, NONE),
                                new Message.Element("", "0", 0, NONE)), NONE),
                        "{\"type\":\"candidates\",\"to\":\"a2\",\"candidates\":["
                                + "{\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},"
                                + "{\"candidate\":\"c\",\"sdpMid\":null,\"sdpMLineIndex\":null},"
                                + "{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}]}"),
                Arguments.of(new Message.Candidates("b", "a", List.of(new Message.Element("c1", "1", 1, NONE)), NONE),
                        "{\"type\":\"candidates\",\"to\":\"b\",\"from\":\"a\",\"candidates\":["
                                + "{\"candidate\":\"c1\",\"sdpMid\":\"1\",\"sdpMLineIndex\":1}]}"),
                // revision 4: link reports
                Arguments.of(new Message.Registered("a1", List.of(), List.of(), 1, budget,
                                List.of("candidates", "link_report"), 64, null, NONE),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[],\"ice_servers\":[],"
                                + "\"protocol_version\":1,\"rate_limit\":{\"messages_per_second\":100.0,\"burst\":400,"
                                + "\"max_backlog\":1000,\"max_message_bytes\":65536},\"features\":[\"candidates\",\"link_report\"],"
                                + "\"max_batch_candidates\":64}"),
                Arguments.of(new Message.LinkReport(List.of(new Message.LinkReport.Link("a2", "HIGH", 1.5),
                                new Message.LinkReport.Link("a3", "LOW", null)), NONE),
                        "{\"type\":\"link_report\",\"links\":[{\"agent\":\"a2\",\"mode\":\"HIGH\",\"rtt_ms\":1.5},"
                                + "{\"agent\":\"a3\",\"mode\":\"LOW\",\"rtt_ms\":null}]}"),
                Arguments.of(new Message.LinkReport(List.of(), NONE), "{\"type\":\"link_report\",\"links\":[]}"),
                // revision 5: presence
                Arguments.of(new Message.Register("a1", null, List.of(), "AQID-_x", NONE),
                        "{\"type\":\"register\",\"agent_id\":\"a1\",\"presence\":\"AQID-_x\"}"),
                Arguments.of(new Message.Registered("a1", List.of("b"), List.of(), 1, null, List.of("presence"), null,
                                Map.of("b", "Zm9v"), NONE),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[\"b\"],\"ice_servers\":[],"
                                + "\"protocol_version\":1,\"features\":[\"presence\"],\"presence\":{\"b\":\"Zm9v\"}}"),
                Arguments.of(new Message.Registered("a1", List.of(), List.of(), 1, budget,
                                List.of("link_report", "presence"), null, Map.of(), NONE),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[],\"ice_servers\":[],"
                                + "\"protocol_version\":1,\"rate_limit\":{\"messages_per_second\":100.0,\"burst\":400,"
                                + "\"max_backlog\":1000,\"max_message_bytes\":65536},\"features\":[\"link_report\",\"presence\"],"
                                + "\"presence\":{}}"),
                Arguments.of(new Message.AgentJoined("b", "Zm9v", NONE),
                        "{\"type\":\"agent_joined\",\"agent_id\":\"b\",\"presence\":\"Zm9v\"}"));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void encodesToTheDocumentedJsonAndDecodesBack(Message m, String json) throws Exception {
        assertThat(SignalingJson.encode(m)).isEqualTo(json);
        assertThat(SignalingJson.decode(json)).isEqualTo(m);
    }

    @Test
    void unknownFieldsAreCarriedThroughInOrder() throws Exception {
        String in = "{\"type\":\"candidate\",\"to\":\"b\",\"candidate\":\"c\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,"
                + "\"usernameFragment\":\"uf\",\"id\":7,\"x\":{\"y\":[1,2]}}";
        Message.Candidate c = (Message.Candidate) SignalingJson.decode(in);
        assertThat(c.extra()).containsExactly(Map.entry("usernameFragment", TextNode.valueOf("uf")),
                Map.entry("id", IntNode.valueOf(7)), Map.entry("x", SignalingJson.MAPPER.readTree("{\"y\":[1,2]}")));
        assertThat(SignalingJson.encode(c)).isEqualTo(in);
        String batch = "{\"type\":\"candidates\",\"to\":\"b\",\"from\":\"a\",\"candidates\":[{\"candidate\":\"c0\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"uf\"}],\"id\":9}";
        Message.Candidates b = (Message.Candidates) SignalingJson.decode(batch);
        assertThat(b.candidates().get(0).extra()).containsOnlyKeys("usernameFragment");
        assertThat(b.extra()).containsOnlyKeys("id");
        assertThat(SignalingJson.encode(b)).isEqualTo(batch);
        Message.Candidates typed = (Message.Candidates) SignalingJson.decode("{\"type\":\"candidates\",\"to\":\"b\","
                + "\"candidates\":[{\"candidate\":\"c\",\"type\":\"x\",\"to\":\"y\"}]}");
        assertThat(typed.candidates().get(0).extra()).as("an element's type is only an unknown field")
                .containsOnlyKeys("type", "to");
        String register = "{\"type\":\"register\",\"agent_id\":\"a\",\"id\":\"r1\",\"future\":true}";
        assertThat(SignalingJson.encode(SignalingJson.decode(register))).isEqualTo(register);
        assertThat(SignalingJson.decode("{\"to\":\"b\",\"type\":\"bye\"}"))
                .as("type need not come first").isEqualTo(new Message.Bye("b", null, NONE));
    }

    @Test
    void unknownTypesAreKeptAsTheirText() throws Exception {
        String text = "{\"type\":\"future_thing\",\"x\":1}";
        Message u = SignalingJson.decode(text);
        assertThat(u).isEqualTo(new Message.Unknown("future_thing", text));
        assertThat(SignalingJson.encode(u)).isEqualTo(text);
        Message.Registered r = (Message.Registered) SignalingJson.decode("{\"type\":\"registered\",\"agent_id\":\"x\","
                + "\"ice_servers\":[{\"urls\":\"stun:one\"}]}");
        assertThat(r.iceServers().get(0).urls()).containsExactly("stun:one");
        assertThat(r.protocolVersion()).as("absent").isNull();
        assertThat(r.rateLimit()).isNull();
        assertThat(r.maxBatchCandidates()).isNull();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "{", ParseError.INVALID_VALUE),
                Arguments.of("array", "[]", ParseError.INVALID_VALUE),
                Arguments.of("trailing tokens", "{\"type\":\"bye\",\"to\":\"a\"}{}", ParseError.INVALID_VALUE),
                Arguments.of("duplicate key", "{\"type\":\"bye\",\"type\":\"offer\",\"to\":\"a\"}", ParseError.INVALID_VALUE),
                Arguments.of("incomplete message then trailing tokens", "{\"type\":\"offer\"}{}", ParseError.INVALID_VALUE),
                Arguments.of("boolean type", "{\"type\":true,\"to\":\"a\"}", ParseError.INVALID_TYPE),
                Arguments.of("array type", "{\"to\":\"a\",\"type\":[\"bye\"]}", ParseError.INVALID_TYPE),
                Arguments.of("a string", "\"bye\"", ParseError.INVALID_VALUE),
                Arguments.of("nothing", "", ParseError.INVALID_VALUE),
                Arguments.of("missing type", "{\"to\":\"a\"}", ParseError.INVALID_TYPE),
                Arguments.of("null type", "{\"type\":null}", ParseError.INVALID_TYPE),
                Arguments.of("numeric type", "{\"type\":3}", ParseError.INVALID_TYPE),
                Arguments.of("rate_limit not an object", "{\"type\":\"registered\",\"agent_id\":\"x\",\"rate_limit\":5}",
                        ParseError.INVALID_VALUE),
                Arguments.of("rate_limit with a zero rate", "{\"type\":\"registered\",\"agent_id\":\"x\",\"rate_limit\":"
                        + "{\"messages_per_second\":0,\"burst\":1,\"max_backlog\":0,\"max_message_bytes\":1}}", ParseError.INVALID_VALUE),
                Arguments.of("registered without agent_id", "{\"type\":\"registered\"}", ParseError.INVALID_LENGTH),
                Arguments.of("registered agents not strings", "{\"type\":\"registered\",\"agent_id\":\"a\",\"connected_agents\":[1]}",
                        ParseError.INVALID_VALUE),
                Arguments.of("ice server without urls", "{\"type\":\"registered\",\"agent_id\":\"a\",\"ice_servers\":[{}]}",
                        ParseError.INVALID_LENGTH),
                Arguments.of("max_batch_candidates zero", "{\"type\":\"registered\",\"agent_id\":\"a\",\"max_batch_candidates\":0}",
                        ParseError.INVALID_VALUE),
                Arguments.of("presence not strings", "{\"type\":\"registered\",\"agent_id\":\"a\",\"presence\":{\"b\":1}}",
                        ParseError.INVALID_VALUE),
                Arguments.of("register numeric token", "{\"type\":\"register\",\"agent_id\":\"a\",\"token\":5}", ParseError.INVALID_VALUE),
                Arguments.of("offer without sdp", "{\"type\":\"offer\",\"to\":\"a\"}", ParseError.INVALID_LENGTH),
                Arguments.of("offer null to", "{\"type\":\"offer\",\"to\":null,\"sdp\":\"s\"}", ParseError.INVALID_LENGTH),
                Arguments.of("offer numeric from", "{\"type\":\"offer\",\"to\":\"a\",\"from\":1,\"sdp\":\"s\"}", ParseError.INVALID_VALUE),
                Arguments.of("candidate bad index", "{\"type\":\"candidate\",\"to\":\"a\",\"candidate\":\"c\",\"sdpMLineIndex\":-2}",
                        ParseError.INVALID_VALUE),
                Arguments.of("candidate fractional index", "{\"type\":\"candidate\",\"to\":\"a\",\"candidate\":\"c\",\"sdpMLineIndex\":0.5}",
                        ParseError.INVALID_VALUE),
                Arguments.of("error without code", "{\"type\":\"error\",\"message\":\"m\"}", ParseError.INVALID_LENGTH),
                Arguments.of("agent_joined without id", "{\"type\":\"agent_joined\"}", ParseError.INVALID_LENGTH),
                Arguments.of("batch without candidates", "{\"type\":\"candidates\",\"to\":\"a\"}", ParseError.INVALID_LENGTH),
                Arguments.of("batch of nothing", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[]}", ParseError.INVALID_LENGTH),
                Arguments.of("batch of 65", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":["
                        + String.join(",", Collections.nCopies(65, "{\"candidate\":\"c\"}")) + "]}", ParseError.INVALID_LENGTH),
                Arguments.of("batch not an array", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":{}}", ParseError.INVALID_VALUE),
                Arguments.of("batch element not an object", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[\"c\"]}",
                        ParseError.INVALID_VALUE),
                Arguments.of("batch element without candidate", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[{\"sdpMid\":\"0\"}]}",
                        ParseError.INVALID_LENGTH),
                Arguments.of("batch without to", "{\"type\":\"candidates\",\"candidates\":[{\"candidate\":\"c\"}]}", ParseError.INVALID_LENGTH),
                Arguments.of("link_report without links", "{\"type\":\"link_report\"}", ParseError.INVALID_LENGTH),
                Arguments.of("link with a lower-case mode", "{\"type\":\"link_report\",\"links\":[{\"agent\":\"a\",\"mode\":\"high\"}]}",
                        ParseError.INVALID_VALUE),
                Arguments.of("link with a negative rtt", "{\"type\":\"link_report\",\"links\":[{\"agent\":\"a\",\"mode\":\"LOW\","
                        + "\"rtt_ms\":-1}]}", ParseError.INVALID_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFramesFailWithTheirError(String name, String json, ParseError expected) {
        assertThatThrownBy(() -> SignalingJson.decode(json)).isInstanceOfSatisfying(ParseException.class,
                e -> assertThat(e.error()).isEqualTo(expected));
    }

    @Test
    void batchElementErrorsNameTheElement() {
        assertThatThrownBy(() -> SignalingJson.decode("{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":"
                + "[{\"candidate\":\"c\"},{\"candidate\":\"c\",\"sdpMLineIndex\":70000}]}"))
                .isInstanceOf(ParseException.class)
                .hasMessage("INVALID_VALUE: candidates[1]: field 'sdpMLineIndex' must be an integer 0..65535 or null");
    }

    @Test
    void recordsRefuseMisuse() {
        assertThatThrownBy(() -> new Message.Candidate("a", null, "c", "0", 70_000, NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Message.Offer(null, null, "v=0", NONE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Message.Candidates("a", null, List.of(), NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Message.Bye("a", null, Map.of("type", TextNode.valueOf("x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Message.Register("a", "secret-token", List.of(), null, NONE).toString()).doesNotContain("secret-token");
        assertThat(new Message.IceServer(List.of("turn:x"), "u", "pw").toString()).doesNotContain("pw");
    }
}
