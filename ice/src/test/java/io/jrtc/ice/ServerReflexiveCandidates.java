package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * STUN server-reflexive gathering (RFC 8445 §5.1.1.2): behind a NAT the mapped address becomes a srflx candidate
 * with its base as related address, and a peer reaches the agent through it; without a NAT the mapped address
 * equals the host address and the candidate is discarded as redundant (§5.1.3).
 */
class ServerReflexiveCandidates {

    @Test
    void behindANatTheMappedAddressIsSignalledAndWorks() {
        VirtualNetwork net = new VirtualNetwork(51);
        InetSocketAddress stun = VirtualNetwork.addr("192.0.2.1", 3478);
        FakeTurnServer server = new FakeTurnServer(stun, "u", "p", "192.0.2.1");
        net.addService(stun, server);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(IceServer.stun("stun:192.0.2.1:3478")).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLED);
        b.agent.setRole(IceRole.CONTROLLING);
        net.natFor(a, "198.51.100.7");
        a.bind("192.168.1.10", 5000);
        b.bind("203.0.113.5", 6000);
        net.signal(a, b, Duration.ofMillis(20), true);
        Pairing.start(net, a, b);
        assertThat(net.runUntil(() -> a.gathering() == IceGatheringState.COMPLETE, Duration.ofSeconds(2))).isTrue();
        IceCandidate srflx = a.localCandidates.stream().filter(c -> c.type() == IceCandidateType.SRFLX).findFirst().orElseThrow();
        assertThat(srflx.address()).isEqualTo("198.51.100.7");
        assertThat(srflx.relatedAddress()).isEqualTo("192.168.1.10");
        assertThat(srflx.relatedPort()).isEqualTo(5000);
        assertThat(srflx.priority()).isLessThan(a.localCandidates.get(0).priority());
        assertThat(server.bindings).isEqualTo(1);
        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(5))).isTrue();
        // b sees a's checks coming from the NAT mapping, which equals the signalled srflx candidate.
        assertThat(b.agent.selectedPair().orElseThrow().remote().address()).isEqualTo("198.51.100.7");
    }

    @Test
    void withoutANatTheReflexiveAddressIsRedundant() {
        VirtualNetwork net = new VirtualNetwork(52);
        InetSocketAddress stun = VirtualNetwork.addr("192.0.2.1", 3478);
        net.addService(stun, new FakeTurnServer(stun, "u", "p", "192.0.2.1"));
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(IceServer.stun("stun:192.0.2.1:3478"))
                .addServer(IceServer.stun("stun:192.0.2.1:3478")).build(), TestAgents.creds(1));
        a.bind("10.0.0.1", 5000);
        Pairing.start(net, a);
        assertThat(net.runUntil(() -> a.gathering() == IceGatheringState.COMPLETE, Duration.ofSeconds(2))).isTrue();
        assertThat(a.localCandidates).extracting(IceCandidate::type).containsExactly(IceCandidateType.HOST);
        assertThat(a.agent.stats().redundantCandidates()).isEqualTo(2);
    }

    @Test
    void unreachableStunServerEndsGatheringWithAnError() {
        VirtualNetwork net = new VirtualNetwork(53);
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(IceServer.stun("stun:192.0.2.99:3478")).build(), TestAgents.creds(1));
        a.bind("10.0.0.1", 5000);
        Pairing.start(net, a);
        assertThat(net.runUntil(() -> a.gathering() == IceGatheringState.COMPLETE, Duration.ofSeconds(60))).isTrue();
        assertThat(a.events).anyMatch(e -> e instanceof IceEvent.Error err && err.message().contains("192.0.2.99"));
        assertThat(a.localCandidates).extracting(IceCandidate::type).containsExactly(IceCandidateType.HOST);
    }
}
