package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The TURN client on a virtual clock against a server whose allocations, permissions (300 s) and channels (600 s)
 * really expire: over 40 minutes the allocation is refreshed before its lifetime, permissions every 4 minutes,
 * channels every 9 minutes, stale nonces are retried, data still flows at the end, and close() deallocates.
 */
class TurnAllocationLivesThroughRefreshes {

    private static final InetSocketAddress TURN = VirtualNetwork.addr("192.0.2.10", 3478);

    private VirtualNetwork.Node[] relayPair(VirtualNetwork net, FakeTurnServer server, IceConfig.Builder cfgA) {
        IceServer s = IceServer.turn("turn:192.0.2.10:3478", "alice", "secret");
        VirtualNetwork.Node a = net.node("a", cfgA.addServer(s).policy(IceTransportPolicy.RELAY).build(), TestAgents.creds(1));
        VirtualNetwork.Node b = net.node("b", TestAgents.config(2).build(), TestAgents.creds(2));
        a.agent.setRole(IceRole.CONTROLLING);
        b.agent.setRole(IceRole.CONTROLLED);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(20), true);
        Pairing.start(net, a, b);
        return new VirtualNetwork.Node[] {a, b};
    }

    @Test
    void fortyMinutesOfRefreshes() {
        VirtualNetwork net = new VirtualNetwork(61);
        FakeTurnServer server = new FakeTurnServer(TURN, "alice", "secret", "192.0.2.10");
        server.nonceLifetimeNanos = Duration.ofSeconds(700).toNanos();
        net.addService(TURN, server);
        VirtualNetwork.Node[] n = relayPair(net, server, TestAgents.config(1));
        assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(5))).isTrue();
        // One unauthenticated Allocate answered 401 (realm + nonce), then one authenticated Allocate.
        assertThat(server.unauthorized).isEqualTo(1);
        assertThat(server.allocates).isEqualTo(1);
        int permissionsAtStart = server.createPermissions;
        int channelsAtStart = server.channelBinds;
        net.runFor(Duration.ofMinutes(40));
        // Allocation lifetime 600 s: refreshed at 540 s, i.e. 4 times in 40 minutes.
        assertThat(server.refreshes).isBetween(4, 5);
        // Permissions: every 240 s.
        assertThat(server.createPermissions - permissionsAtStart).isBetween(9, 11);
        // Channels: every 540 s.
        assertThat(server.channelBinds - channelsAtStart).isBetween(4, 5);
        assertThat(server.staleNonces).isPositive();
        assertThat(n[0].agent.stats().turn().staleNonces()).isEqualTo(server.staleNonces);
        assertThat(server.liveAllocations(net.now())).isEqualTo(1);
        assertThat(n[0].connected()).isTrue();
        n[0].send(new byte[] {(byte) 0x80, 9});
        n[1].send(new byte[] {(byte) 0x80, 8});
        net.runFor(Duration.ofMillis(200));
        assertThat(n[1].received).hasSize(1);
        assertThat(n[0].received).hasSize(1);
        assertThat(server.channelDataFromClient).isPositive();
        assertThat(server.droppedNoPermission).isZero();

        n[0].agent.close(net.now());
        assertThat(n[0].state()).isEqualTo(IceConnectionState.CLOSED);
        assertThat(net.runUntil(n[0].agent::isClosed, Duration.ofSeconds(3))).isTrue();
        assertThat(server.deallocations).isEqualTo(1);
        assertThat(server.liveAllocations(net.now())).isZero();
        assertThat(n[0].agent.stats().turn().deallocations()).isEqualTo(1);
    }

    @Test
    void shortLifetimeIsRefreshedAtHalfLife() {
        VirtualNetwork net = new VirtualNetwork(62);
        FakeTurnServer server = new FakeTurnServer(TURN, "alice", "secret", "192.0.2.10");
        server.grantedLifetime = 20;
        net.addService(TURN, server);
        VirtualNetwork.Node[] n = relayPair(net, server, TestAgents.config(1).turnRequestedLifetime(Duration.ofSeconds(20)));
        assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(5))).isTrue();
        net.runFor(Duration.ofSeconds(100));
        assertThat(server.refreshes).isBetween(9, 10);
        assertThat(server.liveAllocations(net.now())).isEqualTo(1);
        assertThat(n[0].connected()).isTrue();
    }

    @Test
    void wrongPasswordFailsTheAllocationWithAnAuthenticationError() {
        VirtualNetwork net = new VirtualNetwork(63);
        net.addService(TURN, new FakeTurnServer(TURN, "alice", "other-secret", "192.0.2.10"));
        IceServer s = IceServer.turn("turn:192.0.2.10:3478", "alice", "secret");
        VirtualNetwork.Node a = net.node("a", TestAgents.config(1).addServer(s).policy(IceTransportPolicy.RELAY).build(), TestAgents.creds(1));
        a.bind("10.0.0.1", 5000);
        Pairing.start(net, a);
        assertThat(net.runUntil(() -> a.gathering() == IceGatheringState.COMPLETE, Duration.ofSeconds(5))).isTrue();
        assertThat(a.localCandidates).isEmpty();
        assertThat(a.events).anyMatch(e -> e instanceof IceEvent.Error err && err.kind() == io.jrtc.common.ErrorKind.AUTHENTICATION);
        assertThat(a.agent.stats().turn().allocationFailures()).isEqualTo(1);
        // Policy RELAY with no relay: failure as soon as the peer's candidates are all in.
        a.agent.setRemoteCredentials(net.now(), TestAgents.creds(2));
        a.agent.endOfRemoteCandidates(net.now());
        assertThat(a.state()).isEqualTo(IceConnectionState.FAILED);
    }
}
