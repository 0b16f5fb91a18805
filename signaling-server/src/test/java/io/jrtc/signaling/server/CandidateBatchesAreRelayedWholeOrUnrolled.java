package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code candidates} batch (protocol 1, revision 3) over real sockets: announced in {@code registered};
 * relayed as one message to a recipient that declared {@code features:["candidates"]} and unrolled into single
 * {@code candidate} messages (same order, same {@code from}) for one that did not, also across two instances
 * over Redis; charged as one message against the sender's budget; malformed and over-long batches refused
 * with {@code invalid_message} carrying their {@code id}; a server with batches off treats the type as unknown.
 */
class CandidateBatchesAreRelayedWholeOrUnrolled {

    private final Servers servers = new Servers();
    private RedisProcess redis;

    @AfterEach
    void tearDown() throws Exception {
        servers.close();
        if (redis != null) {
            redis.close();
        }
    }

    static RawWebSocket register(SignalingServer s, String agentId, boolean batches) throws Exception {
        RawWebSocket ws = RawWebSocket.connect(s.boundPort());
        ws.sendJson("{\"type\":\"register\",\"agent_id\":\"" + agentId + "\""
                + (batches ? ",\"features\":[\"candidates\",\"something-newer\"]" : "") + "}");
        JsonNode r = ws.readJson();
        assertThat(r.path("type").asText()).as("reply to register %s: %s", agentId, r).isEqualTo("registered");
        return ws;
    }

    /** A batch of {@code n} candidates to {@code to}; the last is end-of-candidates; one carries a usernameFragment. */
    static String batch(String to, int first, int n, String id) {
        StringBuilder sb = new StringBuilder("{\"type\":\"candidates\",\"to\":\"" + to + "\",\"from\":\"spoofed\","
                + "\"id\":\"" + id + "\",\"candidates\":[");
        for (int i = first; i < first + n; i++) {
            sb.append(i > first ? "," : "").append("{\"candidate\":\"")
                    .append(i == first + n - 1 ? "" : "candidate:" + i + " 1 udp 2130706431 127.0.0.1 " + (30000 + i)
                            + " typ host")
                    .append("\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0")
                    .append(i == first ? ",\"usernameFragment\":\"uf" + i + "\"" : "").append('}');
        }
        return sb.append("]}").toString();
    }

    private static String expectedCandidate(int first, int n, int i) {
        return i == first + n - 1 ? "" : "candidate:" + i + " 1 udp 2130706431 127.0.0.1 " + (30000 + i) + " typ host";
    }

    /** The {@code n} single candidates of the batch {@code id} that began at {@code first}, in order. */
    private static void readUnrolled(RawWebSocket ws, String from, int first, int n, String id) throws Exception {
        for (int i = first; i < first + n; i++) {
            JsonNode c = skipPresence(ws);
            assertThat(c.path("id").asText()).as("the batch's id on each single").isEqualTo(id);
            assertThat(c.path("type").asText()).as("message %d: %s", i, c).isEqualTo("candidate");
            assertThat(c.path("from").asText()).isEqualTo(from);
            assertThat(c.path("candidate").asText()).isEqualTo(expectedCandidate(first, n, i));
            assertThat(c.path("sdpMid").asText()).isEqualTo("0");
            assertThat(c.path("sdpMLineIndex").asInt()).isZero();
            assertThat(c.has("candidates")).isFalse();
            assertThat(c.path("usernameFragment").isMissingNode()).isEqualTo(i != first);
        }
    }

    private static void readBatch(RawWebSocket ws, String from, int first, int n) throws Exception {
        JsonNode b = skipPresence(ws);
        assertThat(b.path("type").asText()).as("%s", b).isEqualTo("candidates");
        assertThat(b.path("from").asText()).isEqualTo(from);
        assertThat(b.path("candidates")).hasSize(n);
        for (int i = first; i < first + n; i++) {
            assertThat(b.path("candidates").get(i - first).path("candidate").asText())
                    .isEqualTo(expectedCandidate(first, n, i));
        }
        assertThat(b.path("candidates").get(0).path("usernameFragment").asText()).isEqualTo("uf" + first);
    }

