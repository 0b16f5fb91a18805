package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.SendResult;
import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.interop.NattedNetwork;
import io.jrtc.testkit.interop.TwoNats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Two agents linked directly through two real Linux NATs (testkit's {@link TwoNats}); then the public network between
 * the NATs drops 15 % of the packets each way, at random (nftables). Each agent broadcasts 100 messages and sends 20
 * acknowledged unicasts to the other. Every message arrives exactly once and every unicast is acknowledged. Then the
 * loss grows to 30 %, under paced broadcasts, until each end rates the link LOW for it; 20 more broadcasts each way then
 * cross a link that gets no eager payloads, by IHAVE and GRAFT, and arrive too. The link never goes down, and nothing
 * is given up silently: the reliable classes retransmit, and a LOW link still answers GRAFTs.
 *
 * <p>Needs root, nftables and coturn; fails under {@code JRTC_REQUIRE_INTEROP=1} without.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ALossyPathLosesNoMessage {

    private static final int BROADCASTS = 100;
    private static final int UNICASTS = 20;

    @Test
    void everyMessageArrivesOnceOverAPathThatDropsFifteenPercent() throws Exception {
        RealMesh.requireNatAndCoturn();
        String secret = "lossy-secret-" + System.nanoTime();
        try (TwoNats nats = TwoNats.create(NattedNetwork.Kind.PORT_PRESERVING, NattedNetwork.Kind.FULL_CONE);
                Coturn coturn = Coturn.restApiBetween(nats, "mesh-lossy", secret);
                RealMesh mesh = RealMesh.withCoturn(coturn, secret)) {
            List<ConcurrentLinkedQueue<MeshEvent>> events = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
            MeshAgent[] agents = mesh.startTwoBehind(nats, events);
            RealMesh.await("the two agents link through their NATs", Duration.ofSeconds(45),
                    () -> agents[0].neighbours().contains(agents[1].id()) && agents[1].neighbours().contains(agents[0].id()));
            assertThat(mesh.audit(0, "link.up")).singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("path", "direct"));
            events.forEach(ConcurrentLinkedQueue::clear);
            nats.lossBetweenTheNats(15);

            List<CompletableFuture<Long>> acks = new ArrayList<>();
            for (int i = 0; i < BROADCASTS; i++) {
                for (int from = 0; from < 2; from++) {
                    SendResult r = agents[from].broadcast(payload("broadcast", from, i));
                    assertThat(r.status()).as("broadcast %d from agent %d", i, from).isEqualTo(SendResult.Status.ACCEPTED);
                    if (i < UNICASTS) {
                        acks.add(agents[from].sendWithAck(agents[1 - from].id(), payload("unicast", from, i)));
                    }
                }
            }
            RealMesh.await("every message at the other agent", Duration.ofSeconds(120), () -> {
                for (int from = 0; from < 2; from++) {
                    for (int i = 0; i < BROADCASTS; i++) {
                        if (!mesh.delivered(1 - from, payload("broadcast", from, i))
                                || i < UNICASTS && !mesh.delivered(1 - from, payload("unicast", from, i))) {
                            return false;
                        }
                    }
                }
                return true;
            });
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(acks).allSatisfy(a -> assertThat(a.join()).isPositive());
            assertThat(mesh.deliveries).as("each exactly once: %d broadcasts and %d unicasts each way", BROADCASTS, UNICASTS)
                    .hasSize(2 * (BROADCASTS + UNICASTS));
            // the loss grows to 30 %, under paced broadcasts (one every 50 ms from each agent), until each side has
            // rated the link LOW for it (> 10 % in two evaluations running: at 15 % that took 6 to 36 s); a LOW link
            // gets no eager payloads, only IHAVEs, and answers the GRAFTs
            long lostBefore = nats.packetsLost();
            nats.lossBetweenTheNats(30);
            List<byte[]> paced = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(rated(mesh, 0, "low") && rated(mesh, 1, "low"))) {
                assertThat(System.nanoTime()).as("both ends rate the link LOW within 60 s").isLessThan(deadline);
                for (int from = 0; from < 2; from++) {
                    byte[] p = payload("paced", from, paced.size());
                    paced.add(p);
                    assertThat(agents[from].broadcast(p).status()).isEqualTo(SendResult.Status.ACCEPTED);
                }
                TimeUnit.MILLISECONDS.sleep(50); // the traffic's pace, not a wait for a condition
            }
            long ratedAt = System.nanoTime();
            List<byte[]> overLow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                for (int from = 0; from < 2; from++) {
                    byte[] p = payload("over the LOW link", from, i);
                    overLow.add(p);
                    assertThat(agents[from].broadcast(p).status()).isEqualTo(SendResult.Status.ACCEPTED);
                }
            }
            RealMesh.await("every paced message and every one sent over the LOW link", Duration.ofSeconds(60), () -> {
                for (List<byte[]> l : List.of(paced, overLow)) {
                    for (int k = 0; k < l.size(); k++) {
                        if (!mesh.delivered(1 - k % 2, l.get(k))) {
                            return false;
                        }
                    }
                }
                return true;
            });
            LoggerFactory.getLogger(ALossyPathLosesNoMessage.class).info("rated LOW after {} paced broadcasts; all delivered {} ms later",
                    paced.size(), (System.nanoTime() - ratedAt) / 1_000_000);
            assertThat(mesh.deliveries).as("each exactly once").hasSize(2 * (BROADCASTS + UNICASTS) + paced.size() + overLow.size());
            long lost = lostBefore + nats.packetsLost();
            LoggerFactory.getLogger(ALossyPathLosesNoMessage.class).info("{}: {} packets dropped between the NATs; audit {} / {}",
                    nats, lost, mesh.audits.get(0), mesh.audits.get(1));
            assertThat(lost).as("packets dropped on the way").isGreaterThan(20);
            for (int i = 0; i < 2; i++) {
                assertThat(events.get(i)).as("agent %d kept its link and neighbour", i)
                        .noneMatch(e -> e instanceof MeshEvent.LinkDown || e instanceof MeshEvent.NeighbourDown);
            }
        }
    }

    /** Whether agent {@code agent} audited a change of its link's mode to {@code mode}. */
    private static boolean rated(RealMesh mesh, int agent, String mode) {
        return mesh.audit(agent, "link.mode").stream().anyMatch(e -> mode.equals(e.fields().get("to")));
    }

    private static byte[] payload(String what, int from, int i) {
        return (what + " " + i + " from agent " + from).getBytes(StandardCharsets.UTF_8);
    }
}
