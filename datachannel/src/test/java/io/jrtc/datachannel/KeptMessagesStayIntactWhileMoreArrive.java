package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.VirtualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Buffer ownership from the sender's buffer to {@code onMessage}, on the path the peer uses: packets handed over with
 * {@link DataChannelEndpoint#handleOwnedInput} (as the DTLS layer's decrypted records are). The application keeps
 * every message it receives without copying it; the sender reuses its buffer right after {@code send}. A packet handed
 * over is given away for good (a message that arrived in one chunk is a view of it), and the endpoint never writes
 * into one. No kept message may change.
 */
class KeptMessagesStayIntactWhileMoreArrive {

    private static final int[] SIZES = {65_536, 1_024, 70, 65_536, 2_500, 1_024, 16_000, 1};
    private static final NetemConfig LOSSY = NetemConfig.perfect().withDelay(Duration.ofMillis(5))
            .withLoss(0.05).withReorder(0.1, Duration.ofMillis(10)).withDuplication(0.05);

    @Test
    void binaryAndTextMessagesKeptByTheApplicationNeverChange() {
        List<Owning> fed = new ArrayList<>();
        DcPair pair = owning(3, fed);
        DataChannelEndpoint client = pair.client;
        DataChannelEndpoint server = pair.server;
        VirtualClock clock = pair.clock;
        BackToBack net = pair.net;
        Owning toServer = fed.get(1);
        List<DataChannelMessage> kept = new ArrayList<>();
        server.onDataChannel(ch -> ch.onMessage(kept::add));
        client.connect(clock.now());
        server.connect(clock.now());
        DataChannel ch = client.createDataChannel("keep", DataChannelInit.builder().build());
        assertThat(net.runUntil(() -> ch.readyState() == DataChannelState.OPEN, Duration.ofSeconds(30))).isTrue();

        ByteBuffer reused = ByteBuffer.allocate(70_000);
        for (int i = 0; i < SIZES.length; i++) {
            reused.clear().limit(SIZES[i]);
            for (int j = 0; j < SIZES[i]; j++) {
                reused.put(j, pattern(i, j));
            }
            ch.send(reused);
            Arrays.fill(reused.array(), (byte) 0x33); // reused at once: the channel copied it
            ch.send("text " + i);
        }
        int expected = 2 * SIZES.length;
        assertThat(net.runUntil(() -> kept.size() == expected, Duration.ofSeconds(120))).isTrue();

        // Before anything asks for data(): a message larger than a packet is its fragments, each a view of a packet
        // handed over (identity), not joined.
        java.util.Set<byte[]> packets = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        toServer.handedOver.forEach(p -> packets.add(p.array()));
        int fragmented = 0;
        for (DataChannelMessage m : kept) {
            for (ByteBuffer f : m.buffers()) {
                assertThat(packets.contains(f.array())).as("a buffer of a %d-byte message is a packet's view", m.size())
                        .isTrue();
            }
            if (m.size() > 1_200) {
                fragmented++;
                assertThat(m.isContiguous()).isFalse();
                assertThat(m.buffers()).hasSizeGreaterThanOrEqualTo(m.size() / 1_200);
                byte[] viaStream = writeTo(m);
                assertThat(m.isContiguous()).as("writeTo does not join").isFalse();
                assertThat(m.toByteArray()).isEqualTo(viaStream);
                assertThat(m.isContiguous()).as("toByteArray does not join").isFalse();
                ByteBuffer once = m.data();
                assertThat(m.data()).as("joined once, then kept").isSameAs(once);
                assertThat(once.remaining()).isEqualTo(m.size());
                assertThat(new DataChannelMessage(ByteBuffer.wrap(viaStream), true)).isEqualTo(m).hasSameHashCodeAs(m);
            }
        }
        assertThat(fragmented).isEqualTo((int) Arrays.stream(SIZES).filter(n -> n > 1_200).count());

        assertIntact(kept);
        assertThat(toServer.handedOver).isNotEmpty();
        for (int i = 0; i < toServer.handedOver.size(); i++) {
            assertThat(toServer.handedOver.get(i).array()).as("packet %d", i).isEqualTo(toServer.copies.get(i));
        }
        assertThat(kept.stream().filter(m -> m.data().array().length != m.size()).count())
                .as("messages delivered as views of their packet").isPositive();
    }

    private static void assertIntact(List<DataChannelMessage> kept) {
        for (int i = 0; i < SIZES.length; i++) {
            DataChannelMessage bin = kept.get(2 * i);
            DataChannelMessage text = kept.get(2 * i + 1);
            assertThat(bin.isBinary()).isTrue();
            assertThat(bin.size()).isEqualTo(SIZES[i]);
            for (int j = 0; j < SIZES[i]; j++) {
                if (bin.data().get(bin.data().position() + j) != pattern(i, j)) {
                    throw new AssertionError("message " + i + " differs at byte " + j);
                }
            }
            assertThat(text.text()).isEqualTo("text " + i);
            assertThat(StandardCharsets.UTF_8.decode(text.data().duplicate()).toString()).isEqualTo("text " + i);
        }
    }

    /** A client and a server on the lossy link, each fed through an {@link Owning} (client first in {@code fed}). */
    private static DcPair owning(long seed, List<Owning> fed) {
        return new DcPair(LOSSY, seed, e -> {
            Owning o = new Owning(e);
            fed.add(o);
            return o;
        });
    }

    private static byte[] writeTo(DataChannelMessage m) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            m.writeTo(out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /**
     * {@code send(DataChannelMessage)} echoes each message as it came, text or binary: the echoes equal the originals
     * byte for byte, though the fragmented ones were never joined on the echoing side.
     */
    @Test
    void aReceivedMessageIsSentOnAsItCame() {
        DcPair pair = owning(7, new ArrayList<>());
        DataChannelEndpoint client = pair.client;
        DataChannelEndpoint server = pair.server;
        VirtualClock clock = pair.clock;
        BackToBack net = pair.net;
        List<DataChannelMessage> echoedFrom = new ArrayList<>();
        server.onDataChannel(ch -> ch.onMessage(m -> {
            ch.send(m);
            echoedFrom.add(m);
        }));
        client.connect(clock.now());
        server.connect(clock.now());
        DataChannel ch = client.createDataChannel("echo", DataChannelInit.builder().build());
        List<DataChannelMessage> back = new ArrayList<>();
        ch.onMessage(back::add);
        assertThat(net.runUntil(() -> ch.readyState() == DataChannelState.OPEN, Duration.ofSeconds(30))).isTrue();
        List<DataChannelMessage> sent = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            byte[] b = new byte[SIZES[i]];
            for (int j = 0; j < b.length; j++) {
                b[j] = pattern(i, j);
            }
            ch.send(b);
            sent.add(new DataChannelMessage(ByteBuffer.wrap(b), true));
            String text = "é".repeat(i * 700); // 0 to 9,800 bytes of two-byte characters, split across fragments
            ch.send(text);
            sent.add(new DataChannelMessage(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false));
        }
        assertThat(net.runUntil(() -> back.size() == sent.size(), Duration.ofSeconds(120))).isTrue();
        assertThat(back).containsExactlyElementsOf(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(back.get(i).isBinary()).isEqualTo(sent.get(i).isBinary());
        }
        assertThat(back.get(5).text()).isEqualTo("é".repeat(1_400));
        assertThat(echoedFrom.stream().filter(m -> m.size() > 1_200).allMatch(m -> !m.isContiguous()))
                .as("the echoing side never joined a fragmented message").isTrue();
    }

    private static byte pattern(int message, int index) {
        return (byte) (message * 37 + index * 11 + (index >>> 8));
    }

    /** Hands every packet over in a buffer of its own, and remembers it (and a copy) so the test can check it later. */
    private static final class Owning implements DatagramCore {
        final DataChannelEndpoint core;
        final List<ByteBuffer> handedOver = new ArrayList<>();
        final List<byte[]> copies = new ArrayList<>();

        Owning(DataChannelEndpoint core) {
            this.core = core;
        }

        @Override
        public void handleInput(long nowNanos, ByteBuffer datagram) {
            ByteBuffer mine = ByteBuffer.allocate(datagram.remaining()).put(datagram.duplicate()).flip();
            handedOver.add(mine);
            copies.add(mine.array().clone());
            core.handleOwnedInput(nowNanos, mine);
        }

        @Override
        public void handleTimeout(long nowNanos) {
            core.handleTimeout(nowNanos);
        }

        @Override
        public Optional<ByteBuffer> pollTransmit() {
            return core.pollTransmit();
        }

        @Override
        public long pollTimeout() {
            return core.pollTimeout();
        }
    }
}
