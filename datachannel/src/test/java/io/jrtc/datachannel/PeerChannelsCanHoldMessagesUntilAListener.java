package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DataChannelEndpoint#holdPeerChannelsUntilListener}: a channel the peer opens holds what arrives before the
 * application sets {@code onMessage} (the peer's first messages can come in the packet of its DATA_CHANNEL_OPEN, before
 * a sans-IO owner hands the channel over), charged against the window, and the first listener gets it in order, inside
 * the setter; nothing is dropped for want of a listener. An explicit pause of the application's is not ended by
 * setting a listener.
 */
class PeerChannelsCanHoldMessagesUntilAListener {

    @Test
    void messagesBeforeTheListenerWaitForIt() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 9);
        p.server.holdPeerChannelsUntilListener(true);
        p.connect();
        DataChannel ch = p.client.createDataChannel("early", DataChannelInit.DEFAULT);
        // sent at once, with the OPEN: the first message shares its packet
        for (int i = 0; i < 5; i++) {
            ch.send("early" + i);
        }
        assertThat(p.run(() -> !p.serverChannels.isEmpty()
                && p.serverChannels.get(0).queuedReceiveAmount() == 5 * 6, Duration.ofSeconds(5))).isTrue();
        DataChannel remote = p.serverChannels.get(0);
        assertThat(remote.isPaused()).isTrue();
        List<String> got = new ArrayList<>();
        remote.onMessage(m -> got.add(m.text()));
        assertThat(got).as("delivered inside onMessage(...)").containsExactly("early0", "early1", "early2", "early3", "early4");
        assertThat(remote.isPaused()).isFalse();
        ch.send("late");
        assertThat(p.run(() -> got.size() == 6, Duration.ofSeconds(5))).isTrue();
        assertThat(got.get(5)).isEqualTo("late");
        assertThat(p.server.stats().messagesDroppedNoListener()).isZero();
    }

    @Test
    void anApplicationsOwnPauseOutlastsTheListener() {
        DcPair p = new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 10);
        p.server.holdPeerChannelsUntilListener(true);
        p.connect();
        DataChannel ch = p.client.createDataChannel("paused", DataChannelInit.DEFAULT);
        ch.send("one");
        assertThat(p.run(() -> !p.serverChannels.isEmpty() && p.serverChannels.get(0).queuedReceiveAmount() == 3,
                Duration.ofSeconds(5))).isTrue();
        DataChannel remote = p.serverChannels.get(0);
        remote.pause();
        List<String> got = new ArrayList<>();
        remote.onMessage(m -> got.add(m.text()));
        assertThat(got).isEmpty();
        remote.resume();
        assertThat(got).containsExactly("one");
    }
}
