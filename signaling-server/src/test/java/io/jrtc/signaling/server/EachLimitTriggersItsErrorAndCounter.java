package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every configured limit, triggered over a real socket: maximum frame size (single frame and fragmented
 * message), maximum agents, messages per second (drop, then close on a flood), the idle timeout (a client
 * that does not answer pings), and the slow-consumer bound. Each yields its error code and counter, and a
 * well-behaved agent on the same server is unaffected.
 */
class EachLimitTriggersItsErrorAndCounter {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void frameLargerThanTheMaximumGetsTooLargeAndIsClosed() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().maxFrameBytes(4096));
        try (RawWebSocket big = Servers.register(s, "big"); RawWebSocket peer = Servers.register(s, "peer")) {
            big.readJson(); // agent_joined peer
            // just under the limit is fine
            String sdp = "x".repeat(4096 - 60);
            big.sendJson("{\"type\":\"offer\",\"to\":\"peer\",\"sdp\":\"" + sdp + "\"}");
            JsonNode relayed = peer.readJson();
            assertThat(relayed.path("sdp").asText()).as("relayed %s", relayed.toString().substring(0, Math.min(300, relayed.toString().length()))).hasSize(sdp.length());
            big.sendJson("{\"type\":\"offer\",\"to\":\"peer\",\"sdp\":\"" + "y".repeat(5000) + "\"}");
            JsonNode e = big.readJson();
            assertThat(e.get("code").asText()).isEqualTo("too_large");
            assertThat(big.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(1009);
            assertThat(peer.readJson()).isEqualTo(RawWebSocket.JSON.readTree("{\"type\":\"agent_left\",\"agent_id\":\"big\"}"));
        }
        assertThat(Servers.errors(s, ErrorCode.TOO_LARGE)).isEqualTo(1.0);
    }

    @Test
    void hugeAnnouncedLengthIsRefusedBeforeItArrives() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().maxFrameBytes(4096));
        try (RawWebSocket a = RawWebSocket.connect(s.boundPort())) {
            a.sendHeaderClaiming(0x1, 1L << 40, 10); // announces a terabyte
            assertThat(a.readJson().get("code").asText()).isEqualTo("too_large");
            assertThat(a.awaitEof(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(Servers.errors(s, ErrorCode.TOO_LARGE)).isEqualTo(1.0);
    }

    @Test
    void fragmentedMessageOverTheMaximumGetsTooLarge() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().maxFrameBytes(4096));
        try (RawWebSocket a = Servers.register(s, "frag"); RawWebSocket b = Servers.register(s, "b")) {
            a.readJson();
            // a fragmented message under the limit is reassembled and relayed
            String msg = "{\"type\":\"bye\",\"to\":\"b\"}";
            a.sendFrame(0x1, false, msg.substring(0, 10).getBytes());
            a.sendFrame(0x0, true, msg.substring(10).getBytes());
            assertThat(b.readJson().get("type").asText()).isEqualTo("bye");
            // three 3000-byte fragments exceed 4096 in total
            a.sendFrame(0x1, false, "x".repeat(3000).getBytes());
            a.sendFrame(0x0, false, "x".repeat(3000).getBytes());
            a.sendFrame(0x0, true, "x".repeat(3000).getBytes());
            assertThat(a.readJson().get("code").asText()).isEqualTo("too_large");
            assertThat(a.awaitEof(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(Servers.errors(s, ErrorCode.TOO_LARGE)).isEqualTo(1.0);
    }

    @Test
    void maximumAgentsGetsServerFull() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().maxAgents(2));
        try (RawWebSocket a = Servers.register(s, "a"); RawWebSocket b = Servers.register(s, "b");
             RawWebSocket c = RawWebSocket.connect(s.boundPort())) {
            c.sendJson("{\"type\":\"register\",\"agent_id\":\"c\"}");
            assertThat(c.readJson().get("code").asText()).isEqualTo("server_full");
            assertThat(c.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(1013);
            // when one leaves, there is room again
            a.sendClose(1000);
            assertThat(b.readJson().get("type").asText()).isIn("agent_joined", "agent_left");
            try (RawWebSocket d = RawWebSocket.connect(s.boundPort())) {
                JsonNode r = null;
                for (int attempt = 0; attempt < 50; attempt++) {
                    d.sendJson("{\"type\":\"register\",\"agent_id\":\"d\"}");
                    r = d.readJson();
                    if (r.get("type").asText().equals("registered")) {
                        break;
                    }
                }
                assertThat(r.get("type").asText()).isEqualTo("registered");
            } catch (RawWebSocket.ClosedByServer e) {
                throw new AssertionError("d should have found room after a left", e);
            }
        }
        assertThat(Servers.errors(s, ErrorCode.SERVER_FULL)).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void overTheRateGetsRateLimitedAndAFloodIsClosed() throws Exception {
        // no backlog: the soft limit is the hard limit (shaping is covered by SlowsAFastSenderInsteadOfRefusing)
        SignalingServer s = servers.start(SignalingServerConfig.builder().rateLimit(5, 10).maxBacklogMessages(0));
        try (RawWebSocket f = Servers.register(s, "flooder"); RawWebSocket v = Servers.register(s, "victim");
             RawWebSocket calm = Servers.register(s, "calm")) {
            f.readJson();
            f.readJson();
            v.readJson();
            // register consumed one token: 9 of the burst left, then the 10th message is refused
            for (int i = 0; i < 10; i++) {
                f.sendJson("{\"type\":\"candidate\",\"to\":\"victim\",\"candidate\":\"c" + i + "\",\"id\":" + i + "}");
            }
            for (int i = 0; i < 9; i++) {
                assertThat(v.readJson().get("candidate").asText()).isEqualTo("c" + i);
            }
            JsonNode e = f.readJson();
            assertThat(e.get("code").asText()).isEqualTo("rate_limited");
            assertThat(e.get("id").asText()).as("the refused message's id is echoed").isEqualTo("9");
            assertThat(Servers.errors(s, ErrorCode.RATE_LIMITED)).isEqualTo(1.0);
            // a flood: the connection is closed with 1008
            java.util.List<String> flood = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                flood.add("{\"type\":\"bye\",\"to\":\"victim\"}");
            }
            f.sendTextBurst(flood); // one write: the server hangs up mid-flood, a frame-by-frame writer would hit EPIPE
            assertThat(f.awaitCloseFrame(Duration.ofSeconds(5))).isEqualTo(1008);
            // the calm agent is still served
            calm.sendJson("{\"type\":\"bye\",\"to\":\"victim\"}");
            JsonNode got = v.readJson();
            // skip agent_left and the few flood messages that refilled tokens let through
            while (got.get("type").asText().equals("agent_left") || got.path("from").asText().equals("flooder")) {
                got = v.readJson();
            }
            assertThat(got.get("from").asText()).isEqualTo("calm");
        }
        assertThat(Servers.errors(s, ErrorCode.RATE_LIMITED)).isGreaterThanOrEqualTo(20.0);
    }

    @Test
    void silentClientGetsIdleTimeoutWhilePongingClientStays() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder()
                .idleTimeout(Duration.ofMillis(900)).pingInterval(Duration.ofMillis(250)));
        try (RawWebSocket silent = Servers.register(s, "silent"); RawWebSocket alive = Servers.register(s, "alive")) {
            silent.autoPong = false;
            // "alive" reads (and so answers pings) all the time, on its own thread
            java.util.concurrent.BlockingQueue<JsonNode> aliveInbox = new java.util.concurrent.LinkedBlockingQueue<>();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!stop.get()) {
                        JsonNode n = alive.pollJson(Duration.ofMillis(100));
                        if (n != null) {
                            aliveInbox.add(n);
                        }
                    }
                } catch (java.io.IOException e) {
                    aliveInbox.add(RawWebSocket.JSON.createObjectNode().put("type", "reader-died").put("why", e.toString()));
                }
            });
            long t0 = System.nanoTime();
            JsonNode e = silent.readJson(Duration.ofSeconds(5)); // agent_joined alive first
            if (e.get("type").asText().equals("agent_joined")) {
                e = silent.readJson(Duration.ofSeconds(5));
            }
            assertThat(e.get("code").asText()).isEqualTo("idle_timeout");
            assertThat(silent.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(1001);
            assertThat(System.nanoTime() - t0).isGreaterThan(Duration.ofMillis(500).toNanos());
            assertThat(silent.pingsSeen).isGreaterThan(0);
            JsonNode left = aliveInbox.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(left).isNotNull();
            assertThat(left.get("type").asText()).isEqualTo("agent_left");
            // two more idle timeouts' worth of time: "alive" is still registered and served
            assertThat(aliveInbox.poll(2000, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
            assertThat(alive.pingsSeen).isGreaterThanOrEqualTo(4);
            alive.sendJson("{\"type\":\"bye\",\"to\":\"nobody\"}");
            JsonNode reply = aliveInbox.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(reply).isNotNull();
            assertThat(reply.get("code").asText()).isEqualTo("unknown_agent");
            stop.set(true);
            reader.join(2000);
        }
        assertThat(Servers.errors(s, ErrorCode.IDLE_TIMEOUT)).isEqualTo(1.0);
    }

    @Test
    void agentThatStopsReadingIsClosedAsSlowConsumer() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder()
                .rateLimit(100_000, 100_000).maxQueuedBytesPerAgent(64 * 1024).idleTimeout(Duration.ofSeconds(30)));
        try (RawWebSocket sender = Servers.register(s, "sender");
             RawWebSocket stuck = connectWithSmallBuffer(s.boundPort())) {
            stuck.sendJson("{\"type\":\"register\",\"agent_id\":\"stuck\"}");
            assertThat(stuck.readJson().get("type").asText()).isEqualTo("registered");
            assertThat(sender.readJson().get("type").asText()).isEqualTo("agent_joined");
            String sdp = "z".repeat(60_000);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean refused = false;
            // "stuck" never reads; the sender keeps offering until the server gives up on "stuck"
            while (!refused && System.nanoTime() < deadline) {
                for (int i = 0; i < 20; i++) {
                    sender.sendJson("{\"type\":\"offer\",\"to\":\"stuck\",\"sdp\":\"" + sdp + "\"}");
                }
                JsonNode n = sender.pollJson(Duration.ofMillis(50));
                refused = n != null && (n.path("code").asText().equals("unknown_agent")
                        || n.path("type").asText().equals("agent_left"));
            }
            assertThat(refused).as("stuck agent was dropped").isTrue();
        }
        assertThat(Servers.errors(s, ErrorCode.SLOW_CONSUMER)).isEqualTo(1.0);
    }

    private static RawWebSocket connectWithSmallBuffer(int port) throws Exception {
        javax.net.SocketFactory f = new javax.net.SocketFactory() {
            @Override
            public java.net.Socket createSocket() throws java.io.IOException {
                java.net.Socket sock = new java.net.Socket();
                sock.setReceiveBufferSize(4096);
                return sock;
            }

            @Override
            public java.net.Socket createSocket(String h, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(String h, int p, java.net.InetAddress l, int lp) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress h, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress a, int p, java.net.InetAddress l, int lp) {
                throw new UnsupportedOperationException();
            }
        };
        InetSocketAddress unused = null;
        return RawWebSocket.connect(f, port, "/ws");
    }
}
