package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server instances and a real redis-server form one signaling space: cross-instance offer, answer,
 * candidates (in order), end-of-candidates and bye; shared presence both ways, each event announced once; unknown_agent
 * across the space; duplicate ids refused or taken over across instances; backbone_unavailable while Redis is down.
 */
class TwoInstancesShareOneSignalingSpaceOverRedis {

    private final Servers servers = new Servers();
    private RedisProcess redis;
    private String prefix;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisProcess.start();
        prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    @AfterEach
    void tearDown() throws Exception {
        servers.close();
        if (redis != null) {
            redis.close();
        }
    }

    private SignalingServerConfig.Builder instance(String name) {
        return SignalingServerConfig.builder().redisUri(redis.uri()).redisKeyPrefix(prefix).instanceId(name)
                .presenceTtl(Duration.ofSeconds(2)).rateLimit(1000, 1000);
    }

    @Test
    void agentsOnDifferentInstancesSignalEachOther() throws Exception {
        SignalingServer a = servers.start(instance("A"));
        SignalingServer b = servers.start(instance("B"));
        try (RawWebSocket a1 = RawWebSocket.connect(a.boundPort()); RawWebSocket b1 = RawWebSocket.connect(b.boundPort())) {
            a1.sendJson("{\"type\":\"register\",\"agent_id\":\"a1\"}");
            JsonNode ra = a1.readJson();
            assertThat(ra.get("type").asText()).isEqualTo("registered");
            assertThat(ra.get("connected_agents")).isEmpty();
            b1.sendJson("{\"type\":\"register\",\"agent_id\":\"b1\"}");
            JsonNode rb = b1.readJson();
            assertThat(rb.get("connected_agents")).extracting(JsonNode::asText).containsExactly("a1");
            assertThat(a1.readJson()).isEqualTo(RawWebSocket.JSON.readTree("{\"type\":\"agent_joined\",\"agent_id\":\"b1\"}"));

            a1.sendJson("{\"type\":\"offer\",\"to\":\"b1\",\"sdp\":\"v=0 offer from A\"}");
            JsonNode offer = b1.readJson();
            assertThat(offer.get("type").asText()).isEqualTo("offer");
            assertThat(offer.get("from").asText()).isEqualTo("a1");
            assertThat(offer.get("sdp").asText()).isEqualTo("v=0 offer from A");

            b1.sendJson("{\"type\":\"answer\",\"to\":\"a1\",\"sdp\":\"v=0 answer from B\"}");
            JsonNode answer = a1.readJson();
            assertThat(answer.get("from").asText()).isEqualTo("b1");
            assertThat(answer.get("sdp").asText()).isEqualTo("v=0 answer from B");

            int n = 200;
            for (int i = 0; i < n; i++) {
                a1.sendJson("{\"type\":\"candidate\",\"to\":\"b1\",\"candidate\":\"cand-" + i + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
            }
            a1.sendJson("{\"type\":\"candidate\",\"to\":\"b1\",\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
            b1.sendJson("{\"type\":\"candidate\",\"to\":\"a1\",\"candidate\":\"from-b\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
            List<String> got = new ArrayList<>();
            for (int i = 0; i <= n; i++) {
                JsonNode c = b1.readJson();
                assertThat(c.get("from").asText()).isEqualTo("a1");
                got.add(c.get("candidate").asText());
            }
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i)).isEqualTo("cand-" + i);
            }
            assertThat(got.get(n)).as("end-of-candidates").isEmpty();
            assertThat(a1.readJson().get("candidate").asText()).isEqualTo("from-b");

            a1.sendJson("{\"type\":\"bye\",\"to\":\"b1\"}");
            assertThat(b1.readJson().get("type").asText()).isEqualTo("bye");

            a1.sendJson("{\"type\":\"offer\",\"to\":\"ghost\",\"sdp\":\"v=0\"}");
            JsonNode unknown = a1.readJson();
            assertThat(unknown.get("code").asText()).isEqualTo("unknown_agent");
            assertThat(unknown.get("to").asText()).isEqualTo("ghost");

            // presence of a clean leave crosses instances at once
            b1.sendClose(1000);
            assertThat(a1.readJson()).isEqualTo(RawWebSocket.JSON.readTree("{\"type\":\"agent_left\",\"agent_id\":\"b1\"}"));
            a1.sendJson("{\"type\":\"bye\",\"to\":\"b1\"}");
            assertThat(a1.readJson().get("code").asText()).isEqualTo("unknown_agent");
        }
        assertThat(Servers.metric(a, "jrtc_signaling_messages_relayed_total{type=\"candidate\"}")).isEqualTo(201.0);
        assertThat(Servers.metric(a, "jrtc_signaling_relay_latency_seconds_count{path=\"redis\"}")).isGreaterThanOrEqualTo(203.0);
    }

