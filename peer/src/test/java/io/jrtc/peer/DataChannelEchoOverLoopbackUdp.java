package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two jrtc PeerConnections over real UDP on loopback: ICE, DTLS and SCTP come up, and a channel echoes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataChannelEchoOverLoopbackUdp {

    private PeerConnectionFactory factory;

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(2);
    }

    @AfterAll
    void stop() {
        factory.close();
    }

    @Test
    void channelOpensAndEchoesStringsAndBytes() throws Exception {
        try (LoopbackPair p = new LoopbackPair(factory)) {
            p.answererEchoes();
            DataChannel ch = p.offerer.createDataChannel("echo");
            assertThat(ch.id()).isEqualTo(-1);
            List<String> got = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> both = new CompletableFuture<>();
            p.offerer.execute(() -> ch.onMessage(m -> {
                got.add(m.isBinary() ? "bin:" + m.size() : "text:" + m.text());
                if (got.size() == 2) {
                    both.complete(null);
                }
            }));
            p.negotiate();
            ChannelTraffic.opened(p.offerer, ch).get(10, TimeUnit.SECONDS);
            p.offerer.execute(() -> {
                ch.send("héllo");
                ch.send(new byte[] {1, 2, 3});
            });
            both.get(10, TimeUnit.SECONDS);
            assertThat(got).containsExactly("text:héllo", "bin:3");
            p.assertConnected();
            // The answerer answered a=setup:actpass with active: it is the DTLS client and so uses even ids.
            assertThat(ch.id()).isOdd();
            RtcStatsReport r = p.offerer.getStats().get(5, TimeUnit.SECONDS);
            assertThat(r.selectedCandidatePair()).isPresent();
            assertThat(r.dataChannel("echo").orElseThrow().messagesSent()).isEqualTo(2);
            assertThat(r.dataChannel("echo").orElseThrow().messagesReceived()).isEqualTo(2);
        }
    }
}
