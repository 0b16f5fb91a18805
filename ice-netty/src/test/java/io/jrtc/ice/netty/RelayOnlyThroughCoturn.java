package io.jrtc.ice.netty;

import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.WritesByDestination;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.IceTransportPolicy;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Against a real coturn on 127.0.0.1: relay candidates over TURN-UDP, TURN-TCP and TURN-TLS with long-term and
 * TURN REST API credentials; two transports with {@code iceTransportPolicy: relay} connect relay/relay and carry
 * data byte-exact; every datagram and stream write went to the TURN server; short lifetimes force allocation,
 * permission and channel refreshes; close deallocates; coturn also serves as the STUN server for srflx gathering.
 */
class RelayOnlyThroughCoturn {

    static MultiThreadIoEventLoopGroup group;
    static Coturn coturn;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        coturn = Coturn.longTerm("lt");
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    static IceConfig.Builder relayConfig(Coturn server, String transport, String user, String password) {
        return IceConfig.builder()
                .addBindAddress(InetAddress.getLoopbackAddress())
                .policy(IceTransportPolicy.RELAY)
                .turnTlsTrustManager(IceConfig.trustManagerFor(server.certificate()))
                .addServer(IceServer.turn(server.url(transport), user, password));
    }

    static void await(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static Set<InetSocketAddress> serverAddresses(Coturn c) {
        return Set.of(c.address(), c.tlsAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void allocatesARelayCandidate(String transport) throws Exception {
        WritesByDestination writes = new WritesByDestination();
        IceTransport t = new IceTransport(group.next(),
                relayConfig(coturn, transport, "alice", "secret").writeObserver(writes::record).build());
        List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> complete = new CompletableFuture<>();
        t.onLocalCandidate(candidates::add);
        t.onGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                complete.complete(null);
            }
        });
        t.startGathering();
        complete.get(10, TimeUnit.SECONDS);
        assertThat(candidates).hasSize(1);
        IceCandidate relay = candidates.get(0);
        assertThat(relay.type()).isEqualTo(IceCandidateType.RELAY);
        assertThat(relay.address()).isEqualTo("127.0.0.1");
        assertThat(relay.port()).isBetween(coturn.minRelayPort(), coturn.maxRelayPort());
        assertThat(relay.relatedAddress()).isEqualTo("0.0.0.0");
        InetSocketAddress server = transport.equals("tls") ? coturn.tlsAddress() : coturn.address();
        assertThat(writes.snapshot().keySet()).containsExactly(server);
        IceStats.Wire wire = switch (transport) {
            case "udp" -> IceStats.Wire.UDP;
            case "tcp" -> IceStats.Wire.TCP;
            default -> IceStats.Wire.TLS;
        };
        IceStats st = t.stats();
        assertThat(st.traffic(wire).packetsReceived()).isPositive();
        assertThat(st.turn().allocations()).isEqualTo(1);
        t.close().get(10, TimeUnit.SECONDS);
        assertThat(t.stats().turn().deallocations()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void relayOnlyPeersConnectAndNothingLeavesForANonRelayAddress(String transport) throws Exception {
        TransportPair p = new TransportPair(group, relayConfig(coturn, transport, "alice", "secret").build(),
                relayConfig(coturn, transport, "alice", "secret").build());
        p.start();
        p.awaitConnected(15);
        List<byte[]> fromA = new ArrayList<>();
        List<byte[]> fromB = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] x = ByteBuffer.allocate(16 + i).put((byte) 0x80).putInt(i).array();
            byte[] y = ByteBuffer.allocate(16 + 2 * i).put((byte) 0x81).putInt(i).array();
            fromA.add(x);
            fromB.add(y);
            TransportPair.sendOnLoop(p.a, x);
            TransportPair.sendOnLoop(p.b, y);
        }
        await(() -> p.receivedByA.size() >= 100 && p.receivedByB.size() >= 100, Duration.ofSeconds(10), "data through the relay");
        assertThat(p.receivedByB).containsExactlyElementsOf(fromA);
        assertThat(p.receivedByA).containsExactlyElementsOf(fromB);

        assertThat(p.candidatesOfA).isNotEmpty().allMatch(c -> c.type() == IceCandidateType.RELAY);
        assertThat(p.candidatesOfB).isNotEmpty().allMatch(c -> c.type() == IceCandidateType.RELAY);
        assertThat(p.a.selectedPair().orElseThrow().local().type()).isEqualTo(IceCandidateType.RELAY);
        assertThat(p.a.selectedPair().orElseThrow().remote().type()).isEqualTo(IceCandidateType.RELAY);
        assertThat(p.b.selectedPair().orElseThrow().local().type()).isEqualTo(IceCandidateType.RELAY);
        // The capture: every datagram and every stream write of both edges went to the TURN server.
        assertThat(p.writesOfA.snapshot()).isNotEmpty();
        assertThat(serverAddresses(coturn)).containsAll(p.writesOfA.snapshot().keySet());
        assertThat(serverAddresses(coturn)).containsAll(p.writesOfB.snapshot().keySet());
        long writes = p.writesOfA.snapshot().values().stream().mapToLong(Long::longValue).sum();
        assertThat(writes).isGreaterThanOrEqualTo(100);
        assertThat(p.a.stats().turn().channelBinds()).isPositive();
        p.close();
        assertThat(p.a.stats().turn().deallocations()).isEqualTo(1);
        assertThat(p.b.stats().turn().deallocations()).isEqualTo(1);
    }

