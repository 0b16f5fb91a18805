package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.Delivery;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshStats;
import io.jrtc.mesh.SendResult;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcLimits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Five real agents (degree 2, at most 3 links each, so some pairs are two or more hops apart) over PeerConnections:
 * a 4 MiB bulk transfer crosses at least two hops on the bulk channels and arrives intact, while every connection's
 * send buffer is capped at 1 MiB (a hop that ignored back-pressure would have a chunk refused, and the transfer, all or
 * nothing, would never be acknowledged) and the back-pressure water marks are 128/32 KiB; unreliable broadcasts and unicasts travel on the
 * unreliable channels (counted per channel class) and arrive as such.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BulkAndUnreliableTrafficUseTheirOwnChannels {

    private static final long CAP = 1 << 20;

    @Test
    void aFourMebibyteTransferCrossesTwoHopsWithBoundedBuffersAndUnreliableTrafficStaysUnreliable() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            RtcLimits d = RtcLimits.defaults();
            RtcLimits capped = new RtcLimits(d.maxPeerConnections(), d.connectTimeout(), d.maxDataChannels(),
                    d.maxRemoteDescriptionBytes(), d.maxRemoteCandidates(), d.maxQueuedRemoteCandidates(), CAP, CAP);
            for (int i = 0; i < 5; i++) {
                mesh.start(mesh.config(Identity.generate(), i).degree(2).maxLinks(3).waterMarks(32 << 10, 128 << 10)
                        .rtcTemplate(RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress())
                                .limits(capped).build())
                        .build());
            }
            // The transfer goes between two agents two hops apart once the overlay is a ring (below). These five
            // agents once froze as a pair and a full triangle: the pair's low-priority requests were all refused.
            // Membership now escalates to high priority once every candidate refused (SplitComponentsAtFullDegreeMerge
            // is that case on the virtual clock). Each attempt is a whole, checked transfer; the delivered message's
            // hop count is checked below.
            byte[] data = new byte[4 << 20];
            new SplittableRandom(4).nextBytes(data);
            int[] pair = null;
            MeshAgent from = null;
            AgentId to = null;
            RealMesh.Got got = null;
            int unacknowledged = 0;
            int notConnected = 0;
            for (int attempt = 1; attempt <= 6 && (got == null || got.message().hops() < 2); attempt++) {
                int[][] found = new int[1][];
                // every agent at its degree: five agents of degree 2 then form a ring, which nobody changes any more
                // (only an agent below its degree dials), so the pair's path stays put during the transfer
                RealMesh.await("five agents form a ring of degree 2, with two agents two hops apart",
                        Duration.ofSeconds(60), () -> mesh.connected() && atDegree(mesh, 2)
                                && (found[0] = farthestPair(mesh)) != null);
                pair = found[0];
                from = mesh.agent(pair[0]);
                to = mesh.agent(pair[1]).id();
                MeshAgent sender = from;
                int at = pair[1];
                long transfer;
                try {
                    transfer = from.sendBulk(to, data).get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IllegalStateException ise && ise.getMessage().contains("NOT_CONNECTED")) {
                        // the sender lost its links between the pick and the send (a neighbour dropped it to take a
                        // high-priority request): nothing was sent; pick again
                        notConnected++;
                        assertThat(notConnected).as("transfers refused as NOT_CONNECTED").isLessThanOrEqualTo(2);
                        continue;
                    }
                    // A transfer whose path changed under it (a link on it closed: the overlay was still settling)
                    // loses chunks; the loss is counted by the agent that dropped them, and the sender's future
                    // fails when the acknowledgement does not come. Allowed once; never silent. (The cause seen in CI
                    // before, chunks waiting for a route to an agent that became a neighbour meanwhile and dropped
                    // as NO_ROUTE, is fixed: MessagesWaitingForARouteGoWhenTheDestinationBecomesANeighbour.)
                    assertThat(e.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
                    StringBuilder diag = new StringBuilder("BULK transfer " + attempt + " not acknowledged: "
                            + e.getCause().getMessage() + "\n");
                    long drops = 0;
                    for (int i = 0; i < mesh.agents.size(); i++) {
                        MeshAgent a = mesh.agent(i);
                        drops += a.stats().overlay().dropped().entrySet().stream()
                                .filter(x -> x.getKey() != DropReason.DUPLICATE).mapToLong(Map.Entry::getValue).sum();
                        diag.append("agent ").append(i).append(" neighbours ")
                                .append(a.neighbours().stream().map(mesh::indexOf).toList()).append(' ')
                                .append(a.stats()).append('\n');
                    }
                    System.out.println(diag);
                    assertThat(drops).as("the lost transfer's chunks were counted as dropped somewhere").isPositive();
                    unacknowledged++;
                    assertThat(unacknowledged).as("transfers not acknowledged").isLessThanOrEqualTo(1);
                    continue;
                }
                RealMesh.await("the transfer is delivered", Duration.ofSeconds(10),
                        () -> mesh.count(at, sender.id(), transfer) == 1);
                got = mesh.copiesOf(from.id(), transfer).get(0);
                assertThat(got.message().channel()).isEqualTo(ChannelClass.BULK);
            }
            // all or nothing: had any hop buffered past its connection's 1 MiB cap, a chunk would have been refused
            // (a send failure), the transfer abandoned and never acknowledged
            assertThat(got.message().payload()).isEqualTo(data);
            assertThat(got.message().hops()).isGreaterThanOrEqualTo(2);
            int dest = pair[1];
            MeshAgent src = from;
            assertThat(got.message().broadcast()).isFalse();
            long bulkFramesSent = 0;
            long backpressure = 0;
            for (MeshAgent a : mesh.agents) {
                MeshStats s = a.stats();
                assertThat(s.overlay().dropped(DropReason.QUEUE_FULL)).isZero();
                assertThat(s.overlay().dropped(DropReason.EXPIRED)).isZero();
                bulkFramesSent += s.framesSentByClass().get(ChannelClass.BULK);
                backpressure += s.backpressureEvents();
            }
            assertThat(bulkFramesSent).as("128 chunks, two hops or more each").isGreaterThanOrEqualTo(2 * 128);
            assertThat(backpressure).as("the 128 KiB high-water mark was reached").isPositive();

            // unreliable traffic: on the unreliable channels only, delivered as unreliable
            Map<Integer, Long> unreliableBefore = counts(mesh, ChannelClass.UNRELIABLE, true);
            Map<Integer, Long> reliableBefore = counts(mesh, ChannelClass.RELIABLE, true);
            SendResult b = mesh.agent(0).broadcast("lossy but fast".getBytes(), Delivery.UNRELIABLE);
            SendResult u = from.send(to, "one shot".getBytes(), Delivery.UNRELIABLE);
            assertThat(b.accepted()).isTrue();
            assertThat(u.accepted()).isTrue();
            // loopback loses nothing: everybody gets the broadcast, the destination the unicast
            RealMesh.await("unreliable messages delivered", Duration.ofSeconds(10),
                    () -> mesh.copiesOf(mesh.agent(0).id(), b.sequence()).size() == 4
                            && mesh.count(dest, src.id(), u.sequence()) == 1);
            assertThat(mesh.copiesOf(mesh.agent(0).id(), b.sequence()))
                    .allSatisfy(g -> assertThat(g.message().channel()).isEqualTo(ChannelClass.UNRELIABLE));
            assertThat(mesh.copiesOf(from.id(), u.sequence()))
                    .allSatisfy(g -> assertThat(g.message().channel()).isEqualTo(ChannelClass.UNRELIABLE));
            Map<Integer, Long> unreliableAfter = counts(mesh, ChannelClass.UNRELIABLE, true);
            long unreliableFrames = 0;
            for (int i = 0; i < 5; i++) {
                unreliableFrames += unreliableAfter.get(i) - unreliableBefore.get(i);
            }
            int unicastHops = mesh.copiesOf(from.id(), u.sequence()).get(0).message().hops();
            assertThat(unreliableFrames).as("4 broadcast copies at least, and one frame per hop of the unicast")
                    .isGreaterThanOrEqualTo(4 + unicastHops);
            assertThat(counts(mesh, ChannelClass.UNRELIABLE, false).values().stream().mapToLong(Long::longValue).sum())
                    .isGreaterThanOrEqualTo(unreliableFrames);
            // nothing was sent about them on the reliable channels (no route request: the route was cached)
            Map<Integer, Long> reliableAfter = counts(mesh, ChannelClass.RELIABLE, true);
            assertThat(reliableAfter).isEqualTo(reliableBefore);
        }
    }

    private static boolean atDegree(RealMesh mesh, int degree) {
        for (MeshAgent a : mesh.agents) {
            if (a.neighbours().size() != degree) {
                return false;
            }
        }
        return true;
    }

    private static Map<Integer, Long> counts(RealMesh mesh, ChannelClass c, boolean sent) {
        Map<Integer, Long> out = new HashMap<>();
        for (int i = 0; i < mesh.agents.size(); i++) {
            MeshStats s = mesh.agent(i).stats();
            out.put(i, (sent ? s.framesSentByClass() : s.framesReceivedByClass()).get(c));
        }
        return out;
    }

    /**
     * Two agents at the largest overlay distance, if it is 2 or more (else null), preferring among those pairs the
     * ones whose agents both have two neighbours or more.
     */
    private static int[] farthestPair(RealMesh mesh) {
        int[] best = {0, 0, 0, 0};
        for (int i = 0; i < mesh.agents.size(); i++) {
            boolean iFull = mesh.agent(i).neighbours().size() >= 2;
            Map<AgentId, Integer> dist = new HashMap<>();
            ArrayDeque<AgentId> q = new ArrayDeque<>(List.of(mesh.agent(i).id()));
            dist.put(mesh.agent(i).id(), 0);
            while (!q.isEmpty()) {
                AgentId a = q.poll();
                for (AgentId n : mesh.agent(mesh.indexOf(a)).neighbours()) {
                    if (dist.putIfAbsent(n, dist.get(a) + 1) == null) {
                        q.add(n);
                    }
                }
            }
            for (var e : dist.entrySet()) {
                int full = iFull && mesh.agent(mesh.indexOf(e.getKey())).neighbours().size() >= 2 ? 1 : 0;
                if (e.getValue() > best[2] || (e.getValue() == best[2] && full > best[3])) {
                    best = new int[] {i, mesh.indexOf(e.getKey()), e.getValue(), full};
                }
            }
        }
        return best[2] >= 2 ? best : null;
    }
}
