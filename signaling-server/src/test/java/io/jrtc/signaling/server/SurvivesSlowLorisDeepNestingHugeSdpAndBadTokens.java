package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Abuse the server survives, each over a real socket: 500 connections that never register (some never even
 * finish the HTTP upgrade), a deeply nested JSON message, a 60 KB SDP (relayed byte for byte), and tokens
 * tampered in every field, expired, for another id, in a non-canonical form, or absurdly long.
 */
class SurvivesSlowLorisDeepNestingHugeSdpAndBadTokens {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void fiveHundredConnectionsThatNeverRegisterDoNotStopHealthyAgentsAndAreClosed() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().registerTimeout(Duration.ofSeconds(2)));
        List<AutoCloseable> loris = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                if (i % 2 == 0) {
                    loris.add(RawWebSocket.connect(s.boundPort())); // upgraded, never registers
                } else {
                    Socket raw = new Socket();
                    raw.connect(new InetSocketAddress("127.0.0.1", s.boundPort()), 5000);
                    OutputStream out = raw.getOutputStream();
                    out.write("GET /ws HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)); // never ends
                    out.flush();
                    loris.add(raw);
                }
            }
            Servers.await(() -> Servers.metric(s, "jrtc_signaling_connections_open") >= 250, Duration.ofSeconds(10),
                    "the upgraded loris connections to be counted");
            long t0 = System.nanoTime();
            try (RawWebSocket a = Servers.register(s, "healthy-a"); RawWebSocket b = Servers.register(s, "healthy-b")) {
                a.readJson();
                a.sendJson("{\"type\":\"bye\",\"to\":\"healthy-b\"}");
                assertThat(b.readJson().get("from").asText()).isEqualTo("healthy-a");
                assertThat((System.nanoTime() - t0) / 1e9).as("healthy agents register and relay within 1 s")
                        .isLessThan(1.0);
                // every loris connection is closed after the register timeout; the healthy ones stay
                Servers.await(() -> Servers.metric(s, "jrtc_signaling_connections_open") == 2.0,
                        Duration.ofSeconds(15), "the unregistered connections to be closed");
                Servers.await(() -> Servers.metric(s, "jrtc_signaling_register_timeouts_total") >= 500.0,
                        Duration.ofSeconds(10), "500 register timeouts counted");
                a.sendJson("{\"type\":\"bye\",\"to\":\"healthy-b\"}");
                assertThat(b.readJson().get("from").asText()).isEqualTo("healthy-a");
            }
            RawWebSocket first = (RawWebSocket) loris.get(0);
            assertThat(first.readJson().get("code").asText()).isEqualTo("idle_timeout");
        } finally {
            for (AutoCloseable c : loris) {
                c.close();
            }
        }
    }

    @Test
    void deeplyNestedJsonIsRefusedWithAClearErrorAndTheConnectionStays() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder());
        try (RawWebSocket a = Servers.register(s, "nester"); RawWebSocket b = Servers.register(s, "other")) {
            a.readJson();
            String deep = "{\"type\":\"bye\",\"to\":\"other\",\"x\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
            a.sendJson(deep);
            JsonNode e = a.readJson();
            assertThat(e.get("code").asText()).isEqualTo("invalid_message");
            assertThat(e.get("message").asText()).containsIgnoringCase("nesting depth");
            a.sendJson("{\"type\":\"bye\",\"to\":\"other\",\"id\":\"after\"}");
            assertThat(b.readJson().get("id").asText()).isEqualTo("after");
        }
    }

    @Test
    void sixtyKilobyteSdpIsRelayedByteForByte() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder());
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        Random rnd = new Random(60);
        int line = 0;
        while (sdp.length() < 60_000) {
            sdp.append("a=candidate:").append(line++).append(" 1 udp ").append(rnd.nextInt(1 << 30))
                    .append(" 10.0.").append(rnd.nextInt(256)).append('.').append(rnd.nextInt(256)).append(' ')
                    .append(1024 + rnd.nextInt(60000)).append(" typ host \u00e9\\\"\r\n");
        }
        String text = sdp.substring(0, 60_000);
        String json = RawWebSocket.JSON.writeValueAsString(java.util.Map.of("type", "offer", "to", "big-b", "sdp", text));
        try (RawWebSocket a = Servers.register(s, "big-a"); RawWebSocket b = Servers.register(s, "big-b")) {
            a.readJson();
            a.sendJson(json);
            JsonNode m = b.readJson();
            assertThat(m.get("sdp").asText().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void tokensTamperedExpiredForAnotherIdNonCanonicalOrHugeAreRefused() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().secret("k").tokenMaxAge(Duration.ofHours(1)));
        Instant now = Instant.now();
        String valid = AgentToken.mint("k", "eve", now.plusSeconds(600));
        String[] p = valid.split("\\.");
        String[][] cases = {
                {"tampered version", "v2." + p[1] + "." + p[2] + "." + p[3]},
                {"tampered id", p[0] + ".ZXZm." + p[2] + "." + p[3]},
                {"tampered expiry", p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 1) + "." + p[3]},
                {"tampered mac", p[0] + "." + p[1] + "." + p[2] + "." + flip(p[3])},
                {"expiry with a leading zero", p[0] + "." + p[1] + ".0" + p[2] + "." + p[3]},
                {"padded id", p[0] + "." + p[1] + "=." + p[2] + "." + p[3]},
                {"padded mac", p[0] + "." + p[1] + "." + p[2] + "." + p[3] + "="},
                {"non-zero trailing bits in the id", p[0] + "." + p[1].substring(0, p[1].length() - 1)
                        + (char) (p[1].charAt(p[1].length() - 1) + 1) + "." + p[2] + "." + p[3]},
                {"expired", AgentToken.mint("k", "eve", now.minusSeconds(1))},
                {"for another id", AgentToken.mint("k", "mallory", now.plusSeconds(600))},
                {"absurdly long", valid + "A".repeat(60_000)},
        };
        for (String[] c : cases) {
            try (RawWebSocket ws = RawWebSocket.connect(s.boundPort())) {
                ws.sendJson("{\"type\":\"register\",\"agent_id\":\"eve\",\"token\":\"" + c[1] + "\",\"id\":\"r1\"}");
                JsonNode r = ws.readJson();
                assertThat(r.path("code").asText()).as(c[0]).isEqualTo("unauthorized");
                assertThat(r.path("id").asText()).as(c[0] + ": id echoed").isEqualTo("r1");
                assertThat(ws.awaitCloseFrame(Duration.ofSeconds(3))).as(c[0]).isEqualTo(1008);
            }
        }
        try (RawWebSocket ws = RawWebSocket.connect(s.boundPort())) {
            ws.sendJson("{\"type\":\"register\",\"agent_id\":\"eve\",\"token\":\"" + valid + "\"}");
            assertThat(ws.readJson().get("type").asText()).as("the one canonical form").isEqualTo("registered");
        }
        assertThat(Servers.errors(s, ErrorCode.UNAUTHORIZED)).isEqualTo(cases.length);
    }

    private static String flip(String b64) {
        char c = b64.charAt(3);
        return b64.substring(0, 3) + (c == 'A' ? 'B' : 'A') + b64.substring(4);
    }
}