    @Test
    void registeredAnnouncesBatchesAndTheirLimit() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder());
        try (RawWebSocket a = RawWebSocket.connect(s.boundPort())) {
            a.sendJson("{\"type\":\"register\",\"agent_id\":\"a\"}");
            JsonNode r = a.readJson();
            assertThat(r.path("features")).extracting(JsonNode::asText).containsExactly("candidates", "link_report", "presence");
            assertThat(r.path("max_batch_candidates").asInt()).isEqualTo(64);
            assertThat(r.path("protocol_version").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aBatchReachesADeclaringRecipientWholeAndAnotherUnrolledInOrder() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder());
        try (RawWebSocket a = register(s, "a", true); RawWebSocket b = register(s, "b", true);
                RawWebSocket c = register(s, "c", false)) {
            a.sendJson(batch("b", 0, 64, "to-b"));
            a.sendJson(batch("c", 100, 64, "to-c"));
            a.sendJson(batch("c", 200, 3, "to-c-2"));
            readBatch(b, "a", 0, 64);
            readUnrolled(c, "a", 100, 64, "to-c");
            readUnrolled(c, "a", 200, 3, "to-c-2");
        }
        assertThat(Servers.metric(s, "jrtc_signaling_messages_relayed_total{type=\"candidates\"}")).isEqualTo(3);
        assertThat(Servers.metric(s, "jrtc_signaling_messages_relayed_total{type=\"candidate\"}")).isZero();
        assertThat(Servers.metric(s, "jrtc_signaling_batched_candidates_total")).isEqualTo(131);
        assertThat(Servers.metric(s, "jrtc_signaling_unrolled_batches_total")).isEqualTo(2);
    }

    /** The next message that is not presence. */
    private static JsonNode skipPresence(RawWebSocket ws) throws Exception {
        JsonNode m = ws.readJson();
        while (m.path("type").asText().startsWith("agent_")) {
            m = ws.readJson();
        }
        return m;
    }

    @Test
    void aBatchCostsOneMessageOfTheSendersBudget() throws Exception {
        // burst 3 and no backlog: register takes one token, two batches take the other two, the next is refused
        SignalingServer s = servers.start(SignalingServerConfig.builder().rateLimit(0.01, 3).maxBacklogMessages(0));
        try (RawWebSocket b = register(s, "b", false); RawWebSocket a = register(s, "a", true)) {
            a.sendJson(batch("b", 0, 64, "one"));
            a.sendJson(batch("b", 64, 64, "two"));
            a.sendJson("{\"type\":\"candidate\",\"to\":\"b\",\"candidate\":\"c\",\"id\":\"three\"}");
            JsonNode refused = a.readJson();
            assertThat(refused.path("code").asText()).isEqualTo("rate_limited");
            assertThat(refused.path("id").asText()).isEqualTo("three");
            readUnrolled(b, "a", 0, 64, "one");
            readUnrolled(b, "a", 64, 64, "two");
        }
        assertThat(Servers.errors(s, ErrorCode.RATE_LIMITED)).isEqualTo(1);
    }

    @Test
    void malformedAndOverLongBatchesGetInvalidMessageWithTheirId() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder());
        try (RawWebSocket a = register(s, "a", true); RawWebSocket b = register(s, "b", true)) {
            String[][] cases = {
                {"no-array", "{\"type\":\"candidates\",\"to\":\"b\",\"id\":\"no-array\",\"candidates\":{}}", "must be an array"},
                {"empty", "{\"type\":\"candidates\",\"to\":\"b\",\"id\":\"empty\",\"candidates\":[]}", "1 to 64"},
                {"bad-element", "{\"type\":\"candidates\",\"to\":\"b\",\"id\":\"bad-element\",\"candidates\":"
                        + "[{\"candidate\":\"c\"},{\"sdpMid\":\"0\"}]}", "candidates[1]: missing field 'candidate'"},
                {"bad-index", "{\"type\":\"candidates\",\"to\":\"b\",\"id\":\"bad-index\",\"candidates\":"
                        + "[{\"candidate\":\"c\",\"sdpMLineIndex\":70000}]}", "candidates[0]"},
                {"spoof", "{\"type\":\"candidates\",\"to\":\"b\",\"id\":\"spoof\",\"candidates\":"
                        + "[{\"candidate\":\"c\",\"from\":\"mallory\"}]}", "must not carry"},
                {"65", batch("b", 0, 65, "65"), "1 to 64 candidates, not 65"},
            };
            for (String[] k : cases) {
                a.sendJson(k[1]);
                JsonNode e = skipPresence(a);
                assertThat(e.path("code").asText()).as(k[0]).isEqualTo("invalid_message");
                assertThat(e.path("id").asText()).as(k[0]).isEqualTo(k[0]);
                assertThat(e.path("message").asText()).as(k[0]).contains(k[2]);
            }
            a.sendJson(batch("b", 0, 64, "sixty-four")); // the limit itself passes, and the connection still works
            readBatch(b, "a", 0, 64);
            a.sendJson(batch("nobody", 0, 2, "lost"));
            JsonNode unknown = a.readJson();
            assertThat(unknown.path("code").asText()).isEqualTo("unknown_agent");
            assertThat(unknown.path("id").asText()).isEqualTo("lost");
        }
        assertThat(Servers.errors(s, ErrorCode.INVALID_MESSAGE)).isEqualTo(6);
    }

    @Test
    void aServerWithBatchesOffNeitherAnnouncesNorAcceptsThem() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().candidateBatches(false));
        try (RawWebSocket a = RawWebSocket.connect(s.boundPort()); RawWebSocket b = register(s, "b", true)) {
            a.sendJson("{\"type\":\"register\",\"agent_id\":\"a\",\"features\":[\"candidates\"]}");
            JsonNode r = a.readJson();
            assertThat(r.path("features")).extracting(JsonNode::asText).containsExactly("link_report", "presence");
            assertThat(r.has("max_batch_candidates")).isFalse();
            a.sendJson(batch("b", 0, 2, "off"));
            JsonNode e = a.readJson();
            assertThat(e.path("code").asText()).isEqualTo("invalid_message");
            assertThat(e.path("id").asText()).isEqualTo("off");
            assertThat(e.path("message").asText()).contains("unknown type 'candidates'");
            a.sendJson("{\"type\":\"candidate\",\"to\":\"b\",\"candidate\":\"single\"}");
            assertThat(skipPresence(b).path("candidate").asText()).isEqualTo("single");
        }
    }

    @Test
    void acrossRedisTheDeliveringInstanceUnrollsForItsRecipient() throws Exception {
        redis = RedisProcess.start();
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
        SignalingServer one = servers.start(SignalingServerConfig.builder().redisUri(redis.uri())
                .redisKeyPrefix(prefix).instanceId("A"));
        SignalingServer two = servers.start(SignalingServerConfig.builder().redisUri(redis.uri())
                .redisKeyPrefix(prefix).instanceId("B"));
        try (RawWebSocket a = register(one, "a", true); RawWebSocket b = register(two, "b", true);
                RawWebSocket c = register(two, "c", false)) {
            for (int k = 0; k < 3; k++) {
                a.sendJson(batch("b", k * 64, 64, "b" + k));
                a.sendJson(batch("c", k * 64, 64, "c" + k));
            }
            for (int k = 0; k < 3; k++) {
                readBatch(b, "a", k * 64, 64);
            }
            for (int k = 0; k < 3; k++) {
                readUnrolled(c, "a", k * 64, 64, "c" + k);
            }
        }
        assertThat(Servers.metric(one, "jrtc_signaling_messages_relayed_total{type=\"candidates\"}")).isEqualTo(6);
        assertThat(Servers.metric(two, "jrtc_signaling_unrolled_batches_total")).isEqualTo(3);
        assertThat(Servers.metric(one, "jrtc_signaling_unrolled_batches_total")).isZero();
    }
}
