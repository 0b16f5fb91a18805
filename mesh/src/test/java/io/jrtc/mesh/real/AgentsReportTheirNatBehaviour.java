package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.ice.nat.FilteringBehavior;
import io.jrtc.ice.nat.MappingBehavior;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.jrtc.ice.nat.NatTest;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.NatCheck;
import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.interop.NattedNetwork;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each agent discovers its NAT's behaviour (RFC 5780) once it has registered, against a real coturn with two loopback
 * addresses (127.0.0.1 and 127.0.0.2: coturn then answers CHANGE-REQUESTs from its other address and port) that the
 * signaling server hands out as its STUN server, and reports it four ways: {@link MeshAgent#natBehavior()}, a
 * {@link MeshEvent.NatDiscovered} event, an audit entry and the {@code jrtc_mesh_nat_behaviour} series at
 * {@code /metrics}. On loopback that is no NAT, endpoint-independent mapping and filtering. {@code checkNat()} runs it
 * again. A silent server is reported as unreachable and the agent links all the same; a check that is off reports
 * nothing and refuses {@code checkNat()}. Skips without coturn, fails then under {@code JRTC_REQUIRE_INTEROP=1}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AgentsReportTheirNatBehaviour {

    @Test
    void twoAgentsFindNoNatBehindLoopbackAndReportItEveryWay() throws Exception {
        try (Coturn coturn = Coturn.longTerm("mesh-nat", "--listening-ip=127.0.0.2");
             DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = coturn.port();
            String stun = "stun:127.0.0.1:" + port + "?transport=udp";
            try (RealMesh mesh = new RealMesh(s -> s.stunUrls(List.of("stun:127.0.0.1:" + port)))) {
                ConcurrentLinkedQueue<MeshEvent.NatDiscovered> events = new ConcurrentLinkedQueue<>();
                MeshAgent first = new MeshAgent(mesh.config(Identity.generate(), 0).degree(2)
                        .qualityInterval(Duration.ofMillis(300)).build());
                mesh.agents.add(first); // closed with the mesh
                first.onEvent(e -> {
                    if (e instanceof MeshEvent.NatDiscovered n) {
                        events.add(n);
                    }
                });
                first.start().get(20, TimeUnit.SECONDS);
                MeshAgent second = mesh.start(mesh.config(Identity.generate(), 1).degree(2)
                        .qualityInterval(Duration.ofMillis(300)).build());
                // a silent STUN server, short timers: 2 transmissions 20 ms apart, then 20 ms
                MeshAgent unanswered = mesh.start(mesh.config(Identity.generate(), 2).degree(2)
                        .natCheck(NatCheck.server((InetSocketAddress) silent.getLocalSocketAddress())
                                .withTimers(Duration.ofMillis(20), 2, 1))
                        .qualityInterval(Duration.ofMillis(300)).build());
                MeshAgent off = mesh.start(mesh.config(Identity.generate(), 3).degree(2).natCheck(NatCheck.off())
                        .qualityInterval(Duration.ofMillis(300)).build());

                RealMesh.await("both agents have their NAT behaviour", Duration.ofSeconds(20),
                        () -> first.natBehavior().isPresent() && second.natBehavior().isPresent()
                                && unanswered.natBehavior().isPresent());
                InetSocketAddress other = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port + 1);
                for (MeshAgent a : List.of(first, second)) {
                    NatBehaviorResult r = a.natBehavior().orElseThrow();
                    assertThat(r.status()).as("%s", r).isEqualTo(NatBehaviorResult.Status.COMPLETE);
                    assertThat(r.server()).isEqualTo(coturn.address());
                    assertThat(r.otherAddress()).isEqualTo(other);
                    assertThat(r.local().getAddress()).as("bound where the agent's ICE binds")
                            .isEqualTo(InetAddress.getLoopbackAddress());
                    assertThat(r.noNat()).isTrue();
                    assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
                    assertThat(r.filtering()).isEqualTo(FilteringBehavior.ENDPOINT_INDEPENDENT);
                    assertThat(r.outcome(NatTest.FILTERING_TEST_II).responseSource())
                            .as("the change-IP-and-port answer came from the other address").isEqualTo(other);
                }
                // the event, with the same result
                assertThat(events).hasSize(1);
                assertThat(events.peek().result()).isEqualTo(first.natBehavior().orElseThrow());
                assertThat(events.peek().error()).isNull();
                // the audit entry
                Map<String, String> entry = natEntries(mesh, 1).getFirst();
                assertThat(entry).containsEntry("agent", second.id().toString()).containsEntry("server", stun)
                        .containsEntry("status", "complete").containsEntry("mapping", "endpoint-independent")
                        .containsEntry("filtering", "endpoint-independent").containsEntry("nat", "no")
                        .containsEntry("mapped", "127.0.0.1:" + second.natBehavior().orElseThrow().mappedAddress().getPort());
                // the metrics series
                InetSocketAddress at = second.startMetrics(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                List<String> series = MetricsEndpointShowsLinksModesAndDeliveries.series(
                        MetricsEndpointShowsLinksModesAndDeliveries.scrape(at), "jrtc_mesh_nat_behaviour");
                assertThat(series).hasSize(1);
                assertThat(series.getFirst()).contains("status=\"complete\"", "mapping=\"endpoint-independent\"",
                        "filtering=\"endpoint-independent\"").endsWith(" 1.0");

                // run again on demand: a second result, a second audit entry
                NatBehaviorResult again = second.checkNat().get(20, TimeUnit.SECONDS);
                assertThat(again.status()).isEqualTo(NatBehaviorResult.Status.COMPLETE);
                assertThat(again.local()).as("a fresh socket").isNotEqualTo(natLocal(natEntries(mesh, 1).getFirst()));
                assertThat(second.natBehavior()).contains(again);
                assertThat(natEntries(mesh, 1)).hasSize(2);

                // the silent server: unreachable, reported, and the agent is in the mesh all the same
                NatBehaviorResult none = unanswered.natBehavior().orElseThrow();
                assertThat(none.status()).isEqualTo(NatBehaviorResult.Status.SERVER_UNREACHABLE);
                assertThat(none.outcome(NatTest.TEST_I).transmissions()).isEqualTo(2);
                assertThat(none.mapping()).isEqualTo(MappingBehavior.UNKNOWN);
                assertThat(natEntries(mesh, 2).getFirst()).containsEntry("status", "server-unreachable")
                        .containsEntry("nat", "unknown");

                // off: nothing reported, and no check on demand
                assertThat(off.natBehavior()).isEmpty();
                assertThat(natEntries(mesh, 3)).isEmpty();
                assertThatThrownBy(() -> off.checkNat().get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("off");

                RealMesh.await("every agent links", Duration.ofSeconds(30),
                        () -> !first.neighbours().isEmpty() && !second.neighbours().isEmpty()
                                && !unanswered.neighbours().isEmpty() && !off.neighbours().isEmpty());

                // the link reports carry it to signaling, whose /mesh shows each agent's NAT behaviour (revision 6)
                String ei = "{\"status\":\"complete\",\"mapping\":\"endpoint-independent\",\"filtering\":\"endpoint-independent\"}";
                RealMesh.await("signaling's /mesh shows the NAT behaviours", Duration.ofSeconds(20), () -> {
                    Map<String, String> nats = nats(RealMesh.get(mesh.server.boundPort(), "/mesh"));
                    return ei.equals(nats.get(first.signalingId())) && ei.equals(nats.get(second.signalingId()))
                            && ("{\"status\":\"server-unreachable\",\"mapping\":\"unknown\",\"filtering\":\"unknown\"}")
                                    .equals(nats.get(unanswered.signalingId()));
                });
                // the agent with the check off has reported its links, without a NAT behaviour
                RealMesh.await("the agent without a check has reported", Duration.ofSeconds(20),
                        () -> "null".equals(nats(RealMesh.get(mesh.server.boundPort(), "/mesh")).get(off.signalingId())));
            }
        }
    }

    /**
     * The same check from an agent behind a real Linux NAT (testkit's {@code NattedNetwork}: a router namespace
     * masquerading with nftables), against an RFC 5780 coturn on the public side that signaling hands out: the agent
     * binds its check where its ICE binds, finds the NAT's address as its mapped address, and reports the kind of the
     * NAT. Timers shortened (a filtering test that the NAT drops waits for its last transmission).
     */
    private static NatBehaviorResult behind(NattedNetwork.Kind kind, String name) throws Exception {
        RealMesh.requireNatAndCoturn();
        try (NattedNetwork net = NattedNetwork.create(kind);
                Coturn coturn = Coturn.longTermBehind(net, name);
                RealMesh mesh = new RealMesh(s -> s.stunUrls(List.of("stun:"
                        + coturn.address().getAddress().getHostAddress() + ":" + coturn.port())))) {
            MeshAgent a = mesh.start(mesh.config(Identity.generate(), 0).degree(2)
                    .natCheck(NatCheck.iceServers().withTimers(Duration.ofMillis(100), 3, 2))
                    .rtcTemplate(io.jrtc.peer.RtcConfiguration.builder().addBindAddress(net.clientAddress()).build())
                    .build());
            RealMesh.await("the agent behind the NAT has its behaviour", Duration.ofSeconds(20),
                    () -> a.natBehavior().isPresent());
            NatBehaviorResult r = a.natBehavior().orElseThrow();
            org.slf4j.LoggerFactory.getLogger(AgentsReportTheirNatBehaviour.class).info("behind {}: {}", net, r);
            assertThat(r.status()).as("%s", r).isEqualTo(NatBehaviorResult.Status.COMPLETE);
            assertThat(r.server()).isEqualTo(coturn.address());
            assertThat(r.local().getAddress()).as("bound where the agent's ICE binds").isEqualTo(net.clientAddress());
            assertThat(r.behindNat()).isTrue();
            assertThat(r.mappedAddress().getAddress()).as("the NAT's address, not the agent's").isEqualTo(net.natAddress());
            Map<String, String> entry = natEntries(mesh, 0).getFirst();
            assertThat(entry).containsEntry("agent", a.id().toString()).containsEntry("status", "complete")
                    .containsEntry("nat", "yes").containsEntry("mapping", r.mapping().label())
                    .containsEntry("filtering", r.filtering().label());
            return r;
        }
    }

    @Test
    void behindAPortPreservingNatTheAgentFindsOneMappingFilteredByAddressAndPort() throws Exception {
        NatBehaviorResult r = behind(NattedNetwork.Kind.PORT_PRESERVING, "mesh-nat-masquerade");
        assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT);
        assertThat(r.mappedAddress().getPort()).as("the port kept").isEqualTo(r.local().getPort());
    }

    @Test
    void behindANatThatMapsEachFlowApartTheAgentFindsAddressAndPortDependentMapping() throws Exception {
        NatBehaviorResult r = behind(NattedNetwork.Kind.RANDOM_PORT_PER_FLOW, "mesh-nat-symmetric");
        assertThat(r.mapping()).isEqualTo(MappingBehavior.ADDRESS_AND_PORT_DEPENDENT);
    }

    @Test
    void aCheckWithoutAServerIsRefusedAndAServerNeedsItsMode() throws Exception {
        assertThatThrownBy(() -> new NatCheck(NatCheck.Mode.SERVER, null, NatCheck.defaultDiscovery()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NatCheck(NatCheck.Mode.OFF,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478), NatCheck.defaultDiscovery()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NatCheck.server(InetSocketAddress.createUnresolved("stun.example", 3478)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolved");
        // the default looks at the ICE servers: with none handed out there is nothing to check against
        try (RealMesh mesh = new RealMesh()) {
            MeshAgent a = mesh.start(mesh.config(Identity.generate(), 0).build());
            assertThat(a.config().natCheck().mode()).isEqualTo(NatCheck.Mode.ICE_SERVERS);
            assertThatThrownBy(() -> a.checkNat().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("no UDP STUN or TURN server");
            assertThat(a.natBehavior()).isEmpty();
            assertThat(natEntries(mesh, 0)).isEmpty();
        }
    }

    /**
     * Each agent's {@code nat} in a {@code /mesh} view, as JSON text ({@code "null"} when none), for the agents that
     * have reported.
     */
    private static Map<String, String> nats(String view) {
        Map<String, String> out = new java.util.HashMap<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode a : new com.fasterxml.jackson.databind.ObjectMapper().readTree(view)
                    .path("agents")) {
                if (!a.path("reported_ms_ago").isNull()) {
                    out.put(a.path("id").asText(), a.path("nat").toString());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static List<Map<String, String>> natEntries(RealMesh mesh, int index) {
        return mesh.audits.get(index).stream().filter(e -> e.kind().equals("nat.behaviour")).map(RealMesh.Audit::fields)
                .toList();
    }

    private static InetSocketAddress natLocal(Map<String, String> entry) throws Exception {
        String local = entry.get("local");
        int colon = local.lastIndexOf(':');
        return new InetSocketAddress(InetAddress.getByName(local.substring(0, colon)),
                Integer.parseInt(local.substring(colon + 1)));
    }
}
