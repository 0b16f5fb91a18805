package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input over a real WebSocket: invalid JSON, unknown types, missing or mistyped fields, binary frames,
 * a bad agent id, a second register. Each gets an {@code invalid_message} reply, the connection stays
 * open, and it can still register afterwards.
 */
class MalformedInputsEachGetInvalidMessage {

    private static final Servers SERVERS = new Servers();
    private static SignalingServer server;

    @BeforeAll
    static void start() {
        server = SERVERS.start();
    }

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    static Stream<Arguments> inputs() {
        return Stream.of(
                Arguments.of("invalid JSON", "{\"type\":\"register\",", false),
                Arguments.of("JSON array", "[\"register\"]", false),
                Arguments.of("missing type", "{\"agent_id\":\"a\"}", false),
                Arguments.of("unknown type", "{\"type\":\"subscribe\",\"topic\":\"x\"}", false),
                Arguments.of("register without agent_id", "{\"type\":\"register\"}", false),
                Arguments.of("offer without sdp", "{\"type\":\"offer\",\"to\":\"x\"}", false),
                Arguments.of("candidate with string index", "{\"type\":\"candidate\",\"to\":\"x\",\"candidate\":\"c\",\"sdpMLineIndex\":\"0\"}", false),
                Arguments.of("agent id with spaces", "{\"type\":\"register\",\"agent_id\":\"two words\"}", false),
                Arguments.of("agent id too long", "{\"type\":\"register\",\"agent_id\":\"" + "a".repeat(65) + "\"}", false),
                Arguments.of("binary frame", "{\"type\":\"register\",\"agent_id\":\"bin\"}", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void badInputGetsInvalidMessageAndTheConnectionStaysUsable(String name, String input, boolean binary)
            throws Exception {
        double before = Servers.errors(server, ErrorCode.INVALID_MESSAGE);
        try (RawWebSocket ws = RawWebSocket.connect(server.boundPort())) {
            if (binary) {
                ws.sendBinary(input.getBytes(StandardCharsets.UTF_8));
            } else {
                ws.sendText(input);
            }
            JsonNode reply = ws.readJson();
            assertThat(reply.get("type").asText()).isEqualTo("error");
            assertThat(reply.get("code").asText()).isEqualTo("invalid_message");
            String id = "ok-" + Math.abs(name.hashCode());
            ws.sendJson("{\"type\":\"register\",\"agent_id\":\"" + id + "\"}");
            assertThat(ws.readJson().get("type").asText()).isEqualTo("registered");
            // a second register on the same connection is invalid too
            ws.sendJson("{\"type\":\"register\",\"agent_id\":\"other\"}");
            assertThat(ws.readJson().get("code").asText()).isEqualTo("invalid_message");
        }
        assertThat(Servers.errors(server, ErrorCode.INVALID_MESSAGE)).isEqualTo(before + 2);
    }
}
