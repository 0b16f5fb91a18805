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
 * A link whose network path is really cut, not a failure injected: two agents behind two real Linux NATs (testkit's
 * {@link TwoNats}, a port-preserving NAT and a full cone) link directly, NAT to NAT. Then the public network between
 * the NATs drops everything (nftables in its namespace; signaling and coturn stay reachable). Consent checks go
 * unanswered, both connections fail (ICE timers shortened here: consent lost after 3 s instead of 30), and the
 * opener's recovery restarts ICE. As soon as it has, the path is joined again. The restart's checks then find it: the
 * same PeerConnection, the same core link, no rebuild and no relay. Neither agent ever loses the other as a
 * neighbour, and messages sent after the repair cross the NATs both ways. Two more cases: a path joined again only
 * once the rebuild's direct attempt has begun comes back as a rebuilt direct link, with no relay; and a path cut for
 * good is rebuilt over coturn.
 *
 * <p>Needs root, nftables and coturn; fails under {@code JRTC_REQUIRE_INTEROP=1} without.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ACutPathIsRepairedByAnIceRestart {

    private static List<RealMesh.Audit> audit(RealMesh mesh, int agent, String kind) {
        return mesh.audits.get(agent).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    private static List<RealMesh.Audit> recoveries(RealMesh mesh, int agent, String action) {
        return audit(mesh, agent, "link.recovery").stream().filter(e -> action.equals(e.fields().get("action"))).toList();
    }

    /** Two agents linked directly through the NATs, and which of them opened the link. */
    private record Linked(RealMesh mesh, TwoNats nats, Coturn coturn, MeshAgent[] agents,
            List<ConcurrentLinkedQueue<MeshEvent>> events, int opener) {
    }

    private static Linked link(RealMesh mesh, TwoNats nats, Coturn coturn) throws Exception {
        List<ConcurrentLinkedQueue<MeshEvent>> events = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
        MeshAgent[] agents = mesh.startTwoBehind(nats, events);
        RealMesh.await("the two agents link through their NATs", Duration.ofSeconds(45),
                () -> agents[0].neighbours().contains(agents[1].id()) && agents[1].neighbours().contains(agents[0].id()));
        assertThat(audit(mesh, 0, "link.up")).singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("path", "direct"));
        int opener = "true".equals(audit(mesh, 0, "link.up").get(0).fields().get("outbound")) ? 0 : 1;
        assertThat(audit(mesh, 1 - opener, "link.up")).singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("outbound", "false"));
        return new Linked(mesh, nats, coturn, agents, events, opener);
    }

    /** Broadcasts from both agents arrive at the other. */
    private static void messagesFlowBothWays(Linked l, String what) throws Exception {
        l.mesh().broadcastBothWays(l.agents()[0], l.agents()[1], what, Duration.ofSeconds(20));
        assertThat(l.agents()[0].neighbours()).containsExactly(l.agents()[1].id());
        assertThat(l.agents()[1].neighbours()).containsExactly(l.agents()[0].id());
    }

    /** The opener's recovery restarted ICE first, then backed off, then began a rebuild. */
    private static void restartedThenRebuilt(RealMesh mesh, int opener) {
        List<String> actions = audit(mesh, opener, "link.recovery").stream().map(e -> e.fields().get("action")).toList();
        assertThat(actions).as("ICE restart first, then a backoff, then a rebuild").startsWith("restart_ice", "wait", "connect");
    }

    private static void logAudits(Linked l) {
        LoggerFactory.getLogger(ACutPathIsRepairedByAnIceRestart.class).info("{}: audit {} / {}", l.nats(),
                l.mesh().audits.get(0), l.mesh().audits.get(1));
    }

    private interface Scenario {
        void run(Linked l) throws Exception;
    }

    /** Two agents linked directly through a port-preserving NAT and a full cone, coturn between them; then {@code s}. */
    private static void linked(String realm, Scenario s) throws Exception {
        RealMesh.requireNatAndCoturn();
        String secret = "cut-secret-" + System.nanoTime();
        try (TwoNats nats = TwoNats.create(NattedNetwork.Kind.PORT_PRESERVING, NattedNetwork.Kind.FULL_CONE);
                Coturn coturn = Coturn.restApiBetween(nats, realm, secret);
                RealMesh mesh = RealMesh.withCoturn(coturn, secret)) {
            s.run(link(mesh, nats, coturn));
        }
    }

    @Test
    void theRestartFindsThePathAgainOnTheSameConnection() throws Exception {
        linked("mesh-cut", l -> {
            RealMesh mesh = l.mesh();
            TwoNats nats = l.nats();
            Coturn coturn = l.coturn();
            int opener = l.opener();
            var events = l.events();
            nats.cutBetweenTheNats(true);
            long whileCut = nats.packetsBetweenTheNats();
            RealMesh.await("the opener's recovery restarts ICE", Duration.ofSeconds(20),
                    () -> !recoveries(mesh, opener, "restart_ice").isEmpty());
            assertThat(nats.packetsBetweenTheNats()).as("nothing crossed while the path was cut").isEqualTo(whileCut);
            nats.cutBetweenTheNats(false);

            RealMesh.await("the restart brings the link back at both ends", Duration.ofSeconds(20),
                    () -> !audit(mesh, opener, "link.restored").isEmpty() && !audit(mesh, 1 - opener, "link.restored").isEmpty());
            logAudits(l);
            for (int i = 0; i < 2; i++) {
                assertThat(recoveries(mesh, i, "connect")).as("agent %d rebuilt nothing", i).isEmpty();
                assertThat(audit(mesh, i, "link.fallback")).as("agent %d did not fall back to the relay", i).isEmpty();
                assertThat(audit(mesh, i, "link.up")).as("agent %d opened no second link", i).hasSize(1);
                assertThat(audit(mesh, i, "link.restored")).singleElement()
                        .satisfies(e -> assertThat(e.fields()).containsEntry("path", "direct"));
                assertThat(events.get(i)).as("agent %d never lost its neighbour", i)
                        .noneMatch(e -> e instanceof MeshEvent.LinkDown || e instanceof MeshEvent.NeighbourDown);
            }
            assertThat(recoveries(mesh, 1 - opener, "restart_ice")).as("only the opener restarts").isEmpty();
            assertThat(coturn.log()).as("no TURN allocation").doesNotContain("ALLOCATE processed, success");

            long restored = nats.packetsBetweenTheNats();
            messagesFlowBothWays(l, "after the cut");
            assertThat(nats.packetsBetweenTheNats()).as("over the direct path again").isGreaterThan(restored);
        });
    }

    @Test
    void aPathThatHealsDuringTheRebuildsDirectAttemptIsRebuiltDirect() throws Exception {
        linked("mesh-cut-heal", l -> {
            RealMesh mesh = l.mesh();
            TwoNats nats = l.nats();
            Coturn coturn = l.coturn();
            int opener = l.opener();
            nats.cutBetweenTheNats(true);
            RealMesh.await("the opener's recovery starts the rebuild's direct attempt", Duration.ofSeconds(30),
                    () -> !recoveries(mesh, opener, "connect").isEmpty());
            nats.cutBetweenTheNats(false);
            long healed = nats.packetsBetweenTheNats();

            RealMesh.await("the rebuilt link comes up at both ends", Duration.ofSeconds(20),
                    () -> audit(mesh, opener, "link.up").size() == 2 && audit(mesh, 1 - opener, "link.up").size() == 2);
            logAudits(l);
            restartedThenRebuilt(mesh, opener);
            for (int i = 0; i < 2; i++) {
                assertThat(audit(mesh, i, "link.up").get(1).fields()).as("agent %d", i)
                        .containsEntry("path", "direct").containsEntry("rebuilt", "true");
                assertThat(audit(mesh, i, "link.fallback")).as("agent %d did not fall back to the relay", i).isEmpty();
                assertThat(l.events().get(i)).as("agent %d never lost its neighbour", i)
                        .noneMatch(e -> e instanceof MeshEvent.NeighbourDown);
            }
            assertThat(coturn.log()).as("no TURN allocation").doesNotContain("ALLOCATE processed, success");
            messagesFlowBothWays(l, "rebuilt direct");
            assertThat(nats.packetsBetweenTheNats()).as("over the direct path again").isGreaterThan(healed);
        });
    }

    @Test
    void aPathCutForGoodIsRebuiltOverTheRelayUnderTheSameNeighbour() throws Exception {
        linked("mesh-cut-relay", l -> {
            RealMesh mesh = l.mesh();
            TwoNats nats = l.nats();
            Coturn coturn = l.coturn();
            int opener = l.opener();
            nats.cutBetweenTheNats(true);
            long whileCut = nats.packetsBetweenTheNats();
            RealMesh.await("the opener's rebuild comes up over the relay", Duration.ofSeconds(60),
                    () -> audit(mesh, opener, "link.up").stream().anyMatch(e -> "relay".equals(e.fields().get("path"))));
            logAudits(l);
            restartedThenRebuilt(mesh, opener);
            assertThat(audit(mesh, opener, "link.fallback")).as("the rebuild's direct attempt failed, the relay was tried")
                    .singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("path", "relay"));
            assertThat(audit(mesh, opener, "link.up").get(1).fields()).containsEntry("rebuilt", "true");
            RealMesh.await("the other end takes the rebuilt link", Duration.ofSeconds(10),
                    () -> audit(mesh, 1 - opener, "link.up").stream().anyMatch(e -> "relay".equals(e.fields().get("path"))));
            for (int i = 0; i < 2; i++) {
                assertThat(l.events().get(i)).as("agent %d never lost its neighbour", i)
                        .noneMatch(e -> e instanceof MeshEvent.NeighbourDown);
            }
            assertThat(coturn.log()).contains("ALLOCATE processed, success");
            messagesFlowBothWays(l, "rebuilt");
            assertThat(nats.packetsBetweenTheNats()).as("nothing crossed the cut").isEqualTo(whileCut);
        });
    }
}
