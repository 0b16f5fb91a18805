package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * 1,000 channels opened, used and closed on one association, twice: the second round reuses the stream ids freed by
 * the resets of the first, and messages on the reused streams still arrive (their sequence numbers restarted).
 */
class ThousandChannelsOnOneAssociationTest {

    static final int N = 1000;

    @Test
    void openUseCloseAndReuseStreamIds() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(10)).withLoss(0.01), 4);
        int[] echoes = {0};
        p.server.onDataChannel(c -> {
            p.serverChannels.add(c);
            c.onMessage(m -> c.send("echo " + m.text()));
        });
        p.connect();
        Set<Integer> firstIds = null;
        for (int round = 0; round < 2; round++) {
            echoes[0] = 0;
            p.serverChannels.clear();
            List<DataChannel> mine = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                DataChannel ch = p.client.createDataChannel("ch-" + round + "-" + i, DataChannelInit.DEFAULT);
                int expected = i;
                ch.onMessage(m -> {
                    assertThat(m.text()).isEqualTo("echo " + expected);
                    echoes[0]++;
                });
                // at most MAX_OPENS_AWAITING_ACK are open at once before their ACKs: send when each opens
                ch.onOpen(() -> ch.send(Integer.toString(expected)));
                mine.add(ch);
            }
            assertThat(p.run(() -> echoes[0] == N, Duration.ofSeconds(60))).as("all echoes, round " + round).isTrue();
            assertThat(p.serverChannels).hasSize(N);
            Set<Integer> ids = new HashSet<>();
            mine.forEach(c -> ids.add(c.id()));
            assertThat(ids).hasSize(N).allMatch(id -> id % 2 == 0);
            if (firstIds == null) {
                firstIds = ids;
            } else {
                assertThat(ids).as("stream ids reused after reset").isEqualTo(firstIds);
            }
            mine.forEach(DataChannel::close);
            assertThat(p.run(() -> mine.stream().allMatch(c -> c.readyState() == DataChannelState.CLOSED)
                    && p.serverChannels.stream().allMatch(c -> c.readyState() == DataChannelState.CLOSED), Duration.ofSeconds(60)))
                    .as("all closed, round " + round).isTrue();
            assertThat(p.client.liveChannels()).isEmpty();
            assertThat(p.server.liveChannels()).isEmpty();
        }
        DataChannelEndpointStats s = p.client.stats();
        assertThat(s.dataChannelsOpened()).isEqualTo(2L * N);
        assertThat(s.dataChannelsClosed()).isEqualTo(2L * N);
        assertThat(p.server.stats().dataChannelsOpened()).isEqualTo(2L * N);
        assertThat(p.server.stats().messagesDroppedNoChannel()).isZero();
        System.out.printf("1000 channels x2: virtual %.2f s, client packets sent %d, retransmitted chunks %d%n", p.clock.now() / 1e9,
                s.sctp().packetsSent(), s.sctp().retransmittedChunks());
    }
}
