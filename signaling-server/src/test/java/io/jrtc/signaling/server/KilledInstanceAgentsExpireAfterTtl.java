package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance B runs in its own JVM and is killed with SIGKILL. Its agents' presence was never released, so
 * instance A's agents learn of it only through the TTL: relays to them fail at once with unknown_agent (B's
 * channel has no subscriber), and agent_left arrives once the TTL has run out, not before.
 */
class KilledInstanceAgentsExpireAfterTtl {

    private final Servers servers = new Servers();
    private RedisProcess redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        servers.close();
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void agentsOfAKilledInstanceExpireAndTheSurvivorEmitsAgentLeft(@TempDir Path dir) throws Exception {
        String prefix = "k" + UUID.randomUUID().toString().substring(0, 8) + ":";
        Duration ttl = Duration.ofMillis(2000);
        SignalingServer a = servers.start(SignalingServerConfig.builder().redisUri(redis.uri()).redisKeyPrefix(prefix)
                .instanceId("survivor").presenceTtl(ttl));
        try (ChildServer b = ChildServer.start(dir.resolve("b.log"), "--port", "0", "--redis", redis.uri(),
                "--redis-prefix", prefix, "--instance-id", "doomed", "--presence-ttl", ttl.toMillis() + "ms");
             RawWebSocket a1 = Servers.register(a, "a1");
             RawWebSocket b1 = RawWebSocket.connect(b.port());
             RawWebSocket b2 = RawWebSocket.connect(b.port())) {
            b1.sendJson("{\"type\":\"register\",\"agent_id\":\"b1\"}");
            JsonNode rb1 = b1.readJson();
            assertThat(rb1.path("type").asText()).as("reply %s", rb1).isEqualTo("registered");
            assertThat(rb1.get("connected_agents")).extracting(JsonNode::asText).containsExactly("a1");
            b2.sendJson("{\"type\":\"register\",\"agent_id\":\"b2\"}");
            assertThat(b2.readJson().get("type").asText()).isEqualTo("registered");
            Set<String> joined = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                JsonNode j = a1.readJson();
                assertThat(j.path("type").asText()).as("message %s", j).isEqualTo("agent_joined");
                joined.add(j.get("agent_id").asText());
            }
            assertThat(joined).containsExactlyInAnyOrder("b1", "b2");
            // a relay works while B lives
            a1.sendJson("{\"type\":\"offer\",\"to\":\"b1\",\"sdp\":\"before\"}");
            assertThat(b1.readJson().get("agent_id").asText()).isEqualTo("b2"); // b1 saw b2 join
            assertThat(b1.readJson().get("sdp").asText()).isEqualTo("before");

            // let B heartbeat at least once, so the TTL it leaves behind is a full one
            assertThat(a1.pollJson(Duration.ofMillis(800))).isNull();
            long killedAt = System.nanoTime();
            b.kill();

            // B's channel has no subscriber any more: a relay fails at once
            a1.sendJson("{\"type\":\"offer\",\"to\":\"b1\",\"sdp\":\"after\"}");
            JsonNode e = a1.readJson();
            assertThat(e.get("code").asText()).isEqualTo("unknown_agent");

            Set<String> left = new HashSet<>();
            while (left.size() < 2) {
                JsonNode m = a1.readJson(Duration.ofSeconds(15));
                assertThat(m.get("type").asText()).isEqualTo("agent_left");
                left.add(m.get("agent_id").asText());
            }
            long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(left).containsExactlyInAnyOrder("b1", "b2");

            assertThat(tookMs).as("agent_left after %d ms", tookMs)
                    .isGreaterThanOrEqualTo(300) // not instant: nobody released them, only the TTL ends them
                    .isLessThan(ttl.toMillis() * 3 + 2000);
            assertThat(a1.pollJson(Duration.ofMillis(ttl.toMillis()))).as("exactly one agent_left each").isNull();

            // a newcomer no longer sees them
            try (RawWebSocket late = RawWebSocket.connect(a.boundPort())) {
                late.sendJson("{\"type\":\"register\",\"agent_id\":\"late\"}");
                assertThat(late.readJson().get("connected_agents")).extracting(JsonNode::asText).containsExactly("a1");
            }
        }
    }

    /**
     * Under REFUSE, the id of an agent whose instance died is not held for the TTL: the agent re-registers on the
     * survivor at once (the dead owner has no subscriber on its channel), as it does after reconnecting through a load
     * balancer. Other agents never see it leave.
     */
    @Test
    void anAgentOfAKilledInstanceReRegistersOnTheSurvivorAtOnceUnderRefuse(@TempDir Path dir) throws Exception {
        String prefix = "r" + UUID.randomUUID().toString().substring(0, 8) + ":";
        Duration ttl = Duration.ofMillis(3000);
        SignalingServer a = servers.start(SignalingServerConfig.builder().redisUri(redis.uri()).redisKeyPrefix(prefix)
                .instanceId("survivor").presenceTtl(ttl));
        try (ChildServer b = ChildServer.start(dir.resolve("b.log"), "--port", "0", "--redis", redis.uri(),
                "--redis-prefix", prefix, "--instance-id", "doomed", "--presence-ttl", ttl.toMillis() + "ms");
             RawWebSocket a1 = Servers.register(a, "a1");
             RawWebSocket b1 = RawWebSocket.connect(b.port())) {
            b1.sendJson("{\"type\":\"register\",\"agent_id\":\"b1\"}");
            assertThat(b1.readJson().path("type").asText()).isEqualTo("registered");
            assertThat(a1.readJson().get("agent_id").asText()).isEqualTo("b1"); // agent_joined

            // While B lives, REFUSE holds.
            try (RawWebSocket dup = RawWebSocket.connect(a.boundPort())) {
                dup.sendJson("{\"type\":\"register\",\"agent_id\":\"b1\"}");
                assertThat(dup.readJson().get("code").asText()).isEqualTo("agent_id_taken");
            }
            b.kill();
            long killedAt = System.nanoTime();
            try (RawWebSocket again = RawWebSocket.connect(a.boundPort())) {
                again.sendJson("{\"type\":\"register\",\"agent_id\":\"b1\"}");
                JsonNode r = again.readJson();
                assertThat(r.path("type").asText()).as("reply %s", r).isEqualTo("registered");
                assertThat((System.nanoTime() - killedAt) / 1_000_000).as("ms").isLessThan(ttl.toMillis());
                // a1 reaches b1 on its new instance, and never hears agent_left for it (the survivor owns the key now)
                a1.sendJson("{\"type\":\"offer\",\"to\":\"b1\",\"sdp\":\"moved\"}");
                assertThat(again.readJson().get("sdp").asText()).isEqualTo("moved");
                assertThat(a1.pollJson(Duration.ofMillis(ttl.toMillis() * 2))).as("no presence event for b1").isNull();
            }
        }
    }
}
