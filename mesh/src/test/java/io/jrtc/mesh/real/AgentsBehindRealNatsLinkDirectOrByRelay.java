package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.interop.NattedNetwork;
import io.jrtc.testkit.interop.TwoNats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Two agents, each behind its own real Linux NAT (testkit's {@link TwoNats}: namespaces, nftables masquerade), with a
 * coturn on the public network between them whose STUN and TURN the signaling server hands out. Host candidates are
 * kept out (both agents share this kernel, which would join their host addresses directly), so the agents see each
 * other only as the NATs show them.
 * <ul>
 *   <li>A port-preserving NAT at site 1 and a full cone at site 2 (what arrives unasked is let in): the
 *       server-reflexive candidates work, the link comes up on the direct attempt with no fallback, and its traffic
 *       crosses the public network from one NAT straight to the other.</li>
 *   <li>Two port-preserving NATs: both agents' first checks arrive at the other NAT unasked and are dropped there,
 *       and the checks that follow punch through both. (Without the routers' drop of unasked UDP, as a home router's
 *       firewall has, Linux kept a connection-tracking entry for each such check, gave the agent's own flow to that
 *       peer another port, and the link fell back to the relay in 5 runs of 5: testkit's {@code NattedNetwork}.)</li>
 *   <li>NATs that map each flow to a new port (address-and-port-dependent mapping): no reflexive pair can work, so the
 *       direct attempt fails, the fallback to relay-only is decided within the 5 s timeout and audited, and the link
 *       comes up over coturn.</li>
 * </ul>
 * Messages then flow both ways. Needs root, nftables and coturn; fails under {@code JRTC_REQUIRE_INTEROP=1} without.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AgentsBehindRealNatsLinkDirectOrByRelay {

    private record Pair(RealMesh mesh, MeshAgent first, MeshAgent second) {
    }

    private static void require() {
        RealMesh.requireNatAndCoturn();
    }

    /** Two agents, one per site, the first with the smaller id (its offers win when both dial). */
    private static Pair start(RealMesh mesh, TwoNats nats) throws Exception {
        Identity a = Identity.generate();
        Identity b = Identity.generate();
        if (b.agentId().compareTo(a.agentId()) < 0) {
            Identity t = a;
            a = b;
            b = t;
        }
        MeshAgent first = mesh.start(mesh.config(a, 0).degree(2)
                .rtcTemplate(RtcConfiguration.builder().addBindAddress(nats.siteAddress(1)).build())
                .candidateFilter(c -> !c.contains(" typ host")).build());
        MeshAgent second = mesh.start(mesh.config(b, 1).degree(2)
                .rtcTemplate(RtcConfiguration.builder().addBindAddress(nats.siteAddress(2)).build())
                .candidateFilter(c -> !c.contains(" typ host")).build());
        RealMesh.await("the two agents link through their NATs", Duration.ofSeconds(45),
                () -> first.neighbours().contains(second.id()) && second.neighbours().contains(first.id()));
        return new Pair(mesh, first, second);
    }

    private static void messagesFlowBothWays(Pair p) throws Exception {
        p.mesh().broadcastBothWays(p.first(), p.second(), "direct or relayed", Duration.ofSeconds(10));
    }

    private static List<RealMesh.Audit> audit(RealMesh mesh, int agent, String kind) {
        return mesh.audits.get(agent).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** Both agents link on the direct attempt, and the link's traffic crosses from one NAT straight to the other. */
    private static void linkedDirectly(NattedNetwork.Kind site1, NattedNetwork.Kind site2, String realm) throws Exception {
        require();
        String secret = "nat-secret-" + System.nanoTime();
        try (TwoNats nats = TwoNats.create(site1, site2);
                Coturn coturn = Coturn.restApiBetween(nats, realm, secret);
                RealMesh mesh = new RealMesh(s -> s.stunUrls(List.of("stun:" + coturn.address().getAddress().getHostAddress()
                        + ":" + coturn.port())).turnUrls(List.of(coturn.url("udp"))).turnSecret(secret))) {
            Pair p = start(mesh, nats);
            LoggerFactory.getLogger(AgentsBehindRealNatsLinkDirectOrByRelay.class).info("{}: audit {} / {}", nats,
                    mesh.audits.get(0), mesh.audits.get(1));
            assertThat(audit(mesh, 0, "link.fallback")).as("no fallback at site 1").isEmpty();
            assertThat(audit(mesh, 1, "link.fallback")).as("no fallback at site 2").isEmpty();
            assertThat(audit(mesh, 0, "link.up")).allMatch(e -> "direct".equals(e.fields().get("path"))).isNotEmpty();
            assertThat(audit(mesh, 1, "link.up")).allMatch(e -> "direct".equals(e.fields().get("path"))).isNotEmpty();
            assertThat(coturn.log()).as("no TURN allocation on a direct attempt").doesNotContain("ALLOCATE processed, success");
            long before = nats.packetsBetweenTheNats();
            assertThat(before).as("ICE checks and the handshake went NAT to NAT").isPositive();
            messagesFlowBothWays(p);
            assertThat(nats.packetsBetweenTheNats()).as("and so do the messages").isGreaterThan(before);
        }
    }

    @Test
    void throughAPortPreservingNatAndAFullConeTheReflexiveCandidatesJoinThemDirectly() throws Exception {
        linkedDirectly(NattedNetwork.Kind.PORT_PRESERVING, NattedNetwork.Kind.FULL_CONE, "mesh-nat-direct");
    }

    @Test
    void throughTwoPortPreservingNatsTheChecksPunchThroughBoth() throws Exception {
        linkedDirectly(NattedNetwork.Kind.PORT_PRESERVING, NattedNetwork.Kind.PORT_PRESERVING, "mesh-nat-punch");
    }

    @Test
    void behindNatsThatMapEachFlowApartTheyFallBackToTheRelay() throws Exception {
        require();
        String secret = "nat-secret-" + System.nanoTime();
        try (TwoNats nats = TwoNats.create(NattedNetwork.Kind.RANDOM_PORT_PER_FLOW, NattedNetwork.Kind.RANDOM_PORT_PER_FLOW);
                Coturn coturn = Coturn.restApiBetween(nats, "mesh-nat-relay", secret);
                RealMesh mesh = new RealMesh(s -> s.stunUrls(List.of("stun:" + coturn.address().getAddress().getHostAddress()
                        + ":" + coturn.port())).turnUrls(List.of(coturn.url("udp"))).turnSecret(secret))) {
            long started = System.nanoTime();
            Pair p = start(mesh, nats);
            LoggerFactory.getLogger(AgentsBehindRealNatsLinkDirectOrByRelay.class).info("{}: audit {} / {}", nats,
                    mesh.audits.get(0), mesh.audits.get(1));
            // the agent that dialled (its link.up says outbound) decided the fallback; the other answered both attempts
            int offerer = audit(mesh, 0, "link.up").stream().anyMatch(e -> "true".equals(e.fields().get("outbound"))) ? 0 : 1;
            List<RealMesh.Audit> fallback = audit(mesh, offerer, "link.fallback");
            assertThat(fallback).as("the dialling agent fell back").hasSize(1);
            assertThat(fallback.get(0).fields()).containsEntry("path", "relay");
            assertThat(fallback.get(0).fields().get("reason")).contains("direct not up within");
            assertThat(audit(mesh, offerer, "link.up")).singleElement()
                    .satisfies(e -> assertThat(e.fields()).containsEntry("path", "relay"));
            assertThat(audit(mesh, 1 - offerer, "link.up")).as("the answering side knows the path from the offer")
                    .singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("path", "relay"));
            assertThat(coturn.log()).contains("ALLOCATE processed, success");
            messagesFlowBothWays(p);
            assertThat((System.nanoTime() - started) / 1e9).as("5 s direct, then the relay").isBetween(5.0, 30.0);
        }
    }
}
