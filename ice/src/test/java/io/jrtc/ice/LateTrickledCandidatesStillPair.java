package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Trickle ICE (RFC 8838): the only working remote candidate arrives two seconds after checks started on a dead one;
 * it still forms a pair and the agents connect over it.
 */
class LateTrickledCandidatesStillPair {

    @Test
    void candidateArrivingAfterChecksStartedConnects() {
        VirtualNetwork net = new VirtualNetwork(9);
        // 10.9.9.9 is unreachable in both directions.
        net.pathConfig((from, to) -> from.getAddress().getHostAddress().equals("10.9.9.9") || to.getAddress().getHostAddress().equals("10.9.9.9")
                ? NetemConfig.perfect().withLoss(1.0) : NetemConfig.perfect().withDelay(Duration.ofMillis(10)));
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.9.9.9", 6000);
        b.bind("10.0.0.2", 6001);
        a.agent.setRemoteCredentials(net.now(), b.agent.localCredentials());
        b.agent.setRemoteCredentials(net.now(), a.agent.localCredentials());
        Pairing.start(net, a, b);
        net.flush();
        // a only hears of b's dead candidate now; b learns a's candidate.
        for (IceCandidate c : b.localCandidates) {
            if (c.address().equals("10.9.9.9")) {
                a.agent.addRemoteCandidate(net.now(), c);
            }
        }
        b.agent.setRole(IceRole.CONTROLLED);
        net.runFor(Duration.ofSeconds(2));
        assertThat(a.state()).isEqualTo(IceConnectionState.CHECKING);
        assertThat(a.agent.stats().checksSent()).isGreaterThan(1);
        // The working candidate trickles in late; a's candidate reaches b just as late.
        for (IceCandidate c : b.localCandidates) {
            if (c.address().equals("10.0.0.2")) {
                a.agent.addRemoteCandidate(net.now(), c);
            }
        }
        for (IceCandidate c : a.localCandidates) {
            b.agent.addRemoteCandidate(net.now(), c);
        }
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        assertThat(a.agent.selectedPair().orElseThrow().remote().address()).isEqualTo("10.0.0.2");
    }
}
