package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message type of protocol version 1 between real WebSocket connections and a real server: register
 * and registered (with connected_agents and ice_servers), presence to the others, offer, answer, candidate,
 * end-of-candidates and bye relayed with "from" to exactly the agent named in "to".
 */
class ProtocolRoundTripBetweenTwoAgents {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void everyMessageTypeIsRelayedOnlyToItsTargetWithFrom() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder()
                .stunUrls(List.of("stun:stun.example.test:3478"))
                .turnUrls(List.of("turn:turn.example.test:3478?transport=udp"))
                .turnSecret("turn-shared-secret")
                .turnCredentialLifetime(Duration.ofHours(1)));
        try (RawWebSocket a1 = RawWebSocket.connect(s.boundPort());
             RawWebSocket a2 = RawWebSocket.connect(s.boundPort());
             RawWebSocket a3 = RawWebSocket.connect(s.boundPort())) {

            a1.sendJson("{\"type\":\"register\",\"agent_id\":\"a1\",\"token\":\"ignored-on-open-server\"}");
            JsonNode reg1 = a1.readJson();
            assertThat(reg1.get("type").asText()).isEqualTo("registered");
            assertThat(reg1.get("agent_id").asText()).isEqualTo("a1");
            assertThat(reg1.get("connected_agents")).isEmpty();
            assertThat(reg1.get("protocol_version").asInt()).isEqualTo(1);
            JsonNode ice = reg1.get("ice_servers");
            assertThat(ice).hasSize(2);
            assertThat(ice.get(0).get("urls").get(0).asText()).isEqualTo("stun:stun.example.test:3478");
            assertThat(ice.get(1).get("urls").get(0).asText()).isEqualTo("turn:turn.example.test:3478?transport=udp");
            String user = ice.get(1).get("username").asText();
            assertThat(user).endsWith(":a1");
            long expiry = Long.parseLong(user.substring(0, user.indexOf(':')));
            long now = System.currentTimeMillis() / 1000;
            assertThat(expiry).isBetween(now + 3590, now + 3610);
            assertThat(ice.get(1).get("credential").asText())
                    .isEqualTo(TurnRestCredentials.compute("turn-shared-secret", "a1",
                            java.time.Instant.ofEpochSecond(expiry - 3600), Duration.ofHours(1)).credential());

            a2.sendJson("{\"type\":\"register\",\"agent_id\":\"a2\"}");
            JsonNode reg2 = a2.readJson();
            assertThat(reg2.get("connected_agents")).extracting(JsonNode::asText).containsExactly("a1");
            assertThat(a1.readJson()).isEqualTo(RawWebSocket.JSON.readTree(
                    "{\"type\":\"agent_joined\",\"agent_id\":\"a2\"}"));

            a3.sendJson("{\"type\":\"register\",\"agent_id\":\"a3\"}");
            assertThat(a3.readJson().get("connected_agents")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("a1", "a2");
            assertThat(a1.readJson().get("agent_id").asText()).isEqualTo("a3");
            assertThat(a2.readJson().get("agent_id").asText()).isEqualTo("a3");

            // offer a1 -> a2; a client-supplied "from" is overwritten
            a1.sendJson("{\"type\":\"offer\",\"to\":\"a2\",\"from\":\"mallory\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 0.0.0.0\\r\\n\"}");
            JsonNode offer = a2.readJson();
            assertThat(offer.get("type").asText()).isEqualTo("offer");
            assertThat(offer.get("from").asText()).isEqualTo("a1");
            assertThat(offer.get("to").asText()).isEqualTo("a2");
            assertThat(offer.get("sdp").asText()).isEqualTo("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\n");

            a2.sendJson("{\"type\":\"answer\",\"to\":\"a1\",\"sdp\":\"v=0 answer\"}");
            JsonNode answer = a1.readJson();
            assertThat(answer.get("type").asText()).isEqualTo("answer");
            assertThat(answer.get("from").asText()).isEqualTo("a2");
            assertThat(answer.get("sdp").asText()).isEqualTo("v=0 answer");

            String cand = "candidate:1 1 udp 2122260223 10.0.0.1 50000 typ host";
            a1.sendJson("{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"" + cand
                    + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
            JsonNode c = a2.readJson();
            assertThat(c.get("type").asText()).isEqualTo("candidate");
            assertThat(c.get("from").asText()).isEqualTo("a1");
            assertThat(c.get("candidate").asText()).isEqualTo(cand);
            assertThat(c.get("sdpMid").asText()).isEqualTo("0");
            assertThat(c.get("sdpMLineIndex").asInt()).isZero();

            // end-of-candidates: empty candidate, null mid allowed
            a2.sendJson("{\"type\":\"candidate\",\"to\":\"a1\",\"candidate\":\"\",\"sdpMid\":null,\"sdpMLineIndex\":0}");
            JsonNode eoc = a1.readJson();
            assertThat(eoc.get("candidate").asText()).isEmpty();
            assertThat(eoc.get("from").asText()).isEqualTo("a2");

            a1.sendJson("{\"type\":\"bye\",\"to\":\"a2\"}");
            JsonNode bye = a2.readJson();
            assertThat(bye.get("type").asText()).isEqualTo("bye");
            assertThat(bye.get("from").asText()).isEqualTo("a1");

            // a3 saw none of it
            assertThat(a3.pollJson(Duration.ofMillis(300))).isNull();

            // presence on leave
            a2.sendClose(1000);
            a2.awaitEof(Duration.ofSeconds(3));
            assertThat(a1.readJson()).isEqualTo(RawWebSocket.JSON.readTree("{\"type\":\"agent_left\",\"agent_id\":\"a2\"}"));
            assertThat(a3.readJson()).isEqualTo(RawWebSocket.JSON.readTree("{\"type\":\"agent_left\",\"agent_id\":\"a2\"}"));

            assertThat(Servers.metric(s, "jrtc_signaling_messages_relayed_total{type=\"offer\"}")).isEqualTo(1.0);
            assertThat(Servers.metric(s, "jrtc_signaling_messages_relayed_total{type=\"answer\"}")).isEqualTo(1.0);
            assertThat(Servers.metric(s, "jrtc_signaling_messages_relayed_total{type=\"candidate\"}")).isEqualTo(2.0);
            assertThat(Servers.metric(s, "jrtc_signaling_messages_relayed_total{type=\"bye\"}")).isEqualTo(1.0);
            assertThat(Servers.metric(s, "jrtc_signaling_agents_connected")).isEqualTo(2.0);
        }
    }

    @Test
    void messagesBetweenOnePairArriveInOrder() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().rateLimit(10_000, 10_000));
        try (RawWebSocket a = Servers.register(s, "sender"); RawWebSocket b = Servers.register(s, "receiver")) {
            a.readJson(); // agent_joined receiver
            int n = 500;
            for (int i = 0; i < n; i++) {
                a.sendJson("{\"type\":\"candidate\",\"to\":\"receiver\",\"candidate\":\"c" + i + "\",\"sdpMid\":\"0\"}");
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                got.add(b.readJson().get("candidate").asText());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add("c" + i);
            }
            assertThat(got).isEqualTo(expected);
        }
    }
}
