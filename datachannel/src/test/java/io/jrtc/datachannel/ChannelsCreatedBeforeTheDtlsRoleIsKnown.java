package io.jrtc.datachannel;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.sctp.SctpConfig;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A peer connection creates channels before offer/answer decides who is the DTLS client. Those channels have no id
 * (-1, W3C null) until {@link DataChannelEndpoint#setRole} picks the parity; then they get ids in creation order and
 * open like any other.
 */
class ChannelsCreatedBeforeTheDtlsRoleIsKnown {

    @Test
    void idsAreAssignedByParityWhenTheRoleArrivesAndTheChannelsOpen() {
        VirtualClock clock = new VirtualClock();
        DataChannelEndpoint a = new DataChannelEndpoint(SctpConfig.builder().random(new SplittableRandom(1)).build(), clock::now, () -> { }, "a");
        DataChannelEndpoint b = new DataChannelEndpoint(SctpConfig.builder().random(new SplittableRandom(2)).build(), clock::now, () -> { }, "b");
        DataChannel first = a.createDataChannel("first", DataChannelInit.DEFAULT);
        DataChannel second = a.createDataChannel("second", DataChannelInit.DEFAULT);
        DataChannel dropped = a.createDataChannel("dropped", DataChannelInit.DEFAULT);
        DataChannel negotiated = a.createDataChannel("neg", DataChannelInit.builder().negotiated(7).build());
        assertThat(first.id()).isEqualTo(-1);
        assertThat(second.id()).isEqualTo(-1);
        assertThat(negotiated.id()).isEqualTo(7);
        assertThat(first.readyState()).isEqualTo(DataChannelState.CONNECTING);
        first.setBufferedAmountLowThreshold(1000);
        dropped.close();
        assertThat(dropped.readyState()).isEqualTo(DataChannelState.CLOSED);
        assertThatThrownBy(() -> a.connect(clock.now())).isInstanceOf(IllegalStateException.class).hasMessageContaining("setRole");

        a.setRole(DtlsRole.SERVER);
        b.setRole(DtlsRole.CLIENT);
        assertThat(first.id()).isEqualTo(1);
        assertThat(second.id()).isEqualTo(3);
        assertThat(dropped.id()).isEqualTo(-1);
        assertThat(first.bufferedAmountLowThreshold()).isEqualTo(1000);
        assertThatThrownBy(() -> a.setRole(DtlsRole.CLIENT)).isInstanceOf(IllegalStateException.class);

        List<DataChannel> atB = new ArrayList<>();
        List<String> received = new ArrayList<>();
        b.onDataChannel(ch -> {
            atB.add(ch);
            ch.onMessage(m -> received.add(ch.label() + ":" + m.text()));
        });
        first.onOpen(() -> first.send("hello"));
        second.onOpen(() -> second.send("world"));
        BackToBack net = new BackToBack(a, b, NetemConfig.perfect().withDelay(Duration.ofMillis(5)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 3, clock);
        a.connect(clock.now());
        b.connect(clock.now());
        assertThat(net.runUntil(() -> received.size() == 2, Duration.ofSeconds(5))).isTrue();
        assertThat(atB).extracting(DataChannel::label).containsExactly("first", "second");
        assertThat(atB).extracting(DataChannel::id).containsExactly(1, 3);
        assertThat(received).containsExactly("first:hello", "second:world");
        assertThat(a.liveChannels()).extracting(DataChannel::label).containsExactlyInAnyOrder("first", "second", "neg");
    }
}