    @Test
    void restApiCredentialsWorkAndExpiredOnesAreRefused() throws Exception {
        String secret = "shared-secret-" + System.nanoTime();
        try (Coturn rest = Coturn.restApi("rest", secret)) {
            String[] valid = Coturn.restCredentials(secret, "alice", Instant.now().plusSeconds(3600));
            TransportPair p = new TransportPair(group, relayConfig(rest, "udp", valid[0], valid[1]).build(),
                    relayConfig(rest, "tcp", valid[0], valid[1]).build());
            p.start();
            p.awaitConnected(15);
            TransportPair.sendOnLoop(p.a, new byte[] {(byte) 0x80, 1, 2, 3});
            await(() -> p.receivedByB.size() == 1, Duration.ofSeconds(5), "data");
            assertThat(p.receivedByB.get(0)).containsExactly((byte) 0x80, 1, 2, 3);
            p.close();

            String[] expired = Coturn.restCredentials(secret, "alice", Instant.now().minusSeconds(60));
            IceTransport t = new IceTransport(group.next(), relayConfig(rest, "udp", expired[0], expired[1]).build());
            List<IceEvent.Error> errors = new CopyOnWriteArrayList<>();
            List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
            t.onError(errors::add);
            t.onLocalCandidate(candidates::add);
            t.startGathering();
            await(() -> t.gatheringState() == IceGatheringState.COMPLETE, Duration.ofSeconds(10), "gathering");
            assertThat(candidates).isEmpty();
            assertThat(errors).anyMatch(e -> e.kind() == ErrorKind.AUTHENTICATION);
            t.close().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shortLifetimesAreRefreshedAndDataKeepsFlowing() throws Exception {
        try (Coturn shortLived = Coturn.longTerm("short", "--max-allocate-lifetime=6", "--permission-lifetime=4", "--channel-lifetime=5")) {
            IceConfig cfg = relayConfig(shortLived, "udp", "alice", "secret")
                    .turnRequestedLifetime(Duration.ofSeconds(6))
                    .turnPermissionRefresh(Duration.ofSeconds(2))
                    .turnChannelRefresh(Duration.ofSeconds(3))
                    .build();
            TransportPair p = new TransportPair(group, cfg, cfg);
            p.start();
            p.awaitConnected(15);
            // 9 s: beyond the allocation (6 s), permission (4 s) and channel (5 s) lifetimes.
            for (int i = 0; i < 18; i++) {
                Thread.sleep(500);
                TransportPair.sendOnLoop(p.a, new byte[] {(byte) 0x80, (byte) i});
            }
            await(() -> p.receivedByB.size() == 18, Duration.ofSeconds(5), "data after the lifetimes passed");
            IceStats.TurnStats st = p.a.stats().turn();
            // coturn grants the capped 6 s to Allocate but extends a Refresh to its 600 s default, so one refresh
            // (at half-life) is what it allows; data still arriving 9 s in proves the allocation outlived its
            // first lifetime. Repeated refresh cycles are covered on the virtual clock (TurnAllocationLivesThroughRefreshes).
            assertThat(st.refreshes()).as("allocation refreshes").isGreaterThanOrEqualTo(1);
            assertThat(shortLived.log()).contains("REFRESH processed, success").doesNotContain("allocation timeout");
            assertThat(st.permissionsCreated()).as("permissions").isGreaterThanOrEqualTo(4);
            assertThat(st.channelBinds()).as("channel binds").isGreaterThanOrEqualTo(3);
            assertThat(p.a.connectionState().name()).isIn("CONNECTED", "COMPLETED");
            p.close();
            assertThat(p.a.stats().turn().deallocations()).isEqualTo(1);
        }
    }

    @Test
    void coturnAsStunServerGivesARedundantReflexiveAddressOnLoopback() throws Exception {
        WritesByDestination writes = new WritesByDestination();
        IceConfig cfg = IceConfig.builder()
                .addBindAddress(InetAddress.getLoopbackAddress())
                .addServer(IceServer.stun("stun:127.0.0.1:" + coturn.port()))
                .writeObserver(writes::record)
                .build();
        IceTransport t = new IceTransport(group.next(), cfg);
        List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
        t.onLocalCandidate(candidates::add);
        t.startGathering();
        await(() -> t.gatheringState() == IceGatheringState.COMPLETE, Duration.ofSeconds(10), "gathering");
        // On loopback the mapped address equals the host address: one host candidate, the srflx discarded as
        // redundant (RFC 8445 §5.1.3), and the Binding exchange with coturn really happened.
        assertThat(candidates).extracting(IceCandidate::type).containsExactly(IceCandidateType.HOST);
        IceStats st = t.stats();
        assertThat(st.redundantCandidates()).isEqualTo(1);
        assertThat(st.traffic(IceStats.Wire.UDP).packetsReceived()).isEqualTo(1);
        assertThat(writes.snapshot().keySet()).containsExactly(coturn.address());
        t.close().get(5, TimeUnit.SECONDS);
    }
}
