package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.DtlsRole;
import io.jrtc.sctp.SctpConfig;
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
import java.util.SplittableRandom;
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
        VirtualClock clock = new VirtualClock();
        DataChannelEndpoint client = new DataChannelEndpoint(SctpConfig.builder().random(new SplittableRandom(3)).build(),
                DtlsRole.CLIENT, clock::now, () -> { }, "client");
        DataChannelEndpoint server = new DataChannelEndpoint(SctpConfig.builder().random(new SplittableRandom(4)).build(),
                DtlsRole.SERVER, clock::now, () -> { }, "server");
        Owning toClient = new Owning(client);
        Owning toServer = new Owning(server);
        BackToBack net = new BackToBack(toClient, toServer, LOSSY, LOSSY, 5, clock);
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
