package io.jrtc.signaling.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Shutdown: /health is 200 while serving; on drain it turns 503, new WebSocket upgrades are refused with 503,
 * connected agents get server_draining and a 1001 close; once they answer the close (or the drain timeout
 * passes) the server stops listening.
 */
class HealthReports503WhileDrainingThenCloses {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void drainTurnsHealthTo503TellsAgentsAndClosesWhenTheyLeave() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().drainTimeout(Duration.ofSeconds(20)));
        int port = s.boundPort();
        Servers.Http ok = Servers.get(port, "/health");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("\"status\":\"serving\"").contains("\"instance\":\"" + s.instanceId() + "\"");

        try (RawWebSocket a = Servers.register(s, "a1"); RawWebSocket b = Servers.register(s, "b1")) {
            long t0 = System.nanoTime();
            s.drain();
            assertThat(a.readJson().path("agent_id").asText()).isEqualTo("b1"); // agent_joined, sent before
            assertThat(a.readJson().get("code").asText()).isEqualTo("server_draining");
            assertThat(a.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(1001);
            assertThat(b.readJson().get("code").asText()).isEqualTo("server_draining");
            assertThat(b.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(1001);

            // neither agent has answered the close yet: the server is draining, still listening
            Servers.Http draining = Servers.get(port, "/health");
            assertThat(draining.status()).isEqualTo(503);
            assertThat(draining.body()).contains("\"status\":\"draining\"");
            assertThat(s.isDraining()).isTrue();
            assertThatThrownBy(() -> RawWebSocket.connect(port)).isInstanceOf(IOException.class)
                    .hasMessageContaining("503");
            assertThat(s.terminationFuture()).isNotDone();

            a.sendClose(1001);
            b.sendClose(1001);
            s.terminationFuture().get(10, TimeUnit.SECONDS);
            assertThat(System.nanoTime() - t0).as("closed as soon as the agents left, not at the timeout")
                    .isLessThan(Duration.ofSeconds(10).toNanos());
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void agentsThatNeverAnswerAreCutOffAtTheDrainTimeout() throws Exception {
        SignalingServer s = servers.start(SignalingServerConfig.builder().drainTimeout(Duration.ofMillis(1500)));
        try (RawWebSocket a = Servers.register(s, "stubborn")) {
            long t0 = System.nanoTime();
            s.drain();
            assertThat(a.readJson().get("code").asText()).isEqualTo("server_draining");
            assertThat(a.awaitEof(Duration.ofSeconds(10))).isTrue();
            s.terminationFuture().get(10, TimeUnit.SECONDS);
            long took = System.nanoTime() - t0;
            assertThat(took).isBetween(Duration.ofMillis(1000).toNanos(), Duration.ofSeconds(8).toNanos());
        }
    }

    @Test
    void closeWithoutAgentsStopsAtOnce() throws Exception {
        SignalingServer s = servers.start();
        int port = s.boundPort();
        s.close();
        assertThat(s.terminationFuture()).isDone();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(s.drain()).isDone(); // idempotent
    }
}
