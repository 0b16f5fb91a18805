package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.interop.NattedNetwork;
import io.jrtc.testkit.interop.TwoNats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Two agents behind two real Linux NATs (testkit's {@link TwoNats}) on a public network that drops every UDP datagram,
 * as some corporate networks do: only TCP reaches the coturn there. Signaling hands out its TURN URL over UDP and over
 * TCP. The direct attempt fails, the opener falls back to relay-only, and the link comes up through TURN allocations
 * made over TCP (coturn relays between its own relay addresses). Broadcasts cross both ways; not one UDP datagram
 * crossed the public network's edge.
 *
 * <p>Needs root, nftables and coturn; fails under {@code JRTC_REQUIRE_INTEROP=1} without.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AgentsWithoutUdpLinkThroughTurnOverTcp {

    @Test
    void theLinkComesUpOverTurnTcpAndCarriesBroadcasts() throws Exception {
        RealMesh.requireNatAndCoturn();
        String secret = "tcp-only-secret-" + System.nanoTime();
        try (TwoNats nats = TwoNats.create(NattedNetwork.Kind.PORT_PRESERVING, NattedNetwork.Kind.PORT_PRESERVING);
                Coturn coturn = Coturn.restApiBetween(nats, "mesh-turn-tcp", secret);
                RealMesh mesh = new RealMesh(s -> s.turnUrls(List.of(coturn.url("udp"), coturn.url("tcp"))).turnSecret(secret))) {
            nats.blockUdp(true);
            List<ConcurrentLinkedQueue<MeshEvent>> events = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
            MeshAgent[] agents = mesh.startTwoBehind(nats, events);
            mesh.awaitLinkedByRelayFallback(agents, Duration.ofSeconds(60));
            LoggerFactory.getLogger(AgentsWithoutUdpLinkThroughTurnOverTcp.class).info("{}: audit {} / {}", nats,
                    mesh.audits.get(0), mesh.audits.get(1));
            // the public network carries no UDP at all, so the link that is up runs over TCP to coturn; site 2 (no
            // probe of the test's own comes from there) reached it over TCP
            String log = coturn.log();
            assertThat(log.lines().filter(l -> l.contains("ALLOCATE processed, success"))).as("one allocation per agent").hasSize(2);
            assertThat(log).contains("tcp or tls connected to: " + nats.natAddress(2).getHostAddress() + ":");

            mesh.broadcastBothWays(agents[0], agents[1], "no UDP", Duration.ofSeconds(20));
            assertThat(nats.udpDropped()).as("UDP was tried and dropped at the public network's edge").isPositive();
            assertThat(nats.packetsBetweenTheNats()).as("nothing went NAT to NAT").isZero();
        }
    }
}
