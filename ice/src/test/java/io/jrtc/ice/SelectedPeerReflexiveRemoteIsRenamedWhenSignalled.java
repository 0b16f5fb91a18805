package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The peer's check arrives before its candidate does (trickle over a slower signalling path), so the pair is selected
 * with a peer-reflexive remote. When the signalled host candidate for the same address arrives, it replaces the
 * peer-reflexive one, and the agent says so with a new {@link IceEvent.SelectedPairChanged}: whoever keeps the
 * selected pair (the Netty transport, getStats) must not hold the peer-reflexive description for ever.
 */
class SelectedPeerReflexiveRemoteIsRenamedWhenSignalled {

    @Test
    void theSignalledHostCandidateReplacesTheSelectedPeerReflexiveRemote() {
        VirtualNetwork net = new VirtualNetwork(43);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLED);
        b.agent.setRole(IceRole.CONTROLLING);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        a.agent.setRemoteCredentials(net.now(), b.agent.localCredentials());
        b.agent.setRemoteCredentials(net.now(), a.agent.localCredentials());
        Pairing.start(net, a, b);
        net.flush();
        for (IceCandidate c : a.localCandidates) {
            b.agent.addRemoteCandidate(net.now(), c);
        }
        b.agent.endOfRemoteCandidates(net.now());
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(10))).isTrue();
        assertThat(a.agent.selectedPair().orElseThrow().remote().type()).isEqualTo(IceCandidateType.PRFLX);
        int before = a.events.size();

        List<IceCandidate> late = b.localCandidates;
        for (IceCandidate c : late) {
            a.agent.addRemoteCandidate(net.now(), c);
        }
        net.runFor(Duration.ofMillis(50));

        IceCandidatePair selected = a.agent.selectedPair().orElseThrow();
        assertThat(selected.remote().type()).isEqualTo(IceCandidateType.HOST);
        assertThat(selected.remote().address()).isEqualTo("10.0.0.2");
        assertThat(a.events.subList(before, a.events.size()))
                .filteredOn(e -> e instanceof IceEvent.SelectedPairChanged)
                .singleElement()
                .satisfies(e -> assertThat(((IceEvent.SelectedPairChanged) e).pair()).isEqualTo(selected));
    }
}
