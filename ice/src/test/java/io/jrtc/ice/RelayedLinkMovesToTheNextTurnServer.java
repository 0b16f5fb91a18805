package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two TURN servers, both agents relay-only (drill A of issue 11 at the ICE level, on the virtual network): the first
 * configured TURN server's relay candidates outrank the second's, so the link runs through the first; when the first
 * dies, consent is lost (DISCONNECTED within {@code disconnectedTimeout}), and an ICE restart moves the link onto the
 * second server's allocations, which were allocated at gathering and are reused (no new gathering to wait for).
 */
class RelayedLinkMovesToTheNextTurnServer {

    private static final String T1_IP = "192.0.2.10";
    private static final String T2_IP = "192.0.2.20";

    @Test
    void theFirstTurnServerCarriesTheLinkAndARestartMovesItToTheSecondWhenTheFirstDies() {
        VirtualNetwork net = new VirtualNetwork(41);
        InetSocketAddress t1Addr = VirtualNetwork.addr(T1_IP, 3478);
        InetSocketAddress t2Addr = VirtualNetwork.addr(T2_IP, 3478);
        FakeTurnServer t1 = new FakeTurnServer(t1Addr, "alice", "secret", T1_IP);
        FakeTurnServer t2 = new FakeTurnServer(t2Addr, "alice", "secret", T2_IP);
        net.addService(t1Addr, t1);
        net.addService(t2Addr, t2);
        IceServer s1 = IceServer.turn("turn:" + T1_IP + ":3478?transport=udp", "alice", "secret");
        IceServer s2 = IceServer.turn("turn:" + T2_IP + ":3478?transport=udp", "alice", "secret");
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(s1).addServer(s2)
                .policy(IceTransportPolicy.RELAY).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).addServer(s1).addServer(s2)
                .policy(IceTransportPolicy.RELAY).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(20), true);
        a.agent.startGathering(net.now());
        b.agent.startGathering(net.now());
        assertThat(net.runUntil(() -> a.connected() && b.connected()
                && a.localCandidates.size() == 2 && b.localCandidates.size() == 2, Duration.ofSeconds(10))).isTrue();

        // The first server's relay candidate has the higher priority, on both agents; the link runs through it.
        for (VirtualNetwork.Node n : List.of(a, b)) {
            IceCandidate viaT1 = relayOn(n, T1_IP);
            IceCandidate viaT2 = relayOn(n, T2_IP);
            assertThat(viaT1.priority()).as("%s: T1 relay over T2 relay", n).isGreaterThan(viaT2.priority());
        }
        assertThat(net.runUntil(() -> onServer(a, T1_IP) && onServer(b, T1_IP), Duration.ofSeconds(2))).isTrue();

        // A numbered message every 10 ms from a; b must see each once, in order, whatever the path.
        List<Integer> got = new ArrayList<>();
        int[] sent = {0};
        VirtualNetwork.Node[] nodes = {a, b};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            a.send(ByteBuffer.allocate(8).putInt(0x80000000).putInt(sent[0]++).array());
            if (sent[0] < 1500) {
                net.schedule(Duration.ofMillis(10), tick[0]);
            }
        };
        net.schedule(Duration.ZERO, tick[0]);
        net.runFor(Duration.ofSeconds(1));

        // T1 dies.
        long killedAt = net.now();
        net.removeService(t1);
        assertThat(net.runUntil(() -> a.state() == IceConnectionState.DISCONNECTED, Duration.ofSeconds(6))).isTrue();
        long disconnectedAfter = net.now() - killedAt;
        assertThat(disconnectedAfter).as("consent loss detected (ns)").isLessThanOrEqualTo(Duration.ofMillis(5500).toNanos());

        // The offerer restarts ICE; the answerer restarts on the offer (signalling delays of 20 ms).
        IceCredentials aNew = TestAgents.creds(1001);
        IceCredentials bNew = TestAgents.creds(2002);
        a.agent.restart(net.now(), aNew);
        net.schedule(Duration.ofMillis(20), () -> {
            b.agent.setRemoteCredentials(net.now(), aNew);
            b.agent.restart(net.now(), bNew);
            net.schedule(Duration.ofMillis(20), () -> a.agent.setRemoteCredentials(net.now(), bNew));
        });
        assertThat(net.runUntil(() -> onServer(a, T2_IP) && onServer(b, T2_IP) && a.connected() && b.connected(),
                Duration.ofSeconds(4))).as("the link moved to T2").isTrue();
        long movedAfter = net.now() - killedAt;
        assertThat(movedAfter).as("kill to the link on T2 (ns)").isLessThan(Duration.ofSeconds(7).toNanos());
        for (VirtualNetwork.Node n : nodes) {
            assertThat(n.agent.selectedPair().orElseThrow().remote().address()).startsWith(T2_IP);
        }
        // Data flows on the new path.
        int before = b.received.size();
        net.runFor(Duration.ofSeconds(1));
        assertThat(b.received.size()).isGreaterThan(before + 50);
        for (byte[] m : b.received) {
            got.add(ByteBuffer.wrap(m).getInt(4));
        }
        for (int i = 1; i < got.size(); i++) {
            assertThat(got.get(i)).as("order").isGreaterThan(got.get(i - 1));
        }
    }

    private static IceCandidate relayOn(VirtualNetwork.Node n, String ip) {
        return n.localCandidates.stream().filter(c -> c.address().equals(ip)).findFirst().orElseThrow();
    }

    /** Whether {@code n}'s selected pair runs from its relay on the TURN server at {@code ip} to a relay on the same one. */
    private static boolean onServer(VirtualNetwork.Node n, String ip) {
        return n.agent.selectedPair().map(p -> p.local().address().equals(ip) && p.remote().address().equals(ip))
                .orElse(false);
    }
}
