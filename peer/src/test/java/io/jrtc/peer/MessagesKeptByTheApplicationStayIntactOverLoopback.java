package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole receive path hands buffers up instead of copying them where it can (DTLS's decrypted record goes to SCTP
 * as owned input; the fragments of a large message stay views of their records, not joined). The application
 * keeps every {@link DataChannelMessage} it gets, without a copy, while hundreds more arrive over real UDP: at the end
 * every kept message still holds the bytes that were sent. The sender reuses one buffer for every message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesKeptByTheApplicationStayIntactOverLoopback {

    private static final int[] SIZES = {65_536, 1_024, 1, 3_000, 1_200, 40_000, 16, 65_536};
    private static final int ROUNDS = 25;

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
    void everyKeptMessageStillHoldsWhatWasSent() throws Exception {
        try (LoopbackPair p = new LoopbackPair(factory)) {
            int total = SIZES.length * ROUNDS;
            List<DataChannelMessage> kept = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> all = new CompletableFuture<>();
            p.answerer.onDataChannel(ch -> ch.onMessage(m -> {
                kept.add(m);
                if (kept.size() == total) {
                    all.complete(null);
                }
            }));
            DataChannel ch = p.offerer.createDataChannel("keep");
            p.negotiate();
            ChannelTraffic.opened(p.offerer, ch).get(10, TimeUnit.SECONDS);
            List<byte[]> expected = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                expected.add(ChannelTraffic.payload("keep", i, SIZES[i % SIZES.length], true));
            }
            CompletableFuture<Void> sent = new CompletableFuture<>();
            int[] next = {0};
            ByteBuffer reused = ByteBuffer.allocate(65_536);
            Runnable[] pump = new Runnable[1];
            pump[0] = () -> {
                while (next[0] < total && ch.bufferedAmount() < 1_000_000) {
                    byte[] m = expected.get(next[0]++);
                    reused.clear().put(m).flip();
                    ch.send(reused); // copied by the channel: the buffer is refilled for the next message at once
                }
                if (next[0] >= total) {
                    sent.complete(null);
                }
            };
            p.offerer.execute(() -> {
                ch.setBufferedAmountLowThreshold(256 * 1024);
                ch.onBufferedAmountLow(pump[0]);
                pump[0].run();
            });
            sent.get(30, TimeUnit.SECONDS);
            all.get(60, TimeUnit.SECONDS);
            // The socket-to-application path copies a message once (DTLS: the record out of Netty's buffer): a message
            // larger than a packet arrives as its fragments, each a view into its own decrypted record (the explicit
            // nonce and the SCTP headers before it), never joined unless the application asks for data().
            int fragmented = 0;
            for (int i = 0; i < total; i++) {
                DataChannelMessage m = kept.get(i);
                if (m.size() <= 1_200) {
                    continue;
                }
                fragmented++;
                assertThat(m.isContiguous()).as("message %d", i).isFalse();
                List<ByteBuffer> parts = m.buffers();
                assertThat(parts).hasSizeGreaterThanOrEqualTo(m.size() / 1_200);
                java.util.Set<byte[]> arrays = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                for (ByteBuffer f : parts) {
                    assertThat(f.hasArray()).isTrue();
                    assertThat(f.arrayOffset()).as("a view behind the nonce and the SCTP headers").isGreaterThanOrEqualTo(8 + 12 + 16);
                    arrays.add(f.array());
                }
                assertThat(arrays).as("one record per fragment").hasSize(parts.size());
                assertThat(m.toByteArray()).as("message %d, read without joining", i).isEqualTo(expected.get(i));
            }
            assertThat(fragmented).isEqualTo(ROUNDS * (int) java.util.Arrays.stream(SIZES).filter(n -> n > 1_200).count());
            for (int i = 0; i < total; i++) {
                ByteBuffer d = kept.get(i).data();
                byte[] got = new byte[d.remaining()];
                d.duplicate().get(got);
                assertThat(got).as("message %d (%d bytes)", i, expected.get(i).length).isEqualTo(expected.get(i));
            }
        }
    }
}
