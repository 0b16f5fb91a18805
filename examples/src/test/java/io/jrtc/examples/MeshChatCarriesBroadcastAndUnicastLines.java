package io.jrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.SendResult;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link MeshChat} with three participants on one signaling server on 127.0.0.1 (one shared factory, every link over
 * UDP on 127.0.0.1): once their links connect all three, alice's broadcast line reaches bob and carol, and bob's line
 * to carol reaches carol (acknowledged) and nobody else.
 */
class MeshChatCarriesBroadcastAndUnicastLines {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aBroadcastReachesEveryoneAndAUnicastOnlyItsTarget() throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .drainTimeout(Duration.ofSeconds(1)).build());
        int port = server.start().get(20, TimeUnit.SECONDS);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        BlockingQueue<Object> linkEvents = new LinkedBlockingQueue<>();
        List<BlockingQueue<String>> lines = new ArrayList<>();
        List<MeshChat> chats = new ArrayList<>();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            try {
                for (String name : List.of("alice", "bob", "carol")) {
                    BlockingQueue<String> shown = new LinkedBlockingQueue<>();
                    MeshChat chat = new MeshChat(name, uri, factory, shown::add);
                    chat.agent().onEvent(e -> {
                        if (e instanceof MeshEvent.NeighbourUp || e instanceof MeshEvent.NeighbourDown) {
                            linkEvents.add(e);
                        }
                    });
                    chat.start(WAIT);
                    chats.add(chat);
                    lines.add(shown);
                }
                awaitOneComponent(chats, linkEvents);

                assertThat(chats.get(0).say("hello, everyone")).isEqualTo(SendResult.Status.ACCEPTED);
                assertThat(lines.get(1).poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("alice: hello, everyone");
                assertThat(lines.get(2).poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("alice: hello, everyone");

                long sequence = chats.get(1).tell("carol", "hi carol, just you").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(sequence).isPositive();
                assertThat(lines.get(2).poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .isEqualTo("bob (to you): hi carol, just you");
                // Acknowledged means delivered at carol; nothing else was sent, so nobody else may have a line.
                assertThat(lines.get(0)).as("alice's lines").isEmpty();
                assertThat(lines.get(1)).as("bob's lines").isEmpty();
                assertThat(lines.get(2)).as("carol's lines").isEmpty();
            } finally {
                chats.forEach(MeshChat::close);
                server.abort();
            }
        }
    }

    /** Waits, event by event, until every participant has a neighbour and the links join all three. */
    private static void awaitOneComponent(List<MeshChat> chats, BlockingQueue<Object> linkEvents) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!oneComponent(chats)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || linkEvents.poll(left, TimeUnit.NANOSECONDS) == null) {
                throw new AssertionError("the three agents did not link up within " + WAIT);
            }
        }
    }

    private static boolean oneComponent(List<MeshChat> chats) {
        Set<AgentId> reached = new HashSet<>(List.of(chats.get(0).agent().id()));
        for (int round = 0; round < chats.size(); round++) {
            for (MeshChat c : chats) {
                List<AgentId> n = c.agent().neighbours();
                if (n.isEmpty()) {
                    return false;
                }
                if (reached.contains(c.agent().id())) {
                    reached.addAll(n);
                }
            }
        }
        return reached.size() == chats.size();
    }
}
