package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Chromium hides host IPs behind mDNS names ({@code <uuid>.local}). The agent keeps such a candidate unresolved,
 * sends no multicast DNS, learns a peer-reflexive candidate when the peer's check arrives, answers with a
 * triggered check and connects, in either role.
 */
class MdnsCandidatesBecomePeerReflexive {

    @ParameterizedTest
    @EnumSource(IceRole.class)
    void mdnsHostCandidateWorksThroughPeerReflexive(IceRole roleOfA) {
        VirtualNetwork net = new VirtualNetwork(41);
        List<InetSocketAddress> destinationsFromA = new ArrayList<>();
        net.tap((now, from, to, data) -> {
            if (from.getPort() == 5000) {
                destinationsFromA.add(to);
            }
        });
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).build(), TestAgents.creds(2));
        a.agent.setRole(roleOfA);
        b.agent.setRole(roleOfA == IceRole.CONTROLLING ? IceRole.CONTROLLED : IceRole.CONTROLLING);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        a.agent.setRemoteCredentials(net.now(), b.agent.localCredentials());
        b.agent.setRemoteCredentials(net.now(), a.agent.localCredentials());
        Pairing.start(net, a, b);
        net.flush();
        // b's host candidate reaches a as an mDNS name; a's candidate reaches b as is.
        for (IceCandidate c : b.localCandidates) {
            a.agent.addRemoteCandidate(net.now(), new IceCandidate(c.foundation(), 1, IceProtocol.UDP, c.priority(),
                    "5f8a1c9e-3b2d-4f60-9a7e-0c1d2e3f4a5b.local", c.port(), IceCandidateType.HOST, null, 0, null));
        }
        a.agent.endOfRemoteCandidates(net.now());
        for (IceCandidate c : a.localCandidates) {
            b.agent.addRemoteCandidate(net.now(), c);
        }
        b.agent.endOfRemoteCandidates(net.now());
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(10))).isTrue();

        IceCandidatePair pair = a.agent.selectedPair().orElseThrow();
        assertThat(pair.remote().type()).isEqualTo(IceCandidateType.PRFLX);
        assertThat(pair.remote().address()).isEqualTo("10.0.0.2");
        assertThat(a.agent.remoteCandidates()).anyMatch(IceCandidate::isMdns);
        // No multicast DNS (224.0.0.251:5353) or any other stray destination: only the peer.
        assertThat(destinationsFromA).isNotEmpty().allMatch(d -> d.equals(VirtualNetwork.addr("10.0.0.2", 6000)));
        a.send(new byte[] {(byte) 0x80, 42});
        net.runFor(Duration.ofMillis(100));
        assertThat(b.received).hasSize(1);
    }
}
