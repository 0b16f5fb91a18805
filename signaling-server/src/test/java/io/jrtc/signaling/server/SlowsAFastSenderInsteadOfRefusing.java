package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soft and the hard limit. Within the soft limit (token bucket) messages pass at once; over it the server
 * holds them and pauses reads, so a fast sender is slowed down, not refused; only beyond the hard limit (the
 * backlog) is a message refused, with {@code rate_limited} carrying that message's {@code id}. The
 * {@code registered} reply announces the budget.
 */
class SlowsAFastSenderInsteadOfRefusing {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    /** True if no text message arrives within {@code d}. */
    static boolean silentFor(RawWebSocket ws, Duration d) throws java.io.IOException {
        try {
            JsonNode m = ws.readJson(d);
            throw new AssertionError("unexpected message " + m);
        } catch (java.net.SocketTimeoutException e) {
            return true;
        }
    }

    private static List<String> candidates(String to, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"type\":\"candidate\",\"to\":\"" + to + "\",\"candidate\":\"candidate:" + i
                    + " 1 udp 2122260223 127.0.0.1 " + (40000 + i) + " typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,"
                    + "\"id\":" + i + "}");
        }
        return out;
    }

    @Test
    void healthyAgentSending200CandidatesInOneBurstHasNoneRefusedWithDefaults() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder());
        try (RawWebSocket a = Servers.register(s, "joiner"); RawWebSocket b = Servers.register(s, "neighbour")) {
            a.readJson(); // agent_joined neighbour
            a.sendTextBurst(candidates("neighbour", 200));
            for (int i = 0; i < 200; i++) {
                JsonNode m = b.readJson();
                assertThat(m.get("type").asText()).as("message %d: %s", i, m).isEqualTo("candidate");
                assertThat(m.get("id").asText()).isEqualTo(Integer.toString(i));
            }
            // nothing came back to the sender: no rate_limited
            assertThat(silentFor(a, Duration.ofMillis(300))).as("no rate_limited").isTrue();
        }
        assertThat(Servers.errors(s, ErrorCode.RATE_LIMITED)).isZero();
    }

    @Test
    void registeredAnnouncesTheBudget() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().rateLimit(70, 140).maxBacklogMessages(300));
        try (RawWebSocket a = RawWebSocket.connect(s.boundPort())) {
            a.sendJson("{\"type\":\"register\",\"agent_id\":\"a\"}");
            JsonNode r = a.readJson();
            assertThat(r.path("rate_limit").path("messages_per_second").asDouble()).isEqualTo(70.0);
            assertThat(r.path("rate_limit").path("burst").asInt()).isEqualTo(140);
            assertThat(r.path("rate_limit").path("max_backlog").asInt()).isEqualTo(300);
            assertThat(r.path("rate_limit").path("max_message_bytes").asInt())
                    .isEqualTo(SignalingServerConfig.DEFAULT_MAX_FRAME_BYTES);
            assertThat(r.path("protocol_version").asInt()).isEqualTo(1);
        }
    }

    @Test
    void senderOverTheSoftLimitIsSlowedDownAndEveryMessageArrivesInOrder() throws Exception {
        // soft: 200/s, burst 20; hard: 1,000 held. 300 messages in one write: 280 are held and paced out.
        SignalingServer s = servers.start(SignalingServerConfig.builder().rateLimit(200, 20));
        try (RawWebSocket a = Servers.register(s, "fast"); RawWebSocket b = Servers.register(s, "slow-reader")) {
            a.readJson();
            long t0 = System.nanoTime();
            a.sendTextBurst(candidates("slow-reader", 300));
            for (int i = 0; i < 300; i++) {
                JsonNode m = b.readJson();
                assertThat(m.get("id").asText()).as("in order").isEqualTo(Integer.toString(i));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // (300 - 20 + 1 for the register) / 200 per second: about 1.4 s; never at once
            assertThat(seconds).as("paced to the soft limit").isGreaterThan(1.0);
            assertThat(silentFor(a, Duration.ofMillis(300))).as("no error to the sender").isTrue();
        }
        assertThat(Servers.errors(s, ErrorCode.RATE_LIMITED)).isZero();
        assertThat(Servers.metric(s, "jrtc_signaling_shaped_messages_total")).isGreaterThanOrEqualTo(250.0);
        assertThat(Servers.metric(s, "jrtc_signaling_read_pauses_total")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void onlyMessagesBeyondTheHardLimitAreRefusedEachWithItsId() throws Exception {
        // soft: 20/s, burst 2 (register takes one); hard: 2 held. 30 messages in one write: what one socket
        // read brings beyond the backlog is refused; later reads wait for the backlog (TCP pushback).
        SignalingServer s = servers.start(SignalingServerConfig.builder().rateLimit(20, 2).maxBacklogMessages(2));
        try (RawWebSocket a = Servers.register(s, "burster"); RawWebSocket b = Servers.register(s, "target")) {
            a.readJson();
            a.sendTextBurst(candidates("target", 30));
            List<Integer> refused = readIds(a, "rate_limited");
            List<Integer> delivered = readIds(b, "candidate");
            assertThat(refused).as("some refused").isNotEmpty().isSorted();
            assertThat(delivered).as("delivered in order").isNotEmpty().isSorted().doesNotContainAnyElementsOf(refused);
            assertThat(refused.size() + delivered.size()).as("each message delivered or refused with its id")
                    .isEqualTo(30);
            assertThat(Servers.errors(s, ErrorCode.RATE_LIMITED)).isEqualTo(refused.size());
        }
    }

    /** The ids of the messages of {@code kind} (a relayed type or an error code) until 1.5 s of silence. */
    private static List<Integer> readIds(RawWebSocket ws, String kind) throws java.io.IOException {
        List<Integer> ids = new ArrayList<>();
        while (true) {
            JsonNode m;
            try {
                m = ws.readJson(Duration.ofMillis(1500));
            } catch (java.net.SocketTimeoutException e) {
                return ids;
            }
            assertThat(m.path("type").asText().equals("error") ? m.path("code").asText() : m.path("type").asText())
                    .as("%s", m).isEqualTo(kind);
            ids.add(Integer.parseInt(m.get("id").asText()));
        }
    }
}
