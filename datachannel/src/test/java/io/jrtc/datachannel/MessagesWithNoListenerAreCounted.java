package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A message that reaches an open channel before the application set its {@code onMessage} is dropped, as W3C drops
 * an event nobody listens to, but not silently: the endpoint counts it ({@code messagesDroppedNoListener}) and logs
 * once per channel. Once a listener is set, every later message reaches it.
 */
class MessagesWithNoListenerAreCounted {

    @Test
    void droppedMessagesAreCountedAndLaterOnesDelivered() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 4);
        p.server.onDataChannel(p.serverChannels::add); // no onMessage yet
        p.connect();
        DataChannel ch = p.client.createDataChannel("late-listener", DataChannelInit.DEFAULT);
        assertThat(p.run(() -> !p.serverChannels.isEmpty() && ch.readyState() == DataChannelState.OPEN,
                Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 3; i++) {
            ch.send("early" + i);
        }
        assertThat(p.run(() -> p.server.stats().messagesDroppedNoListener() == 3, Duration.ofSeconds(5))).isTrue();

        List<String> got = new ArrayList<>();
        p.serverChannels.get(0).onMessage(m -> got.add(m.text()));
        ch.send("late");
        assertThat(p.run(() -> got.size() == 1, Duration.ofSeconds(5))).isTrue();
        assertThat(got).containsExactly("late");
        assertThat(p.server.stats().messagesDroppedNoListener()).isEqualTo(3);
        assertThat(p.client.stats().messagesDroppedNoListener()).isZero();
    }
}
