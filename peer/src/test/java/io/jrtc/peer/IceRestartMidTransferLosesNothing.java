package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConnectionState;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An ICE restart (new ufrag/pwd on both sides, a new check list) in the middle of a reliable, ordered transfer: the
 * data channel survives, and every message arrives exactly once and in order.
 */
class IceRestartMidTransferLosesNothing {

    @Test
    void restartWhileStreamingKeepsEveryMessageInOrder() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2); LoopbackPair p = new LoopbackPair(factory)) {
            List<Integer> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> all = new CompletableFuture<>();
            int total = 3000;
            p.answerer.onDataChannel(ch -> ch.onMessage(m -> {
                received.add(m.data().getInt(m.data().position()));
                if (received.size() == total) {
                    all.complete(null);
                }
            }));
            DataChannel ch = p.offerer.createDataChannel("stream");
            p.negotiate();
            ChannelTraffic.opened(p.offerer, ch).get(10, TimeUnit.SECONDS);
            String ufragBefore = p.offerer.localDescription().orElseThrow().sdp().replaceAll("(?s).*a=ice-ufrag:(\\S+).*", "$1");
            IceCandidatePair pairBefore = p.offerer.selectedCandidatePair().orElseThrow();

            // Stream 1 KiB messages, one every millisecond, on the offerer's loop.
            AtomicInteger next = new AtomicInteger();
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                for (int k = 0; k < 3 && next.get() < total; k++) {
                    ByteBuffer m = ByteBuffer.allocate(1024);
                    m.putInt(0, next.getAndIncrement());
                    ch.send(m);
                }
                if (next.get() < total) {
                    p.offerer.eventLoop().schedule(tick[0], 1, TimeUnit.MILLISECONDS);
                } else {
                    sent.complete(null);
                }
            };
            p.offerer.execute(tick[0]);

            // Restart once a third has gone out.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (next.get() < total / 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            p.offerer.restartIce();
            p.negotiate();
            sent.get(30, TimeUnit.SECONDS);
            all.get(30, TimeUnit.SECONDS);

            assertThat(received).hasSize(total);
            for (int i = 0; i < total; i++) {
                assertThat(received.get(i)).as("message #%d", i).isEqualTo(i);
            }
            String ufragAfter = p.offerer.localDescription().orElseThrow().sdp().replaceAll("(?s).*a=ice-ufrag:(\\S+).*", "$1");
            assertThat(ufragAfter).isNotEqualTo(ufragBefore);
            String remoteUfrag = p.offerer.remoteDescription().orElseThrow().sdp().replaceAll("(?s).*a=ice-ufrag:(\\S+).*", "$1");
            String answererUfrag = p.answerer.localDescription().orElseThrow().sdp().replaceAll("(?s).*a=ice-ufrag:(\\S+).*", "$1");
            assertThat(remoteUfrag).isEqualTo(answererUfrag);
            assertThat(p.offerer.iceConnectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
            assertThat(p.offerer.selectedCandidatePair()).isPresent();
            assertThat(pairBefore).isNotNull();
            p.assertConnected();
        }
    }
}