    @Test
    void duplicateIdAcrossInstancesIsRefused() throws Exception {
        SignalingServer a = servers.start(instance("A"));
        SignalingServer b = servers.start(instance("B"));
        try (RawWebSocket first = Servers.register(a, "same"); RawWebSocket second = RawWebSocket.connect(b.boundPort())) {
            second.sendJson("{\"type\":\"register\",\"agent_id\":\"same\"}");
            assertThat(second.readJson().get("code").asText()).isEqualTo("agent_id_taken");
            second.sendJson("{\"type\":\"register\",\"agent_id\":\"other\"}");
            JsonNode r = second.readJson();
            assertThat(r.get("connected_agents")).extracting(JsonNode::asText).containsExactly("same");
            assertThat(first.readJson().get("agent_id").asText()).isEqualTo("other");
        }
    }

    @Test
    void duplicateIdAcrossInstancesTakesOver() throws Exception {
        SignalingServer a = servers.start(instance("A").duplicateIdPolicy(DuplicateIdPolicy.TAKE_OVER));
        SignalingServer b = servers.start(instance("B").duplicateIdPolicy(DuplicateIdPolicy.TAKE_OVER));
        try (RawWebSocket watcher = Servers.register(a, "watcher"); RawWebSocket old = Servers.register(a, "roamer")) {
            assertThat(watcher.readJson().get("agent_id").asText()).isEqualTo("roamer");
            try (RawWebSocket moved = Servers.register(b, "roamer")) {
                JsonNode kicked = old.readJson();
                assertThat(kicked.get("code").asText()).isEqualTo("session_replaced");
                assertThat(old.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(4001);
                watcher.sendJson("{\"type\":\"offer\",\"to\":\"roamer\",\"sdp\":\"follow me\"}");
                JsonNode o = moved.readJson();
                assertThat(o.get("sdp").asText()).isEqualTo("follow me");
                assertThat(o.get("from").asText()).isEqualTo("watcher");
                assertThat(watcher.pollJson(Duration.ofMillis(500))).as("no left/joined for a take-over").isNull();
            }
        }
    }

    @Test
    void registrationWhileRedisIsDownGetsBackboneUnavailableThenRecovers() throws Exception {
        SignalingServer a = servers.start(instance("A"));
        try (RawWebSocket early = Servers.register(a, "early")) {
            redis.kill();
            try (RawWebSocket c = RawWebSocket.connect(a.boundPort())) {
                c.sendJson("{\"type\":\"register\",\"agent_id\":\"late\"}");
                JsonNode e = c.readJson(Duration.ofSeconds(10));
                assertThat(e.get("code").asText()).isEqualTo("backbone_unavailable");
                redis.launch();
                registerOnceRedisIsBack(c, "late");
            }
        }
        assertThat(Servers.errors(a, ErrorCode.BACKBONE_UNAVAILABLE)).isGreaterThanOrEqualTo(1.0);
    }

    /**
     * Lettuce reconnects by itself: the same connection retries registering every 200 ms, each refusal being
     * {@code backbone_unavailable}, until it is registered (30 s at most).
     */
    private static void registerOnceRedisIsBack(RawWebSocket c, String id) throws Exception {
        JsonNode r = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            c.sendJson("{\"type\":\"register\",\"agent_id\":\"" + id + "\"}");
            r = c.readJson(Duration.ofSeconds(10));
            if (r.get("type").asText().equals("registered")) {
                break;
            }
            assertThat(r.get("code").asText()).isEqualTo("backbone_unavailable");
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
        assertThat(r.get("type").asText()).isEqualTo("registered");
    }

    // Presence events travel over Redis pub/sub on their own connection, so one can reach an instance after an
    // agent there registered with a list that already holds it. The late delivery is reproduced by publishing the
    // stale event again by hand.

    private static JsonNode presence(String type, String id) throws Exception {
        return RawWebSocket.JSON.readTree("{\"type\":\"" + type + "\",\"agent_id\":\"" + id + "\"}");
    }

    @Test
    void aJoinThatArrivesAfterTheRegisteredListIsNotAnnouncedAgain() throws Exception {
        SignalingServer a = servers.start(instance("A"));
        SignalingServer b = servers.start(instance("B"));
        try (RawWebSocket a1 = Servers.register(a, "a1")) {
            String a1Joined = redis.command("GET", prefix + "presence:seq");
            assertThat(a1Joined).as("the join of a1 is numbered").isNotNull();
            try (RawWebSocket b1 = Servers.register(b, "b1")) {
                assertThat(a1.readJson()).isEqualTo(presence("agent_joined", "b1"));
                // what a slow subscription hands to B after b1's registered reply already listed a1
                String late = "joined\na1\nA\n" + a1Joined;
                assertThat(redis.command("PUBLISH", prefix + "presence", late)).isEqualTo("2");
                // an event a pre-numbering instance sends carries no number: it is delivered as before
                redis.command("PUBLISH", prefix + "presence", "joined\nold1\nA");
                try (RawWebSocket c1 = Servers.register(a, "c1")) {
                    assertThat(b1.readJson()).as("no second agent_joined for a1").isEqualTo(presence("agent_joined", "old1"));
                    assertThat(b1.readJson()).isEqualTo(presence("agent_joined", "c1"));
                    assertThat(a1.readJson()).isEqualTo(presence("agent_joined", "old1"));
                    assertThat(a1.readJson()).isEqualTo(presence("agent_joined", "c1"));
                    // and a stale left for an agent the list already lacked is dropped too
                    long beforeB1 = Long.parseLong(a1Joined);
                    redis.command("PUBLISH", prefix + "presence", "left\nx9\nA\n" + beforeB1);
                    c1.sendClose(1000);
                    assertThat(b1.readJson()).isEqualTo(presence("agent_left", "c1"));
                    assertThat(a1.readJson()).isEqualTo(presence("agent_left", "c1"));
                }
                assertThat(b1.pollJson(Duration.ofMillis(300))).isNull();
            }
        }
    }

    @Test
    void numbersClimbPastARedisThatRestartedEmpty() throws Exception {
        SignalingServer a = servers.start(instance("A"));
        SignalingServer b = servers.start(instance("B"));
        // twenty events before b1 registers: its list reflects a high number
        for (int i = 0; i < 10; i++) {
            Servers.register(a, "churn" + i).sendClose(1000);
        }
        try (RawWebSocket b1 = Servers.register(b, "b1")) {
            long before = Long.parseLong(redis.command("GET", prefix + "presence:seq"));
            redis.kill();
            redis.launch();
            assertThat(redis.command("GET", prefix + "presence:seq")).as("Redis restarted empty").isNull();
            try (RawWebSocket c = RawWebSocket.connect(a.boundPort())) {
                registerOnceRedisIsBack(c, "late");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                long after = Long.parseLong(redis.command("GET", prefix + "presence:seq"));
                assertThat(after).as("the new counter starts above every number given before").isGreaterThan(before);
                // b1 registered before the restart; the join of 'late' still reaches it (the heartbeat may first
                // announce b1 itself again to others, never to b1)
                List<String> seen = new ArrayList<>();
                while (!seen.contains("late") && System.nanoTime() < deadline) {
                    JsonNode m = b1.readJson(Duration.ofSeconds(10));
                    assertThat(m.get("type").asText()).isEqualTo("agent_joined");
                    seen.add(m.get("agent_id").asText());
                }
                assertThat(seen).contains("late").doesNotContain("b1");
            }
        }
    }
}
