package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The agent does no DNS: a server URL with a host name makes it ask with a {@link IceEvent.ResolveHost} event and
 * wait; gathering completes only after the answer, and a failed resolution ends it with an error event.
 */
class ServerHostNamesAreResolvedByTheEdge {

    @Test
    void turnHostNameIsResolvedThenAllocated() {
        VirtualNetwork net = new VirtualNetwork(81);
        InetSocketAddress turnAddr = VirtualNetwork.addr("192.0.2.10", 3478);
        net.addService(turnAddr, new FakeTurnServer(turnAddr, "alice", "secret", "192.0.2.10"));
        IceServer s = IceServer.turn("turn:turn.example.test:3478", "alice", "secret");
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(s).policy(IceTransportPolicy.RELAY).build(), TestAgents.creds(1));
        a.bind("10.0.0.1", 5000);
        a.agent.startGathering(net.now());
        List<String> asked = new ArrayList<>();
        for (Optional<IceEvent> e = a.agent.pollEvent(); e.isPresent(); e = a.agent.pollEvent()) {
            if (e.get() instanceof IceEvent.ResolveHost r) {
                asked.add(r.host());
            }
        }
        assertThat(asked).containsExactly("turn.example.test");
        assertThat(a.agent.gatheringState()).isEqualTo(IceGatheringState.GATHERING);
        assertThat(a.agent.pollTransmit()).isEmpty();
        net.runFor(Duration.ofSeconds(5));
        assertThat(a.agent.gatheringState()).isEqualTo(IceGatheringState.GATHERING);

        a.agent.hostResolved(net.now(), "turn.example.test", List.of(VirtualNetwork.ip("192.0.2.10")));
        assertThat(net.runUntil(() -> a.gathering() == IceGatheringState.COMPLETE, Duration.ofSeconds(2))).isTrue();
        assertThat(a.localCandidates).hasSize(1).allMatch(c -> c.type() == IceCandidateType.RELAY);
    }

    @Test
    void failedResolutionEndsGatheringWithAnError() {
        IceAgent agent = new IceAgent(TestAgents.config(2).addServer(IceServer.stun("stun:stun.example.test")).build(), TestAgents.creds(2));
        agent.addLocalSocket(0, SocketId.udp(0), VirtualNetwork.addr("10.0.0.1", 5000), IceProtocol.UDP);
        agent.startGathering(0);
        agent.hostResolved(1, "stun.example.test", List.<InetAddress>of());
        List<IceEvent> events = new ArrayList<>();
        for (Optional<IceEvent> e = agent.pollEvent(); e.isPresent(); e = agent.pollEvent()) {
            events.add(e.get());
        }
        assertThat(events).anyMatch(e -> e instanceof IceEvent.Error err && err.message().contains("stun.example.test"));
        assertThat(agent.gatheringState()).isEqualTo(IceGatheringState.COMPLETE);
        assertThat(agent.localCandidates()).extracting(IceCandidate::type).containsExactly(IceCandidateType.HOST);
    }
}
