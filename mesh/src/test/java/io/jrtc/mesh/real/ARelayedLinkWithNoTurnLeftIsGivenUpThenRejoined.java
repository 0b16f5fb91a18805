package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.LinkRecovery;
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
 * A relayed link whose only TURN server dies, so that every repair fails: the whole recovery schedule on a real
 * network. Two agents behind two real Linux NATs ({@link TwoNats}) cannot reach each other directly (the public
 * network between the NATs drops everything), and link through the one coturn signaling hands out. The coturn is
 * killed. The opener's recovery then runs its schedule to the end (one rebuild allowed here, the default is five):
 * an ICE restart that does not come up, a backoff, a relay-only rebuild that cannot allocate, and the give-up. Both
 * agents lose the link and the neighbour (events and audit). A coturn comes back on the same address and port; the overlay,
 * not the link's recovery, which is over, links the two again through it, and broadcasts cross both ways. At no
 * point does a packet go NAT to NAT.
 *
 * <p>Needs root, nftables and coturn; fails under {@code JRTC_REQUIRE_INTEROP=1} without.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ARelayedLinkWithNoTurnLeftIsGivenUpThenRejoined {

    private static List<String> recoveryActions(RealMesh mesh, int agent) {
        return mesh.audit(agent, "link.recovery").stream().map(e -> e.fields().get("action")).toList();
    }

    @Test
    void theScheduleRunsOutAndTheOverlayLinksThemAgainWhenARelayReturns() throws Exception {
        RealMesh.requireNatAndCoturn();
        String secret = "relay-gone-secret-" + System.nanoTime();
        try (TwoNats nats = TwoNats.create(NattedNetwork.Kind.PORT_PRESERVING, NattedNetwork.Kind.FULL_CONE);
                Coturn first = Coturn.restApiBetween(nats, "mesh-relay-gone", secret)) {
            try (RealMesh mesh = new RealMesh(s -> s.turnUrls(List.of(first.url("udp"))).turnSecret(secret))) {
                nats.cutBetweenTheNats(true);
                long whileCut = nats.packetsBetweenTheNats();
                List<ConcurrentLinkedQueue<MeshEvent>> events = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
                MeshAgent[] agents = mesh.startTwoBehind(nats, events, LinkRecovery.Config.defaults().withMaxRebuilds(1));
                int opener = mesh.awaitLinkedByRelayFallback(agents, Duration.ofSeconds(45));
                int upBefore = mesh.audit(opener, "link.up").size();
                events.forEach(ConcurrentLinkedQueue::clear);

                first.close(); // closing it again at the end does nothing
                RealMesh.await("both agents lose the link and the neighbour", Duration.ofSeconds(60),
                        () -> events.stream().allMatch(q -> q.stream().anyMatch(e -> e instanceof MeshEvent.NeighbourDown)));
                List<String> actions = recoveryActions(mesh, opener);
                LoggerFactory.getLogger(ARelayedLinkWithNoTurnLeftIsGivenUpThenRejoined.class).info("{}: recovery {}; audit {} / {}",
                        nats, actions, mesh.audits.get(0), mesh.audits.get(1));
                // the schedule in order: restart, its failure (a wait for the backoff), the rebuild over the relay
                // path (the link was relayed), and the end; nothing after the give-up
                int restart = actions.indexOf("restart_ice");
                assertThat(restart).as("an ICE restart first: %s", actions).isPositive();
                List<String> after = actions.subList(restart, actions.size());
                assertThat(after).as("after the restart: %s", actions).contains("wait", "connect").endsWith("give_up");
                assertThat(after.indexOf("wait")).isLessThan(after.indexOf("connect"));
                assertThat(mesh.audit(opener, "link.recovery")).filteredOn(e -> "connect".equals(e.fields().get("action")))
                        .as("the rebuild is relay-only and the only one").singleElement()
                        .satisfies(e -> assertThat(e.fields()).containsEntry("path", "relay").containsEntry("attempt", "1"));
                assertThat(mesh.audit(opener, "link.recovery")).last()
                        .satisfies(e -> assertThat(e.fields().get("reason")).contains("1 rebuilds failed: replace from the passive view"));
                for (int i = 0; i < 2; i++) {
                    assertThat(events.get(i)).as("agent %d", i).anyMatch(e -> e instanceof MeshEvent.LinkDown);
                    assertThat(agents[i].neighbours()).as("agent %d has no neighbour left", i).doesNotContain(agents[1 - i].id());
                }

                // a relay again, on the same address: the overlay asks for the link anew (the recovery is over)
                try (Coturn second = first.restartedAs("mesh-relay-back")) {
                    RealMesh.await("the two agents are neighbours again", Duration.ofSeconds(90),
                            () -> agents[0].neighbours().contains(agents[1].id()) && agents[1].neighbours().contains(agents[0].id()));
                    assertThat(second.log()).contains("ALLOCATE processed, success");
                    assertThat(mesh.audit(opener, "link.up").size() + mesh.audit(1 - opener, "link.up").size())
                            .as("a new link, not the old one restored").isGreaterThan(upBefore);
                    mesh.broadcastBothWays(agents[0], agents[1], "relay back", Duration.ofSeconds(20));
                }
                assertThat(nats.packetsBetweenTheNats()).as("nothing crossed between the NATs").isEqualTo(whileCut);
            }
        }
    }
}
