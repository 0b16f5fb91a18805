package io.jrtc.signaling.client;

import io.jrtc.signaling.server.SignalingServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network between one client and a running server is cut (a TCP relay resets everything and refuses new
 * connections) and later restored. Messages sent meanwhile wait in the client's queue, and after it has
 * reconnected and registered again they reach the other agent in order, each future completing.
 */
class MessagesQueuedDuringANetworkCutAreDeliveredAfterReconnect {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void queuedMessagesArriveInOrderAfterTheCut() throws Exception {
        SignalingServer s = t.start();
        try (TcpProxy proxy = new TcpProxy(s.boundPort())) {
            SignalingClient sender = t.client(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), "sender");
            SignalingClient receiver = t.client(TestServers.uri(s), "receiver");
            Inbox<SignalingMessage> atReceiver = new Inbox<>();
            Inbox<ConnectionState> senderStates = new Inbox<>();
            Inbox<SignalingMessage.Registered> senderReg = new Inbox<>();
            receiver.onMessage(atReceiver);
            sender.onStateChange(senderStates).onRegistered(senderReg);
            receiver.connect().get(10, TimeUnit.SECONDS);
            sender.connect().get(10, TimeUnit.SECONDS);
            senderReg.next();
            assertThat(atReceiver.next(SignalingMessage.AgentJoined.class).agentId()).isEqualTo("sender");

            proxy.cut();
            assertThat(senderStates.next(ConnectionState.class)).isEqualTo(ConnectionState.REGISTERED);
            ConnectionState st = senderStates.next();
            assertThat(st).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(atReceiver.next(SignalingMessage.AgentLeft.class).agentId()).isEqualTo("sender");

            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add(sender.sendCandidate("receiver", "queued-" + i, "0", 0));
            }
            assertThat(sent).allMatch(f -> !f.isDone());

            proxy.restore();
            senderReg.next(Duration.ofSeconds(15));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(atReceiver.next(SignalingMessage.AgentJoined.class).agentId()).isEqualTo("sender");
            for (int i = 0; i < 10; i++) {
                SignalingMessage.Candidate c = atReceiver.next(SignalingMessage.Candidate.class);
                assertThat(c.candidate()).isEqualTo("queued-" + i);
                assertThat(c.from()).isEqualTo("sender");
            }
        }
    }
}
