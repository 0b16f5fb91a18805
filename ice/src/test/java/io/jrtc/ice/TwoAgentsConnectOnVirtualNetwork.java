package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two agents with host candidates connect in both role assignments and carry data byte-exact both ways. */
class TwoAgentsConnectOnVirtualNetwork {

    @ParameterizedTest
    @EnumSource(NominationMode.class)
    void controllingAndControlledConnectAndExchangeData(NominationMode mode) {
        VirtualNetwork net = new VirtualNetwork(7);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).nomination(mode).build(), TestAgents.creds(11));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).nomination(mode).build(), TestAgents.creds(12));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(20), true);
        a.agent.startGathering(net.now());
        b.agent.startGathering(net.now());

        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        assertThat(a.selections).isNotEmpty();
        assertThat(b.selections).isNotEmpty();
        IceCandidatePair sa = a.agent.selectedPair().orElseThrow();
        IceCandidatePair sb = b.agent.selectedPair().orElseThrow();
        assertThat(sa.local().port()).isEqualTo(5000);
        assertThat(sa.remote().port()).isEqualTo(6000);
        assertThat(sb.local().port()).isEqualTo(6000);
        assertThat(sb.remote().port()).isEqualTo(5000);
        assertThat(a.agent.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(b.agent.role()).isEqualTo(IceRole.CONTROLLED);

        List<byte[]> sentByA = new ArrayList<>();
        List<byte[]> sentByB = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] x = ("a->b #" + i).getBytes(StandardCharsets.UTF_8);
            byte[] y = ("b->a #" + i + " " + "x".repeat(i)).getBytes(StandardCharsets.UTF_8);
            sentByA.add(x);
            sentByB.add(y);
            a.send(x);
            b.send(y);
        }
        net.runFor(Duration.ofMillis(200));
        assertThat(b.received).containsExactlyElementsOf(sentByA);
        assertThat(a.received).containsExactlyElementsOf(sentByB);
        assertThat(a.agent.stats().drops()).isEmpty();
        assertThat(b.agent.stats().drops()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(IceRole.class)
    void eitherSideMayControl(IceRole roleOfA) {
        VirtualNetwork net = new VirtualNetwork(8);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(3).build(), TestAgents.creds(13));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(4).build(), TestAgents.creds(14));
        a.agent.setRole(roleOfA);
        b.agent.setRole(roleOfA == IceRole.CONTROLLING ? IceRole.CONTROLLED : IceRole.CONTROLLING);
        a.bind("10.0.0.1", 5000);
        a.bind("10.0.1.1", 5001);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(30), false);
        a.agent.startGathering(net.now());
        b.agent.startGathering(net.now());
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        assertThat(a.agent.selectedPair().orElseThrow().remote().port()).isEqualTo(6000);
        // Both ends agree on the path.
        IceCandidatePair pa = a.agent.selectedPair().orElseThrow();
        IceCandidatePair pb = b.agent.selectedPair().orElseThrow();
        assertThat(pb.remote().port()).isEqualTo(pa.local().port());
        net.runUntil(() -> a.state() == IceConnectionState.COMPLETED && b.state() == IceConnectionState.COMPLETED, Duration.ofSeconds(15));
        assertThat(a.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(b.state()).isEqualTo(IceConnectionState.COMPLETED);
    }
}
