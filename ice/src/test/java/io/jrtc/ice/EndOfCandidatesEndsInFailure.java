package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When nothing works, end-of-candidates lets the agents fail instead of checking forever. */
class EndOfCandidatesEndsInFailure {

    private VirtualNetwork.Node[] deadNetwork(VirtualNetwork net, boolean endOfCandidates) {
        net.pathConfig((f, t) -> NetemConfig.perfect().withLoss(1.0));
        VirtualNetwork.Node[] n = Pairing.pair(net, TestAgents.config(1).build(), TestAgents.config(2).build(),
                IceRole.CONTROLLING, IceRole.CONTROLLED);
        n[0].forwardEndOfCandidates = endOfCandidates;
        n[1].forwardEndOfCandidates = endOfCandidates;
        Pairing.start(net, n);
        return n;
    }

    @Test
    void failsWithinTheCheckTimeoutAfterEndOfCandidates() {
        VirtualNetwork net = new VirtualNetwork(3);
        VirtualNetwork.Node[] n = deadNetwork(net, true);
        long t0 = net.now();
        assertThat(net.runUntil(() -> n[0].state() == IceConnectionState.FAILED && n[1].state() == IceConnectionState.FAILED,
                Duration.ofSeconds(30))).isTrue();
        // 7 transmissions at 0.5, 1, 1.6, 1.6, 1.6, 1.6 s then 1.6 s of waiting: about 9.5 s.
        assertThat(Duration.ofNanos(net.now() - t0)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        assertThat(n[0].states).containsSubsequence(IceConnectionState.CHECKING, IceConnectionState.FAILED);
    }

    @Test
    void withoutEndOfCandidatesItKeepsWaiting() {
        VirtualNetwork net = new VirtualNetwork(3);
        VirtualNetwork.Node[] n = deadNetwork(net, false);
        net.runFor(Duration.ofSeconds(60));
        assertThat(n[0].state()).isEqualTo(IceConnectionState.CHECKING);
        assertThat(n[1].state()).isEqualTo(IceConnectionState.CHECKING);
        // A late end-of-candidates then fails it at once: every pair already failed.
        n[0].agent.endOfRemoteCandidates(net.now());
        assertThat(n[0].state()).isEqualTo(IceConnectionState.FAILED);
    }
}
