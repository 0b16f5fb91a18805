package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each protocol error code, provoked over a real WebSocket against a real server: the reply carries the
 * code, and {@code jrtc_signaling_errors_total{code}} counts it. (Limits have their own class,
 * {@link EachLimitTriggersItsErrorAndCounter}; malformed input its own table,
 * {@link MalformedInputsEachGetInvalidMessage}; backbone_unavailable is in the Redis tests.)
 */
class EveryErrorCodeIsReachable {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    private static void assertError(JsonNode reply, ErrorCode code) {
        assertThat(reply.path("type").asText()).as("reply %s", reply).isEqualTo("error");
        assertThat(reply.path("code").asText()).as("reply %s", reply).isEqualTo(code.wire());
        assertThat(reply.path("message").asText()).isNotBlank();
    }

    @Test
    void unknownAgent() throws Exception {
        SignalingServer s = servers.start();
        try (RawWebSocket a = Servers.register(s, "a1")) {
            a.sendJson("{\"type\":\"offer\",\"to\":\"ghost\",\"sdp\":\"v=0\",\"id\":\"m-17\"}");
            JsonNode e = a.readJson();
            assertError(e, ErrorCode.UNKNOWN_AGENT);
            assertThat(e.get("to").asText()).isEqualTo("ghost");
            assertThat(e.get("id").asText()).isEqualTo("m-17");
            // an id that cannot exist is unknown too, not a crash
            a.sendJson("{\"type\":\"bye\",\"to\":\"no\\nsuch agent\"}");
            assertError(a.readJson(), ErrorCode.UNKNOWN_AGENT);
        }
        assertThat(Servers.errors(s, ErrorCode.UNKNOWN_AGENT)).isEqualTo(2.0);
    }

    @Test
    void notRegistered() throws Exception {
        SignalingServer s = servers.start();
        try (RawWebSocket a = RawWebSocket.connect(s.boundPort()); RawWebSocket b = Servers.register(s, "b")) {
            a.sendJson("{\"type\":\"offer\",\"to\":\"b\",\"sdp\":\"v=0\"}");
            assertError(a.readJson(), ErrorCode.NOT_REGISTERED);
            assertThat(b.pollJson(Duration.ofMillis(200))).as("nothing relayed").isNull();
        }
        assertThat(Servers.errors(s, ErrorCode.NOT_REGISTERED)).isEqualTo(1.0);
    }

    @Test
    void invalidMessage() throws Exception {
        SignalingServer s = servers.start();
        try (RawWebSocket a = RawWebSocket.connect(s.boundPort())) {
            a.sendText("{not json");
            assertError(a.readJson(), ErrorCode.INVALID_MESSAGE);
        }
        assertThat(Servers.errors(s, ErrorCode.INVALID_MESSAGE)).isEqualTo(1.0);
    }

    @Test
    void agentIdTakenUnderRefusePolicy() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().duplicateIdPolicy(DuplicateIdPolicy.REFUSE));
        try (RawWebSocket first = Servers.register(s, "dup"); RawWebSocket second = RawWebSocket.connect(s.boundPort())) {
            second.sendJson("{\"type\":\"register\",\"agent_id\":\"dup\"}");
            assertError(second.readJson(), ErrorCode.AGENT_ID_TAKEN);
            // the refused connection may register under another id
            second.sendJson("{\"type\":\"register\",\"agent_id\":\"dup2\"}");
            assertThat(second.readJson().get("type").asText()).isEqualTo("registered");
            assertThat(first.readJson().get("agent_id").asText()).isEqualTo("dup2"); // agent_joined
        }
        assertThat(Servers.errors(s, ErrorCode.AGENT_ID_TAKEN)).isEqualTo(1.0);
    }

    @Test
    void unauthorizedClosesTheConnection() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().secret("s3cret"));
        try (RawWebSocket a = RawWebSocket.connect(s.boundPort())) {
            a.sendJson("{\"type\":\"register\",\"agent_id\":\"a1\"}");
            assertError(a.readJson(), ErrorCode.UNAUTHORIZED);
            assertThat(a.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(1008);
        }
        try (RawWebSocket ok = RawWebSocket.connect(s.boundPort())) {
            String token = AgentToken.mint("s3cret", "a1", Instant.now().plusSeconds(60));
            ok.sendJson("{\"type\":\"register\",\"agent_id\":\"a1\",\"token\":\"" + token + "\"}");
            assertThat(ok.readJson().get("type").asText()).isEqualTo("registered");
        }
        assertThat(Servers.errors(s, ErrorCode.UNAUTHORIZED)).isEqualTo(1.0);
    }

    @Test
    void sessionReplacedUnderTakeOverPolicy() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().duplicateIdPolicy(DuplicateIdPolicy.TAKE_OVER));
        try (RawWebSocket watcher = Servers.register(s, "watcher");
             RawWebSocket old = Servers.register(s, "same")) {
            assertThat(watcher.readJson().get("type").asText()).isEqualTo("agent_joined");
            try (RawWebSocket fresh = Servers.register(s, "same")) {
                assertError(old.readJson(), ErrorCode.SESSION_REPLACED);
                assertThat(old.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(4001);
                // messages to "same" now reach the new session
                watcher.sendJson("{\"type\":\"bye\",\"to\":\"same\"}");
                assertThat(fresh.readJson().get("from").asText()).isEqualTo("watcher");
                // the id never left: no agent_left / agent_joined for the take-over
                assertThat(watcher.pollJson(Duration.ofMillis(300))).isNull();
            }
        }
        assertThat(Servers.errors(s, ErrorCode.SESSION_REPLACED)).isEqualTo(1.0);
    }

    @Test
    void serverDrainingTellsConnectedAgents() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().drainTimeout(Duration.ofSeconds(5)));
        try (RawWebSocket a = Servers.register(s, "a1")) {
            s.drain();
            assertError(a.readJson(), ErrorCode.SERVER_DRAINING);
            assertThat(a.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(1001);
            a.sendClose(1001);
            s.terminationFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(Servers.errors(s, ErrorCode.SERVER_DRAINING)).isEqualTo(1.0);
    }
}
