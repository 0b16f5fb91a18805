package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While garbage senders, binary senders, oversized senders, flooders and clients that vanish mid-frame
 * hammer the server, two healthy agents exchange 1,000 messages each way: every one arrives, in order,
 * exactly once.
 */
class BadClientsDoNotDisturbHealthyAgents {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void everyMessageBetweenHealthyAgentsArrivesInOrderDuringAttack() throws Exception {
        // no backlog: the flooders are refused and closed rather than slowed down (shaping has its own test)
        SignalingServer s = servers.start(SignalingServerConfig.builder().rateLimit(2_000, 2_000).maxBacklogMessages(0)
                .maxFrameBytes(8192));
        int n = 1000;
        try (RawWebSocket a = Servers.register(s, "healthy-a"); RawWebSocket b = Servers.register(s, "healthy-b")) {
            assertThat(a.readJson().get("agent_id").asText()).isEqualTo("healthy-b");
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> attackers = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                final int kind = k;
                attackers.add(pool.submit(() -> attack(s.boundPort(), kind)));
            }
            Future<List<String>> atB = pool.submit(() -> drain(b, "healthy-a", n));
            Future<List<String>> atA = pool.submit(() -> drain(a, "healthy-b", n));
            for (int i = 0; i < n; i++) {
                a.sendJson("{\"type\":\"candidate\",\"to\":\"healthy-b\",\"candidate\":\"a" + i + "\",\"sdpMid\":\"0\"}");
                b.sendJson("{\"type\":\"candidate\",\"to\":\"healthy-a\",\"candidate\":\"b" + i + "\",\"sdpMid\":\"0\"}");
            }
            List<String> gotB = atB.get(30, TimeUnit.SECONDS);
            List<String> gotA = atA.get(30, TimeUnit.SECONDS);
            for (Future<?> f : attackers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            List<String> expectA = new ArrayList<>();
            List<String> expectB = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expectA.add("a" + i);
                expectB.add("b" + i);
            }
            assertThat(gotB).isEqualTo(expectA);
            assertThat(gotA).isEqualTo(expectB);
        }
        assertThat(Servers.errors(s, ErrorCode.INVALID_MESSAGE)).isGreaterThan(0);
        assertThat(Servers.errors(s, ErrorCode.TOO_LARGE)).isGreaterThan(0);
        assertThat(Servers.errors(s, ErrorCode.RATE_LIMITED)).isGreaterThan(0);
    }

    /** Reads until {@code n} candidates from {@code from} arrived; anything else (presence) is skipped. */
    private static List<String> drain(RawWebSocket ws, String from, int n) throws IOException {
        List<String> got = new ArrayList<>();
        while (got.size() < n) {
            JsonNode m = ws.readJson(Duration.ofSeconds(20));
            if (m.path("type").asText().equals("candidate")) {
                assertThat(m.get("from").asText()).isEqualTo(from);
                got.add(m.get("candidate").asText());
            } else {
                assertThat(m.path("type").asText()).isIn("agent_joined", "agent_left");
            }
        }
        return got;
    }

    private static Void attack(int port, int kind) throws IOException {
        SplittableRandom rnd = new SplittableRandom(kind);
        for (int round = 0; round < 15; round++) {
            try (RawWebSocket ws = RawWebSocket.connect(port)) {
                switch (kind) {
                    case 0 -> { // garbage text
                        for (int i = 0; i < 30; i++) {
                            byte[] junk = new byte[rnd.nextInt(1, 100)];
                            for (int j = 0; j < junk.length; j++) {
                                junk[j] = (byte) rnd.nextInt(32, 127);
                            }
                            ws.sendText(new String(junk));
                        }
                    }
                    case 1 -> { // binary, then a half-sent frame and vanish
                        ws.sendBinary(new byte[] {1, 2, 3});
                        ws.sendHeaderClaiming(0x1, 5000, 100);
                    }
                    case 2 -> ws.sendText("{\"type\":\"offer\",\"to\":\"healthy-a\",\"sdp\":\"" + "q".repeat(10_000) + "\"}");
                    default -> { // flood to the healthy agents without registering, then registered flood
                        ws.sendJson("{\"type\":\"register\",\"agent_id\":\"flood-" + round + "\"}");
                        if (round >= 4) {
                            break;
                        }
                        List<String> burst = new ArrayList<>();
                        for (int i = 0; i < 8000; i++) {
                            burst.add("{\"type\":\"bye\",\"to\":\"nobody-" + i + "\"}");
                        }
                        ws.sendTextBurst(burst);
                        // read the replies until the server closes the flood (1008)
                        assertThat(ws.awaitEof(Duration.ofSeconds(10))).isTrue();
                    }
                }
            } catch (IOException expectedWhenTheServerHangsUp) {
                // the server may close an attacker while it is still writing
            }
        }
        return null;
    }
}
