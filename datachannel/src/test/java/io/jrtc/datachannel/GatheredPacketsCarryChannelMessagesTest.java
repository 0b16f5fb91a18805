package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.DtlsRole;
import io.jrtc.common.Gather;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SctpState;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.VirtualClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DataChannelEndpoint#pollTransmitGather()} passes SCTP's gathers through: a client that sends only through it
 * reaches the server, and a fragmented text message travels as ranges of the one array its UTF-8 bytes were made in.
 */
class GatheredPacketsCarryChannelMessagesTest {

    /** The endpoint as a core whose packets come out of pollTransmitGather, each shown to {@code seen}, then flattened. */
    private record GatherOut(DataChannelEndpoint endpoint, List<Gather> seen) implements DatagramCore {
        @Override
        public void handleInput(long nowNanos, ByteBuffer datagram) {
            endpoint.handleInput(nowNanos, datagram);
        }

        @Override
        public void handleTimeout(long nowNanos) {
            endpoint.handleTimeout(nowNanos);
        }

        @Override
        public Optional<ByteBuffer> pollTransmit() {
            Gather g = endpoint.pollTransmitGather();
            if (g == null) {
                return Optional.empty();
            }
            seen.add(g);
            return Optional.of(g.flatten());
        }

        @Override
        public long pollTimeout() {
            return endpoint.pollTimeout();
        }
    }

    @Test
    void aTextMessageGoesOutAsRangesOfItsOneArray() {
        VirtualClock clock = new VirtualClock();
        DataChannelEndpoint client = new DataChannelEndpoint(SctpConfig.builder().random(new SplittableRandom(3)).build(),
                DtlsRole.CLIENT, clock::now, () -> { }, "client");
        DataChannelEndpoint server = new DataChannelEndpoint(SctpConfig.builder().random(new SplittableRandom(4)).build(),
                DtlsRole.SERVER, clock::now, () -> { }, "server");
        List<Gather> sent = new ArrayList<>();
        BackToBack net = new BackToBack(new GatherOut(client, sent), server,
                NetemConfig.perfect().withDelay(Duration.ofMillis(5)), NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 3,
                clock);
        List<String> got = new ArrayList<>();
        List<DataChannel> serverChannels = new ArrayList<>();
        server.onDataChannel(c -> {
            serverChannels.add(c);
            c.onMessage(m -> got.add(m.text()));
        });
        client.connect(clock.now());
        server.connect(clock.now());
        assertThat(net.runUntil(() -> client.association().state() == SctpState.ESTABLISHED
                && server.association().state() == SctpState.ESTABLISHED, Duration.ofSeconds(10))).isTrue();
        DataChannel ch = client.createDataChannel("g", DataChannelInit.builder().build());
        // the DATA_CHANNEL_OPEN is delivered and acknowledged before the message under test
        assertThat(net.runUntil(() -> ch.readyState() == DataChannelState.OPEN && serverChannels.size() == 1
                && client.association().allDataAcknowledged(), Duration.ofSeconds(5))).isTrue();
        sent.clear();

        String text = "0123456789".repeat(400); // 4,000 bytes of UTF-8: four fragments at the default MTU
        ch.send(text);
        assertThat(net.runUntil(() -> got.size() == 1 && client.association().allDataAcknowledged(),
                Duration.ofSeconds(5))).isTrue();

        assertThat(got).containsExactly(text);
        byte[] stored = null;
        int bytes = 0;
        int fragments = 0;
        for (Gather g : sent) {
            for (int i = 1; i < g.pieces(); i++) {
                if (g.array(i) == g.array(0)) {
                    continue; // headers and padding
                }
                if (stored == null) {
                    stored = g.array(i);
                }
                assertThat(g.array(i)).isSameAs(stored);
                assertThat(g.offset(i)).isEqualTo(bytes);
                bytes += g.length(i);
                fragments++;
            }
        }
        assertThat(fragments).isGreaterThanOrEqualTo(4);
        assertThat(bytes).isEqualTo(4_000);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(client.association().stats().packetsSent()).isGreaterThanOrEqualTo(sent.size());
    }
}
