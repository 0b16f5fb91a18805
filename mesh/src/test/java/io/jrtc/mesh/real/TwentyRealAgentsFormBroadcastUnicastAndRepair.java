package io.jrtc.mesh.real;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * 20 mesh agents over real PeerConnections on 127.0.0.1, one embedded signaling server, one JVM: they form one
 * overlay within their link maximum, a broadcast reaches every other agent exactly once, a unicast crosses the overlay
 * and is acknowledged; then 5 agents stop without a goodbye and the 15 left repair and keep delivering everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TwentyRealAgentsFormBroadcastUnicastAndRepair {

    private static final int N = 20;
    private static final int DEGREE = 4;
    private static final int MAX_LINKS = 6;

    private RealMesh mesh;
    private int threadsWithTwo;

    @BeforeAll
    void startTwentyAgents() throws Exception {
        mesh = new RealMesh();
        for (int i = 0; i < N; i++) {
            mesh.start(mesh.config(Identity.generate(), i).degree(DEGREE).maxLinks(MAX_LINKS).build());
            if (i == 1) {
                RealMesh.await("the first two agents linked", Duration.ofSeconds(30),
                        () -> !mesh.agent(0).neighbours().isEmpty());
                threadsWithTwo = Thread.getAllStackTraces().size();
            }
        }
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    @Order(1)
    void twentyAgentsFormOneOverlayThenBroadcastAndUnicastReachEveryone() throws Exception {
        RealMesh.await("20 agents in one overlay, each with a neighbour, no link being set up", Duration.ofSeconds(60),
                mesh::settled);
        // platform threads: the shared factory's loops carry every agent and link (virtual DTLS threads not counted)
        int threadsWithTwenty = Thread.getAllStackTraces().size();
        assertThat(threadsWithTwenty).as("platform threads with 20 agents vs with 2: %s",
                Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList())
                .isLessThanOrEqualTo(threadsWithTwo + 2);
        for (int i = 0; i < N; i++) {
            MeshAgent a = mesh.agent(i);
            assertThat(a.neighbours()).as("agent %d", i).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_LINKS);
            assertThat(a.linkBudgetUsed()).as("agent %d link budget", i).isLessThanOrEqualTo(MAX_LINKS);
            assertThat(mesh.maxLinksHeld.get(i).get()).as("most links agent %d held", i).isLessThanOrEqualTo(MAX_LINKS);
        }

        MeshAgent origin = mesh.agent(0);
        SendResult r = origin.broadcast("hello, mesh".getBytes(UTF_8));
        assertThat(r.accepted()).isTrue();
        RealMesh.await("the broadcast at all 19 others", Duration.ofSeconds(20),
                () -> mesh.copiesOf(origin.id(), r.sequence()).stream().map(RealMesh.Got::at).distinct().count() == N - 1);

        // a unicast to the agent the broadcast reached over the most hops, acknowledged end to end
        RealMesh.Got far = mesh.copiesOf(origin.id(), r.sequence()).stream()
                .max((x, y) -> Integer.compare(x.message().hops(), y.message().hops())).orElseThrow();
        AgentId target = mesh.agent(far.at()).id();
        long seq;
        try {
            seq = origin.sendWithAck(target, "just for you".getBytes(UTF_8)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            diag(far.at());
            throw e;
        }
        long acked = seq; // the acknowledgement may overtake the destination's onMessage callback: wait for it
        RealMesh.await("the acknowledged unicast recorded at its destination", Duration.ofSeconds(5),
                () -> !mesh.copiesOf(origin.id(), acked).isEmpty());
        List<RealMesh.Got> unicast = mesh.copiesOf(origin.id(), seq);
        assertThat(unicast).hasSize(1);
        assertThat(unicast.get(0).at()).isEqualTo(far.at());
        assertThat(unicast.get(0).message().broadcast()).isFalse();
        assertThat(unicast.get(0).message().hops()).isBetween(1, N - 1);
        assertThat(new String(unicast.get(0).message().payload(), UTF_8)).isEqualTo("just for you");

        // by now (a round trip over the overlay later) every copy of the broadcast has arrived: each exactly once
        List<RealMesh.Got> copies = mesh.copiesOf(origin.id(), r.sequence());
        assertThat(copies).hasSize(N - 1);
        assertThat(copies).allSatisfy(g -> {
            assertThat(g.at()).isNotZero();
            assertThat(g.message().broadcast()).isTrue();
            assertThat(g.message().hops()).isBetween(1, N - 1);
            assertThat(new String(g.message().payload(), UTF_8)).isEqualTo("hello, mesh");
        });
        assertThat(copies.stream().filter(g -> g.message().hops() == 1).count())
                .as("copies from origin's direct neighbours").isBetween(1L, (long) MAX_LINKS);
        for (int i = 0; i < N; i++) {
            assertThat(mesh.audits.get(i)).as("agent %d audit", i)
                    .noneMatch(a -> a.kind().equals("link.identity_mismatch"));
        }
    }

    private void diag(int target) {
        for (int i : mesh.live()) {
            System.err.println("DBG " + i + " " + mesh.agent(i).id().shortString() + " " + mesh.agent(i).stats()
                    + " nb " + mesh.agent(i).neighbours().stream().map(a -> mesh.indexOf(a)).toList());
        }
        System.err.println("DBG target " + target + " got unicast: "
                + mesh.deliveries.stream().filter(g -> !g.message().broadcast()).map(g -> g.at() + " from "
                + mesh.indexOf(g.message().origin()) + " hops " + g.message().hops()).toList());
    }

    @Test
    @Order(2)
    void fiveAgentsStopAbruptlyAndTheFifteenLeftRepairAndDeliverEverything() throws Exception {
        RealMesh.await("one overlay before the failure", Duration.ofSeconds(60), mesh::connected);
        List<Integer> dead = List.of(3, 7, 11, 15, 19);
        for (int i : dead) {
            mesh.abort(i);
        }
        RealMesh.await("the 15 survivors repaired into one overlay without the dead, no link being set up",
                Duration.ofSeconds(60), mesh::settled);
        List<Integer> live = mesh.live();
        assertThat(live).hasSize(15);
        for (int i : live) {
            assertThat(mesh.agent(i).neighbours()).as("agent %d", i).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_LINKS);
            assertThat(mesh.maxLinksHeld.get(i).get()).isLessThanOrEqualTo(MAX_LINKS);
        }

        MeshAgent origin = mesh.agent(live.get(1));
        SendResult r = origin.broadcast("after the failure".getBytes(UTF_8));
        assertThat(r.accepted()).isTrue();
        try {
            RealMesh.await("the broadcast at all 14 other survivors", Duration.ofSeconds(20),
                    () -> mesh.copiesOf(origin.id(), r.sequence()).size() >= 14);
        } catch (AssertionError e) {
            System.err.println("DBG origin " + live.get(1) + " reached " + mesh.copiesOf(origin.id(), r.sequence()).stream()
                    .map(g -> g.at() + "@" + g.message().hops()).toList());
            diag(-1);
            throw e;
        }

        MeshAgent to = mesh.agent(live.get(live.size() - 1));
        long seq;
        try {
            seq = origin.sendWithAck(to.id(), "still there?".getBytes(UTF_8)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            diag(live.get(live.size() - 1));
            throw e;
        }
        // the destination's core sends the acknowledgement as it delivers; its onMessage callback (which records the
        // delivery here) may run after the acknowledgement reached the origin: wait for it
        long acked = seq;
        RealMesh.await("the acknowledged unicast recorded at its destination", Duration.ofSeconds(5),
                () -> !mesh.copiesOf(origin.id(), acked).isEmpty());
        assertThat(mesh.copiesOf(origin.id(), seq)).singleElement()
                .satisfies(g -> assertThat(g.at()).isEqualTo(live.get(live.size() - 1)));

        List<Integer> reached = new ArrayList<>();
        for (RealMesh.Got g : mesh.copiesOf(origin.id(), r.sequence())) {
            reached.add(g.at());
        }
        List<Integer> expected = new ArrayList<>(live);
        expected.remove(live.get(1));
        assertThat(reached).containsExactlyInAnyOrderElementsOf(expected);
        for (int i : live) {
            assertThat(mesh.audits.get(i)).as("agent %d audit", i).anyMatch(a -> a.kind().equals("agent.left")
                    || a.kind().equals("link.down"));
        }
    }
}
