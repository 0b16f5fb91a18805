package io.jrtc.signaling.client;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client codec: exact JSON for each message type as the README specifies it (field names), decode of
 * what the server sends, encode-then-decode round trips, and a table of named malformed frames each failing
 * with its ParseError.
 */
class SignalingCodecRoundTripsEveryMessageType {

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of(new SignalingMessage.Register("a1", "tok"), "{\"type\":\"register\",\"agent_id\":\"a1\",\"token\":\"tok\"}"),
                Arguments.of(new SignalingMessage.Register("a1", null), "{\"type\":\"register\",\"agent_id\":\"a1\"}"),
                Arguments.of(new SignalingMessage.Registered("a1", List.of("a2", "a3"),
                        List.of(new IceServer(List.of("stun:s:3478"), null, null),
                                new IceServer(List.of("turn:t:3478?transport=udp"), "1700003600:a1", "c3Rx")), 1),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[\"a2\",\"a3\"],\"ice_servers\":"
                                + "[{\"urls\":[\"stun:s:3478\"]},{\"urls\":[\"turn:t:3478?transport=udp\"],\"username\":\"1700003600:a1\","
                                + "\"credential\":\"c3Rx\"}],\"protocol_version\":1}"),
                Arguments.of(new SignalingMessage.Registered("a1", List.of(), List.of(), 1,
                                new SignalingMessage.RateLimit(100, 400, 1000, 65536)),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[],\"ice_servers\":[],"
                                + "\"protocol_version\":1,\"rate_limit\":{\"messages_per_second\":100.0,\"burst\":400,"
                                + "\"max_backlog\":1000,\"max_message_bytes\":65536}}"),
                Arguments.of(new SignalingMessage.AgentJoined("a2"), "{\"type\":\"agent_joined\",\"agent_id\":\"a2\"}"),
                Arguments.of(new SignalingMessage.AgentLeft("a2"), "{\"type\":\"agent_left\",\"agent_id\":\"a2\"}"),
                Arguments.of(new SignalingMessage.Offer("a2", "v=0"), "{\"type\":\"offer\",\"to\":\"a2\",\"sdp\":\"v=0\"}"),
                Arguments.of(new SignalingMessage.Offer("a2", "a1", "v=0"), "{\"type\":\"offer\",\"to\":\"a2\",\"from\":\"a1\",\"sdp\":\"v=0\"}"),
                Arguments.of(new SignalingMessage.Answer("a1", "v=0"), "{\"type\":\"answer\",\"to\":\"a1\",\"sdp\":\"v=0\"}"),
                Arguments.of(new SignalingMessage.Candidate("a2", "candidate:1 1 udp 1 1.2.3.4 5 typ host", "0", 0),
                        "{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"),
                Arguments.of(SignalingMessage.Candidate.endOfCandidates("a2", "0", 0),
                        "{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"),
                Arguments.of(new SignalingMessage.Candidate("a2", "c", null, null),
                        "{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"c\",\"sdpMid\":null,\"sdpMLineIndex\":null}"),
                Arguments.of(new SignalingMessage.Register("a1", null, List.of("candidates")),
                        "{\"type\":\"register\",\"agent_id\":\"a1\",\"features\":[\"candidates\"]}"),
                Arguments.of(new SignalingMessage.Register("a1", null, List.of(), "AQID-_x"),
                        "{\"type\":\"register\",\"agent_id\":\"a1\",\"presence\":\"AQID-_x\"}"),
                Arguments.of(new SignalingMessage.Registered("a1", List.of("b"), List.of(), 1, null,
                                List.of("presence"), 0, java.util.Map.of("b", "Zm9v")),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[\"b\"],\"ice_servers\":[],"
                                + "\"protocol_version\":1,\"features\":[\"presence\"],\"presence\":{\"b\":\"Zm9v\"}}"),
                Arguments.of(new SignalingMessage.AgentJoined("b", "Zm9v"),
                        "{\"type\":\"agent_joined\",\"agent_id\":\"b\",\"presence\":\"Zm9v\"}"),
                Arguments.of(new SignalingMessage.Registered("a1", List.of(), List.of(), 1,
                                new SignalingMessage.RateLimit(100, 400, 1000, 65536), List.of("candidates"), 64),
                        "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[],\"ice_servers\":[],"
                                + "\"protocol_version\":1,\"rate_limit\":{\"messages_per_second\":100.0,\"burst\":400,"
                                + "\"max_backlog\":1000,\"max_message_bytes\":65536},\"features\":[\"candidates\"],"
                                + "\"max_batch_candidates\":64}"),
                Arguments.of(new SignalingMessage.Candidates("a2", null, List.of(
                                new SignalingMessage.Candidate("a2", "candidate:1 1 udp 1 1.2.3.4 5 typ host", "0", 0),
                                new SignalingMessage.Candidate("a2", "c", null, null),
                                SignalingMessage.Candidate.endOfCandidates("a2", "0", 0))),
                        "{\"type\":\"candidates\",\"to\":\"a2\",\"candidates\":["
                                + "{\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},"
                                + "{\"candidate\":\"c\",\"sdpMid\":null,\"sdpMLineIndex\":null},"
                                + "{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}]}"),
                Arguments.of(new SignalingMessage.Candidates("b", "a", List.of(
                                new SignalingMessage.Candidate("b", "a", "c1", "1", 1))),
                        "{\"type\":\"candidates\",\"to\":\"b\",\"from\":\"a\",\"candidates\":["
                                + "{\"candidate\":\"c1\",\"sdpMid\":\"1\",\"sdpMLineIndex\":1}]}"),
                Arguments.of(new SignalingMessage.Bye("a2"), "{\"type\":\"bye\",\"to\":\"a2\"}"),
                Arguments.of(new SignalingMessage.LinkReport(List.of(new SignalingMessage.LinkReport.Link("a2", "HIGH", 1.5),
                                new SignalingMessage.LinkReport.Link("a3", "LOW", null))),
                        "{\"type\":\"link_report\",\"links\":[{\"agent\":\"a2\",\"mode\":\"HIGH\",\"rtt_ms\":1.5},"
                                + "{\"agent\":\"a3\",\"mode\":\"LOW\",\"rtt_ms\":null}]}"),
                Arguments.of(new SignalingMessage.Error("unknown_agent", "no agent 'x'", "7", "x"),
                        "{\"type\":\"error\",\"code\":\"unknown_agent\",\"message\":\"no agent 'x'\",\"id\":\"7\",\"to\":\"x\"}"));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void encodesToTheDocumentedJsonAndDecodesBack(SignalingMessage m, String json) throws Exception {
        assertThat(SignalingCodec.encode(m)).isEqualTo(json);
        assertThat(SignalingCodec.decode(json)).isEqualTo(m);
    }

    @Test
    void decodesWhatTheServerSends() throws Exception {
        SignalingMessage m = SignalingCodec.decode("{\"type\":\"candidate\",\"to\":\"b\",\"candidate\":\"c\",\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":0,\"usernameFragment\":\"uf\",\"from\":\"a\"}");
        assertThat(m).isEqualTo(new SignalingMessage.Candidate("b", "a", "c", "0", 0));
        SignalingMessage r = SignalingCodec.decode("{\"type\":\"registered\",\"agent_id\":\"x\",\"connected_agents\":[],"
                + "\"ice_servers\":[{\"urls\":\"stun:one\"}]}");
        assertThat(((SignalingMessage.Registered) r).iceServers().get(0).urls()).containsExactly("stun:one");
        assertThat(((SignalingMessage.Registered) r).protocolVersion()).isEqualTo(1);
        assertThat(((SignalingMessage.Registered) r).rateLimit()).as("an older server announces no budget").isNull();
        SignalingMessage u = SignalingCodec.decode("{\"type\":\"future_thing\",\"x\":1}");
        assertThat(u).isEqualTo(new SignalingMessage.Unknown("future_thing", "{\"type\":\"future_thing\",\"x\":1}"));
        assertThat(SignalingCodec.encode(u)).isEqualTo("{\"type\":\"future_thing\",\"x\":1}");
        // a batch as the server relays it: extras (usernameFragment) dropped, elements take the batch's to/from
        SignalingMessage.Candidates b = (SignalingMessage.Candidates) SignalingCodec.decode("{\"type\":\"candidates\","
                + "\"to\":\"b\",\"from\":\"a\",\"id\":9,\"candidates\":[{\"candidate\":\"c0\",\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":0,\"usernameFragment\":\"uf\"},{\"candidate\":\"\"}]}");
        assertThat(b.candidates()).containsExactly(new SignalingMessage.Candidate("b", "a", "c0", "0", 0),
                new SignalingMessage.Candidate("b", "a", "", null, null));
        assertThat(b.candidates().get(1).isEndOfCandidates()).isTrue();
        SignalingMessage.Registered old = (SignalingMessage.Registered) SignalingCodec.decode(
                "{\"type\":\"registered\",\"agent_id\":\"x\",\"features\":[\"candidates\",\"future\"]}");
        assertThat(old.acceptsCandidateBatches()).as("features without max_batch_candidates").isFalse();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "{", ParseError.INVALID_VALUE),
                Arguments.of("array", "[]", ParseError.INVALID_VALUE),
                Arguments.of("rate_limit not an object", "{\"type\":\"registered\",\"agent_id\":\"x\",\"connected_agents\":[],"
                        + "\"ice_servers\":[],\"rate_limit\":5}", ParseError.INVALID_VALUE),
                Arguments.of("rate_limit with a zero rate", "{\"type\":\"registered\",\"agent_id\":\"x\",\"connected_agents\":[],"
                        + "\"ice_servers\":[],\"rate_limit\":{\"messages_per_second\":0,\"burst\":1,\"max_backlog\":0,"
                        + "\"max_message_bytes\":1}}", ParseError.INVALID_VALUE),
                Arguments.of("trailing tokens", "{\"type\":\"bye\",\"to\":\"a\"}{}", ParseError.INVALID_VALUE),
                Arguments.of("duplicate key", "{\"type\":\"bye\",\"type\":\"offer\",\"to\":\"a\"}", ParseError.INVALID_VALUE),
                Arguments.of("missing type", "{\"to\":\"a\"}", ParseError.INVALID_TYPE),
                Arguments.of("numeric type", "{\"type\":3}", ParseError.INVALID_TYPE),
                Arguments.of("registered without agent_id", "{\"type\":\"registered\"}", ParseError.INVALID_LENGTH),
                Arguments.of("registered agents not array", "{\"type\":\"registered\",\"agent_id\":\"a\",\"connected_agents\":\"b\"}", ParseError.INVALID_VALUE),
                Arguments.of("registered agents not strings", "{\"type\":\"registered\",\"agent_id\":\"a\",\"connected_agents\":[1]}", ParseError.INVALID_VALUE),
                Arguments.of("ice server without urls", "{\"type\":\"registered\",\"agent_id\":\"a\",\"ice_servers\":[{}]}", ParseError.INVALID_LENGTH),
                Arguments.of("ice server not object", "{\"type\":\"registered\",\"agent_id\":\"a\",\"ice_servers\":[\"stun:x\"]}", ParseError.INVALID_VALUE),
                Arguments.of("offer without sdp", "{\"type\":\"offer\",\"to\":\"a\"}", ParseError.INVALID_LENGTH),
                Arguments.of("offer numeric from", "{\"type\":\"offer\",\"to\":\"a\",\"from\":1,\"sdp\":\"s\"}", ParseError.INVALID_VALUE),
                Arguments.of("candidate bad index", "{\"type\":\"candidate\",\"to\":\"a\",\"candidate\":\"c\",\"sdpMLineIndex\":-2}", ParseError.INVALID_VALUE),
                Arguments.of("error without code", "{\"type\":\"error\",\"message\":\"m\"}", ParseError.INVALID_LENGTH),
                Arguments.of("agent_joined without id", "{\"type\":\"agent_joined\"}", ParseError.INVALID_LENGTH),
                Arguments.of("batch without candidates", "{\"type\":\"candidates\",\"to\":\"a\"}", ParseError.INVALID_LENGTH),
                Arguments.of("batch of nothing", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[]}", ParseError.INVALID_LENGTH),
                Arguments.of("batch of 65", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":["
                        + String.join(",", java.util.Collections.nCopies(65, "{\"candidate\":\"c\"}")) + "]}", ParseError.INVALID_LENGTH),
                Arguments.of("batch not an array", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":{}}", ParseError.INVALID_VALUE),
                Arguments.of("batch element not an object", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[\"c\"]}", ParseError.INVALID_VALUE),
                Arguments.of("batch element without candidate", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[{\"sdpMid\":\"0\"}]}", ParseError.INVALID_LENGTH),
                Arguments.of("batch element bad index", "{\"type\":\"candidates\",\"to\":\"a\",\"candidates\":[{\"candidate\":\"c\",\"sdpMLineIndex\":70000}]}", ParseError.INVALID_VALUE),
                Arguments.of("batch without to", "{\"type\":\"candidates\",\"candidates\":[{\"candidate\":\"c\"}]}", ParseError.INVALID_LENGTH),
                Arguments.of("features not strings", "{\"type\":\"registered\",\"agent_id\":\"a\",\"features\":[1]}", ParseError.INVALID_VALUE),
                Arguments.of("max_batch_candidates zero", "{\"type\":\"registered\",\"agent_id\":\"a\",\"max_batch_candidates\":0}", ParseError.INVALID_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFramesFailWithTheirError(String name, String json, ParseError expected) {
        assertThatThrownBy(() -> SignalingCodec.decode(json)).isInstanceOfSatisfying(ParseException.class,
                e -> assertThat(e.error()).isEqualTo(expected));
    }

    @Test
    void recordsRefuseMisuse() {
        assertThatThrownBy(() -> new SignalingMessage.Candidate("a", "c", "0", 70_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignalingMessage.Offer(null, "v=0")).isInstanceOf(NullPointerException.class);
        assertThat(new SignalingMessage.Register("a", "secret-token").toString()).doesNotContain("secret-token");
        assertThat(new IceServer(List.of("turn:x"), "u", "pw").toString()).doesNotContain("pw");
        assertThatThrownBy(() -> new SignalingMessage.Candidates("a", null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignalingMessage.Candidates("a", null, java.util.Collections.nCopies(65,
                new SignalingMessage.Candidate("a", "c", null, null)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SignalingMessage.Candidates("a", "me", List.of(new SignalingMessage.Candidate("x", "c", null,
                null))).candidates().get(0)).as("elements take the batch's to and from")
                .isEqualTo(new SignalingMessage.Candidate("a", "me", "c", null, null));
    }
}
