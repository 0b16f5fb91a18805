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
 * A relayed link whose TURN server dies. Two agents behind two real Linux NATs (testkit's {@link TwoNats}) cannot
 * reach each other directly: the public network between the NATs drops everything from the start. Signaling hands out
 * two coturns in the public namespace, each on its own address. The agents' direct attempt fails, they fall back to
 * relay-only, and the link runs through the first server (ICE prefers the TURN URL listed first). Then that coturn is
 * killed (SIGTERM: its allocations vanish without a word to the clients). Consent checks through it go unanswered
 * (ICE timers shortened here: consent lost after 3 s), and the opener's recovery restarts ICE, which re-announces the
 * relay candidate it allocated on the second server when it gathered. The link comes back through the second server:
 * the same neighbour at both ends, no {@code NeighbourDown}, nothing ever crossing between the NATs, and broadcasts
 * both ways.
 *
 * <p>Needs root, nftables and coturn; fails under {@code JRTC_REQUIRE_INTEROP=1} without.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ARelayedLinkOutlivesItsTurnServer {

    private static List<String> recoveryActions(RealMesh mesh, int agent) {
        return mesh.audit(agent, "link.recovery").stream().map(e -> e.fields().get("action")).toList();
    }

    private static long lines(String log, String what) {
        return log.lines().filter(l -> l.contains(what)).count();
    }

    @Test
    void theLinkMovesToTheSecondTurnServerUnderTheSameNeighbour() throws Exception {
        RealMesh.requireNatAndCoturn();
        String secret = "relay-cut-secret-" + System.nanoTime();
        try (TwoNats nats = TwoNats.create(NattedNetwork.Kind.PORT_PRESERVING, NattedNetwork.Kind.FULL_CONE);
                Coturn first = Coturn.restApiBetween(nats, "mesh-relay-first", secret);
                Coturn second = Coturn.restApiBetween(nats, "mesh-relay-second", secret, nats.secondServerAddress());
                RealMesh mesh = new RealMesh(s -> s.turnUrls(List.of(first.url("udp"), second.url("udp"))).turnSecret(secret))) {
            nats.cutBetweenTheNats(true);
            long whileCut = nats.packetsBetweenTheNats();
            List<ConcurrentLinkedQueue<MeshEvent>> events = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
            MeshAgent[] agents = mesh.startTwoBehind(nats, events);
            int opener = mesh.awaitLinkedByRelayFallback(agents, Duration.ofSeconds(45));
            assertThat(first.log()).contains("ALLOCATE processed, success");
            long secondBindsBefore = lines(second.log(), "CHANNEL_BIND processed, success")
                    + lines(second.log(), "CREATE_PERMISSION processed, success");

            // the failed direct attempt was a LinkDown at the answering end; from here on, no link or neighbour goes down
            events.forEach(ConcurrentLinkedQueue::clear);
            first.close();
            RealMesh.await("the link is back at both ends", Duration.ofSeconds(40),
                    () -> !mesh.audit(opener, "link.restored").isEmpty() && !mesh.audit(1 - opener, "link.restored").isEmpty()
                            || mesh.audit(opener, "link.up").size() == 2 && mesh.audit(1 - opener, "link.up").size() == 2);
            LoggerFactory.getLogger(ARelayedLinkOutlivesItsTurnServer.class).info("{}: audit {} / {}", nats,
                    mesh.audits.get(0), mesh.audits.get(1));
            assertThat(recoveryActions(mesh, opener)).as("the relay used, then an ICE restart that repaired the link: no rebuild")
                    .containsExactly("use", "restart_ice", "use");
            for (int i = 0; i < 2; i++) {
                assertThat(mesh.audit(i, "link.restored")).as("agent %d", i).singleElement()
                        .satisfies(e -> assertThat(e.fields()).containsEntry("path", "relay"));
                assertThat(mesh.audit(i, "link.up")).as("agent %d opened no second link", i).hasSize(1);
                assertThat(events.get(i)).as("agent %d kept its link and neighbour", i)
                        .noneMatch(e -> e instanceof MeshEvent.LinkDown || e instanceof MeshEvent.NeighbourDown);
            }
            assertThat(lines(second.log(), "CHANNEL_BIND processed, success")
                    + lines(second.log(), "CREATE_PERMISSION processed, success"))
                    .as("the second server now carries the link").isGreaterThan(secondBindsBefore);

            mesh.broadcastBothWays(agents[0], agents[1], "after the relay died", Duration.ofSeconds(20));
            assertThat(agents[0].neighbours()).containsExactly(agents[1].id());
            assertThat(agents[1].neighbours()).containsExactly(agents[0].id());
            assertThat(nats.packetsBetweenTheNats()).as("nothing crossed between the NATs").isEqualTo(whileCut);
        }
    }
}
