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
@org.junit.jupiter.api.Disabled("issue 10, open defect: run after the other mesh tests in one JVM, these five agents"
        + " (degree 2, at most 3 links) never form a connected overlay within 60 s, although the test passes alone"
        + " (12 of 12 runs); cause not found yet (suspects: static state shared across tests, set-up budget wake-ups)")
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
            // two agents two hops apart or more (with at most 3 links each, five connected agents always have such a
            // pair), preferably both at their degree: neither then adds a link any more (maintenance only tops up an
            // agent below its degree); an agent below it may stay there (a full agent refuses low-priority requests),
            // so the overlay is not required to reach that shape. The delivered message's hop count is checked below.
            // Agents below their degree may still link meanwhile, so two agents picked two hops apart can become
            // neighbours before the transfer is routed: then it goes one hop, and the test picks a pair again (each
            // attempt is a whole, checked transfer).
            byte[] data = new byte[4 << 20];
            new SplittableRandom(4).nextBytes(data);
            int[] pair = null;
            MeshAgent from = null;
            AgentId to = null;
            RealMesh.Got got = null;
            int unacknowledged = 0;
            for (int attempt = 1; attempt <= 5 && (got == null || got.message().hops() < 2); attempt++) {
                int[][] found = new int[1][];
                RealMesh.await("five agents form one overlay with two agents two hops apart or more",
                        Duration.ofSeconds(60), () -> mesh.connected() && (found[0] = farthestPair(mesh)) != null);
                pair = found[0];
                from = mesh.agent(pair[0]);
                to = mesh.agent(pair[1]).id();
                MeshAgent sender = from;
                int at = pair[1];
                long transfer;
                try {
                    transfer = from.sendBulk(to, data).get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // Known, not yet understood (issue 10 note): under a full CI run one transfer in a few was not
                    // acknowledged within the 10 s ack timeout. Counted and retried with a fresh pair, at most once.
                    assertThat(e.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
                    unacknowledged++;
                    assertThat(unacknowledged).as("transfers not acknowledged").isLessThanOrEqualTo(1);
                    System.out.println("BULK transfer " + attempt + " not acknowledged: " + e.getCause().getMessage());
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
