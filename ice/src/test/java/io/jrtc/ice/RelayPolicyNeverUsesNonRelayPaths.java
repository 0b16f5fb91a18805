package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With {@code iceTransportPolicy: relay} on both sides, through a TURN server on the virtual network: only relay
 * candidates are signalled, the selected pair is relay/relay, and every datagram either agent put on the network
 * went to the TURN server (a packet capture by destination).
 */
class RelayPolicyNeverUsesNonRelayPaths {

    @Test
    void relayOnlyBothSides() {
        VirtualNetwork net = new VirtualNetwork(21);
        InetSocketAddress turnAddr = VirtualNetwork.addr("192.0.2.10", 3478);
        FakeTurnServer turn = new FakeTurnServer(turnAddr, "alice", "secret", "192.0.2.10");
        net.addService(turnAddr, turn);
        IceServer server = IceServer.turn("turn:192.0.2.10:3478?transport=udp", "alice", "secret");
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(server).policy(IceTransportPolicy.RELAY).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).addServer(server).policy(IceTransportPolicy.RELAY).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        InetSocketAddress aHost = a.bind("10.0.0.1", 5000);
        InetSocketAddress bHost = b.bind("10.0.0.2", 6000);
        Set<InetSocketAddress> agentSources = Set.of(aHost, bHost);
        List<InetSocketAddress> destinationsFromAgents = new ArrayList<>();
        net.tap((now, from, to, data) -> {
            if (agentSources.contains(from)) {
                destinationsFromAgents.add(to);
            }
        });
        net.signal(a, b, Duration.ofMillis(25), true);
        a.agent.startGathering(net.now());
        b.agent.startGathering(net.now());

        assertThat(net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(10))).isTrue();
        for (int i = 0; i < 20; i++) {
            a.send(("ping " + i).getBytes(StandardCharsets.UTF_8));
            b.send(("pong " + i).getBytes(StandardCharsets.UTF_8));
        }
        net.runFor(Duration.ofSeconds(3));

        assertThat(a.localCandidates).isNotEmpty().allMatch(c -> c.type() == IceCandidateType.RELAY);
        assertThat(b.localCandidates).isNotEmpty().allMatch(c -> c.type() == IceCandidateType.RELAY);
        // The related address of a relay candidate would leak the server-reflexive address: hidden.
        assertThat(a.localCandidates).allMatch(c -> "0.0.0.0".equals(c.relatedAddress()));
        IceCandidatePair pair = a.agent.selectedPair().orElseThrow();
        assertThat(pair.local().type()).isEqualTo(IceCandidateType.RELAY);
        assertThat(pair.remote().type()).isEqualTo(IceCandidateType.RELAY);
        assertThat(b.agent.selectedPair().orElseThrow().local().type()).isEqualTo(IceCandidateType.RELAY);
        assertThat(b.received).hasSize(20);
        assertThat(a.received).hasSize(20);

        assertThat(destinationsFromAgents).isNotEmpty();
        assertThat(new HashSet<>(destinationsFromAgents)).containsExactly(turnAddr);
        // Data went over channels once bound.
        assertThat(turn.channelBinds).isGreaterThanOrEqualTo(2);
        assertThat(turn.channelDataFromClient).isGreaterThan(0);
    }

    @Test
    void directPacketsToAHostSocketAreDroppedUnderRelayPolicy() {
        VirtualNetwork net = new VirtualNetwork(22);
        InetSocketAddress turnAddr = VirtualNetwork.addr("192.0.2.10", 3478);
        net.addService(turnAddr, new FakeTurnServer(turnAddr, "alice", "secret", "192.0.2.10"));
        IceServer server = IceServer.turn("turn:192.0.2.10:3478", "alice", "secret");
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(server).policy(IceTransportPolicy.RELAY).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).build(), TestAgents.creds(2));
        InetSocketAddress aHost = a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(10), true);
        a.agent.startGathering(net.now());
        b.agent.startGathering(net.now());
        net.runUntil(() -> a.connected() && b.connected(), Duration.ofSeconds(10));
        // b (policy all) learns nothing about a's host address, but a stray packet to it must be dropped.
        a.agent.handleInput(net.now(), SocketId.udp(0), VirtualNetwork.addr("10.0.0.2", 6000), java.nio.ByteBuffer.wrap(new byte[] {(byte) 0x80, 1, 2, 3}));
        assertThat(a.agent.stats().drops(IceDropReason.NON_RELAY_PATH)).isEqualTo(1);
        assertThat(a.localCandidates).allMatch(c -> c.type() == IceCandidateType.RELAY);
        assertThat(b.agent.remoteCandidates()).noneMatch(c -> c.address().equals(aHost.getAddress().getHostAddress()));
    }
}
