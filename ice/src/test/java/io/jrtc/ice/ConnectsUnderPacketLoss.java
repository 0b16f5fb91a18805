package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.GilbertElliott;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retransmitted and triggered checks get two agents connected over links that lose 20% of packets. */
class ConnectsUnderPacketLoss {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void twentyPercentRandomLoss(long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        net.pathConfig((f, t) -> NetemConfig.perfect().withDelay(Duration.ofMillis(30)).withJitter(Duration.ofMillis(5)).withLoss(0.2));
        VirtualNetwork.Node[] n = Pairing.pair(net, TestAgents.config(seed).build(), TestAgents.config(seed + 100).build(),
                IceRole.CONTROLLING, IceRole.CONTROLLED);
        Pairing.start(net, n);
        assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(10))).isTrue();
        // It stays up: consent checks survive the loss too.
        net.runFor(Duration.ofSeconds(60));
        assertThat(n[0].state()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        assertThat(n[1].state()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void burstyLoss(long seed) {
        VirtualNetwork net = new VirtualNetwork(seed);
        net.pathConfig((f, t) -> NetemConfig.perfect().withDelay(Duration.ofMillis(20)).withBurstLoss(GilbertElliott.ofMeanLoss(0.2, 3)));
        VirtualNetwork.Node[] n = Pairing.pair(net, TestAgents.config(seed).build(), TestAgents.config(seed + 100).build(),
                IceRole.CONTROLLING, IceRole.CONTROLLED);
        Pairing.start(net, n);
        assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(15))).isTrue();
    }
}
