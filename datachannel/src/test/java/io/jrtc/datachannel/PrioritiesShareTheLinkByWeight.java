package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A channel's priority is its stream's weight in SCTP's scheduler (RFC 8831 §6.4, RFC 8260 §3.6): over a 4 Mbit/s
 * link, a HIGH and a VERY_LOW channel each with 512 KiB queued share the link 8 to 1 while both have data, so when the
 * HIGH channel's last message arrives the VERY_LOW one has delivered about an eighth as much (round-robin, as before,
 * gave both the same). The peer's channels take the priority announced in DATA_CHANNEL_OPEN, and weigh the same
 * when it sends.
 */
class PrioritiesShareTheLinkByWeight {

    private static final int MESSAGES = 64;
    private static final int SIZE = 8 * 1024;

    @Test
    void aHighChannelGetsEightTimesTheShareOfAVeryLowOne() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(10)).withRate(4_000_000, 256 * 1024), 11);
        Map<String, Integer> received = new HashMap<>();
        int[] lowAtHighEnd = {-1};
        p.server.onDataChannel(c -> {
            p.serverChannels.add(c);
            c.onMessage(m -> {
                int n = received.merge(c.label(), 1, Integer::sum);
                if (c.label().equals("high") && n == MESSAGES) {
                    lowAtHighEnd[0] = received.getOrDefault("low", 0);
                }
            });
        });
        p.connect();
        DataChannel low = p.client.createDataChannel("low",
                DataChannelInit.builder().priority(DataChannelPriority.VERY_LOW).build());
        DataChannel high = p.client.createDataChannel("high",
                DataChannelInit.builder().priority(DataChannelPriority.HIGH).build());
        assertThat(p.run(() -> p.serverChannels.size() == 2, Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < MESSAGES; i++) {
            low.send(ByteBuffer.allocate(SIZE));
            high.send(ByteBuffer.allocate(SIZE));
        }
        assertThat(p.run(() -> received.getOrDefault("low", 0) == MESSAGES && received.getOrDefault("high", 0) == MESSAGES,
                Duration.ofSeconds(30))).isTrue();
        System.out.printf("very-low messages delivered when the last high one arrived: %d of %d%n", lowAtHighEnd[0], MESSAGES);
        // 64 high messages at 8 : 1 leave room for about 8 low ones; round-robin would have sent 63-64
        assertThat(lowAtHighEnd[0]).as("low messages delivered when the last high one arrived").isBetween(4, 14);

        // the peer's channels carry the announced priorities, and its scheduler weighs them the same way
        for (DataChannel c : p.serverChannels) {
            DataChannelPriority expected = c.label().equals("high") ? DataChannelPriority.HIGH : DataChannelPriority.VERY_LOW;
            assertThat(c.priority()).isEqualTo(expected);
            assertThat(p.server.association().streamPriority(c.id())).isEqualTo(expected.dcepValue());
        }
        assertThat(p.client.association().streamPriority(high.id())).isEqualTo(1024);
        assertThat(p.client.association().streamPriority(low.id())).isEqualTo(128);
    }
}
