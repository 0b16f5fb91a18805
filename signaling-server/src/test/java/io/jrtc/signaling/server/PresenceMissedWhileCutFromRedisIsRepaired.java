package io.jrtc.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis pub/sub delivers at most once: a join or leave published while an instance is cut from Redis never reaches
 * that instance. Instance A talks to a real redis-server through a relay that the test cuts for about half a second
 * (less than the presence TTL, so A's own agents stay present), and each time an agent of instance B joins or leaves
 * meanwhile. After the cut, A's agent must still learn of it: once, late, from A's presence repair (the subscription
 * came back, so A reads the live agents and announces the difference). Before the repair existed A's agent never
 * heard of either.
 */
class PresenceMissedWhileCutFromRedisIsRepaired {

    private final Servers servers = new Servers();
    private RedisProcess redis;
    private CuttableTcpProxy relay;
    private String prefix;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisProcess.start();
        relay = new CuttableTcpProxy(redis.port());
        prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    @AfterEach
    void tearDown() throws Exception {
        servers.close();
        relay.close();
        redis.close();
    }

    private SignalingServerConfig.Builder instance(String name, String redisUri) {
        // TTL 6 s: A's heartbeat (every 2 s) may fail during a cut without its agents expiring
        return SignalingServerConfig.builder().redisUri(redisUri).redisKeyPrefix(prefix).instanceId(name)
                .presenceTtl(Duration.ofSeconds(6)).rateLimit(1000, 1000);
    }

    private static JsonNode presence(String type, String id) throws Exception {
        return RawWebSocket.JSON.readTree("{\"type\":\"" + type + "\",\"agent_id\":\"" + id + "\"}");
    }

    @Test
    void aJoinAndALeaveMissedDuringACutReachTheAgentsAfterIt() throws Exception {
        SignalingServer a = servers.start(instance("A", "redis://127.0.0.1:" + relay.port()));
        SignalingServer b = servers.start(instance("B", redis.uri()));
        try (RawWebSocket a1 = Servers.register(a, "a1")) {
            relay.cut();
            RawWebSocket b1 = Servers.register(b, "b1");
            // b1's registered reply (read by register) came after its join was published, which A could not get
            assertThat(a1.pollJson(Duration.ofMillis(300))).as("nothing reaches a1 while A is cut").isNull();
            relay.restore();
            // Lettuce reconnects within a second; the repair reads Redis one heartbeat (2 s) and two seconds later
            assertThat(a1.readJson(Duration.ofSeconds(15))).isEqualTo(presence("agent_joined", "b1"));
            assertThat(Servers.metric(a, "jrtc_signaling_presence_repaired_total{event=\"joined\"}")).isEqualTo(1.0);

            relay.cut();
            b1.sendClose(1000);
            assertThat(b1.awaitCloseFrame(Duration.ofSeconds(5))).isEqualTo(1000);
            // the leave is published by the script that deletes b1's key: wait for the key to go
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!"0".equals(redis.command("EXISTS", prefix + "agent:b1")) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            assertThat(redis.command("EXISTS", prefix + "agent:b1")).as("B released b1").isEqualTo("0");
            relay.restore();
            assertThat(a1.readJson(Duration.ofSeconds(15))).isEqualTo(presence("agent_left", "b1"));
            assertThat(Servers.metric(a, "jrtc_signaling_presence_repaired_total{event=\"left\"}")).isEqualTo(1.0);
            // announced once: nothing more comes, and a1 is still registered and reachable through A
            assertThat(a1.pollJson(Duration.ofSeconds(1))).isNull();
            try (RawWebSocket b2 = Servers.register(b, "b2")) {
                assertThat(a1.readJson(Duration.ofSeconds(5))).as("live presence flows again")
                        .isEqualTo(presence("agent_joined", "b2"));
                b2.sendJson("{\"type\":\"offer\",\"to\":\"a1\",\"sdp\":\"v=0 after the cuts\"}");
                assertThat(a1.readJson(Duration.ofSeconds(5)).get("sdp").asText()).isEqualTo("v=0 after the cuts");
            }
        }
    }

    /**
     * Redis restarts empty while an agent of B leaves: its leave could not be published (Redis was down), and the
     * fresh Redis never knew it, so no reaper will ever announce it. A's repair, one heartbeat period and two
     * seconds after A subscribed again (by then the heartbeats have put every live agent back), finds it gone and tells a1.
     */
    @Test
    void anAgentThatLeftWhileRedisWasDownIsAnnouncedGoneAfterARestart() throws Exception {
        SignalingServer a = servers.start(instance("A", redis.uri()));
        SignalingServer b = servers.start(instance("B", redis.uri()));
        try (RawWebSocket a1 = Servers.register(a, "a1"); RawWebSocket stays = Servers.register(b, "stays")) {
            assertThat(a1.readJson()).isEqualTo(presence("agent_joined", "stays"));
            RawWebSocket gone = Servers.register(b, "gone");
            assertThat(a1.readJson()).isEqualTo(presence("agent_joined", "gone"));
            redis.kill();
            gone.sendClose(1000);
            assertThat(gone.awaitCloseFrame(Duration.ofSeconds(5))).isEqualTo(1000);
            redis.launch(); // empty: a new store, as after a crash without persistence
            // the heartbeats put a1 and "stays" back (B's publishes "joined stays" again: an agent that registered
            // while Redis was refilled needs it); "gone" is not there any more, and only the repair can say so
            JsonNode staysAgain = presence("agent_joined", "stays");
            List<JsonNode> seen = new ArrayList<>();
            JsonNode m;
            do {
                m = a1.readJson(Duration.ofSeconds(20));
                seen.add(m);
            } while (!m.equals(presence("agent_left", "gone")) && seen.size() < 5);
            assertThat(seen).as("what a1 heard after the restart").last().isEqualTo(presence("agent_left", "gone"));
            assertThat(seen.subList(0, seen.size() - 1)).as("before it, at most the heartbeat's join of the one that stayed")
                    .allMatch(staysAgain::equals);
            assertThat(Servers.metric(a, "jrtc_signaling_presence_repaired_total{event=\"left\"}")).isEqualTo(1.0);
            JsonNode after = a1.pollJson(Duration.ofSeconds(1));
            assertThat(after == null || after.equals(staysAgain)).as("nothing else: %s", after).isTrue();
        }
    }
}
