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
 * The {@code RACE} strategy over real connections: two agents behind two real Linux NATs ({@link TwoNats}) with a coturn
 * in the public network. The opener races the direct and the relayed path: one connection that gathers every candidate
 * type, TURN included, at both ends, so that ICE checks direct and relayed pairs at once. With both paths open the
 * direct one is kept; with the NATs cut apart, the relayed one. Either way the race and its outcome are on record
 * ({@code link.recovery}: a connect per path, then {@code use} with the race's reason), both ends audit the path the
 * selected pair takes, and broadcasts cross it.
 *
 * <p>Before (2026-12-07), the edge opened the relay attempt as a second connection that replaced the first: a "race"
 * always came up relayed, even with the direct path open, and nothing said why.
 *
 * <p>Needs root, nftables and coturn; fails under {@code JRTC_REQUIRE_INTEROP=1} without.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ARacedLinkKeepsTheBetterPath {

    @Test
    void withBothPathsOpenTheDirectOneIsKept() throws Exception {
        race(false, "direct");
    }

    @Test
    void withTheNatsCutApartTheRelayedOneIsKept() throws Exception {
        race(true, "relay");
    }

    private static void race(boolean cut, String kept) throws Exception {
        RealMesh.requireNatAndCoturn();
        String secret = "race-secret-" + System.nanoTime();
        try (TwoNats nats = TwoNats.create(NattedNetwork.Kind.PORT_PRESERVING, NattedNetwork.Kind.FULL_CONE);
                Coturn coturn = Coturn.restApiBetween(nats, "mesh-race-" + kept, secret);
                RealMesh mesh = RealMesh.withCoturn(coturn, secret)) {
            nats.cutBetweenTheNats(cut);
            List<ConcurrentLinkedQueue<MeshEvent>> events = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
            MeshAgent[] agents = mesh.startTwoBehind(nats, events,
                    LinkRecovery.Config.defaults().withStrategy(LinkRecovery.Strategy.RACE));
            RealMesh.await("the two agents link", Duration.ofSeconds(45),
                    () -> agents[0].neighbours().contains(agents[1].id()) && agents[1].neighbours().contains(agents[0].id()));
            int opener = mesh.audit(0, "link.up").stream().anyMatch(e -> "true".equals(e.fields().get("outbound"))) ? 0 : 1;
            RealMesh.await("the opener's race is decided", Duration.ofSeconds(20),
                    () -> mesh.audit(opener, "link.recovery").stream().anyMatch(e -> "use".equals(e.fields().get("action"))));
            LoggerFactory.getLogger(ARacedLinkKeepsTheBetterPath.class).info("{}: audit {} / {}", nats,
                    mesh.audits.get(0), mesh.audits.get(1));
            List<RealMesh.Audit> recovery = mesh.audit(opener, "link.recovery");
            assertThat(recovery.stream().filter(e -> "connect".equals(e.fields().get("action"))).map(e -> e.fields().get("path")))
                    .as("the opener raced both paths").contains("direct", "relay");
            assertThat(recovery.stream().filter(e -> "use".equals(e.fields().get("action"))))
                    .singleElement().satisfies(e -> {
                        assertThat(e.fields()).containsEntry("path", kept);
                        assertThat(e.fields().get("reason")).contains("race:");
                    });
            for (int i = 0; i < 2; i++) {
                assertThat(mesh.audit(i, "link.up")).as("agent %d", i).singleElement()
                        .satisfies(e -> assertThat(e.fields()).containsEntry("path", kept));
                assertThat(mesh.audit(i, "link.fallback")).as("a race is no fallback").isEmpty();
            }
            assertThat(coturn.log()).as("the race gathered relay candidates").contains("ALLOCATE processed, success");

            long before = nats.packetsBetweenTheNats();
            mesh.broadcastBothWays(agents[0], agents[1], "over the " + kept + " path", Duration.ofSeconds(20));
            if (cut) {
                assertThat(nats.packetsBetweenTheNats()).as("nothing NAT to NAT").isEqualTo(before);
            } else {
                assertThat(nats.packetsBetweenTheNats()).as("NAT to NAT").isGreaterThan(before);
            }
        }
    }
}
