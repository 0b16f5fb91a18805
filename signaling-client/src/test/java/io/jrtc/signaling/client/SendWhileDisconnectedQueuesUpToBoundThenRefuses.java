package io.jrtc.signaling.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With no server reachable, sends wait in a bounded queue; one more is refused with
 * SignalingQueueFullException at once; close() fails the waiting futures with SignalingClosedException and
 * later sends throw it. Oversized messages are refused before queueing.
 */
class SendWhileDisconnectedQueuesUpToBoundThenRefuses {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // nothing listens there once closed
        }
    }

    @Test
    void boundedQueueThenRefusalThenClosed() throws Exception {
        SignalingClient c = t.client(SignalingClientConfig.builder(URI.create("ws://127.0.0.1:" + deadPort() + "/ws"), "lonely")
                .backoff(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.2)
                .maxQueuedMessages(3).maxMessageBytes(1024));
        Inbox<ConnectionState> states = new Inbox<>();
        c.onStateChange(states);
        CompletableFuture<SignalingMessage.Registered> connected = c.connect();
        assertThat(states.next()).isEqualTo(ConnectionState.RECONNECTING); // connection refused

        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(c.sendBye("peer-" + i));
        }
        assertThatThrownBy(() -> c.sendBye("one-too-many")).isInstanceOf(SignalingQueueFullException.class)
                .hasMessageContaining("3 messages already wait");
        assertThatThrownBy(() -> c.sendOffer("peer", "x".repeat(2000))).isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("limit is 1024");
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        assertThat(connected).isNotDone();

        c.closeAsync().get(5, TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        for (CompletableFuture<Void> f : queued) {
            assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SignalingClosedException.class);
        }
        assertThatThrownBy(() -> connected.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(SignalingClosedException.class);
        assertThatThrownBy(() -> c.sendBye("after-close")).isInstanceOf(SignalingClosedException.class);
    }

    @Test
    void zeroBoundRefusesEverySendWhileDisconnected() throws Exception {
        SignalingClient c = t.client(SignalingClientConfig.builder(URI.create("ws://127.0.0.1:" + deadPort() + "/ws"), "strict")
                .maxQueuedMessages(0));
        assertThatThrownBy(() -> c.sendBye("x")).isInstanceOf(SignalingQueueFullException.class);
    }
}
