package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.sctp.SendBufferFullException;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DataChannelEndpoint#setMaxBufferedAmountPerChannel}: one channel cannot queue more than its limit, while
 * another channel on the same association still sends; the refusal is counted and reported, and nothing sent before
 * it is lost.
 */
class PerChannelSendLimitTest {

    @Test
    void aChannelOverItsLimitIsRefusedWhileAnotherKeepsSending() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 7);
        int[] refusals = {0};
        p.client.onSendBufferFull(() -> refusals[0]++);
        p.client.setMaxBufferedAmountPerChannel(100_000);
        p.connect();
        DataChannel a = p.client.createDataChannel("a", DataChannelInit.DEFAULT);
        DataChannel b = p.client.createDataChannel("b", DataChannelInit.DEFAULT);
        List<Integer> received = new ArrayList<>();
        p.server.onDataChannel(c -> {
            p.serverChannels.add(c);
            c.onMessage(m -> received.add(m.size()));
        });
        // within one call nothing leaves: 3 x 30,000 fit in 100,000 on channel a; a 4th does not
        for (int i = 0; i < 3; i++) {
            a.send(ByteBuffer.allocate(30_000));
        }
        assertThatThrownBy(() -> a.send(ByteBuffer.allocate(30_000))).isInstanceOf(SendBufferFullException.class)
                .hasMessage("send buffer of data channel 'a' full: 90013 bytes queued + 30000 exceeds its limit of 100000"); // 13: its DATA_CHANNEL_OPEN
        // channel b has its own allowance
        b.send(ByteBuffer.allocate(30_000));
        b.send(ByteBuffer.allocate(30_000));
        assertThat(refusals[0]).isEqualTo(1);
        assertThat(p.client.stats().sendBufferFullRefusals()).isEqualTo(1);
        assertThat(p.run(() -> received.size() == 5, Duration.ofSeconds(5))).isTrue();
        assertThat(received).containsOnly(30_000);
        // drained: channel a may send again
        a.send(ByteBuffer.allocate(30_000));
        assertThat(p.run(() -> received.size() == 6, Duration.ofSeconds(5))).isTrue();
        assertThatThrownBy(() -> p.client.setMaxBufferedAmountPerChannel(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
