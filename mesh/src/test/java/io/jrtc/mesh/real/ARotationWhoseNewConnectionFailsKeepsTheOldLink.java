package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.SendResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failure path of a certificate rotation (drill D): agent A rotates while every ICE candidate is refused
 * ({@code candidateFilter}, as a network that lets no new path through), so the new connection of its link to B never
 * comes up. The old connection stays the link: A audits {@code link.rotation_failed} after its set-up timeout, B
 * too (its answered connection times out), neither reports the link or the neighbour down, and broadcasts cross the
 * old connection meanwhile. Once candidates pass again, A's retry moves the link ({@code link.rotated} at both ends,
 * B now sees A's new fingerprint) and a broadcast crosses the new connection.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ARotationWhoseNewConnectionFailsKeepsTheOldLink {

    record Entry(String kind, Map<String, String> fields) {
    }

    @Test
    void theOldConnectionCarriesTheLinkUntilARetrySucceeds() throws Exception {
        AtomicBoolean blocked = new AtomicBoolean();
        List<ConcurrentLinkedQueue<Entry>> logs = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
        List<ConcurrentLinkedQueue<MeshEvent>> events = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
        try (RealMesh mesh = new RealMesh()) {
            for (int i = 0; i < 2; i++) {
                ConcurrentLinkedQueue<Entry> log = logs.get(i);
                AuditSink sink = (kind, fields) -> log.add(new Entry(kind, Map.copyOf(fields)));
                var b = mesh.config(Identity.generate(), i).degree(1).maxLinks(2).audit(sink)
                        .linkSetupTimeout(Duration.ofSeconds(3));
                if (i == 0) {
                    b.certificateLifetime(Duration.ofSeconds(16), Duration.ofSeconds(10)).candidateFilter(c -> !blocked.get());
                }
                MeshAgent a = mesh.start(b.build());
                ConcurrentLinkedQueue<MeshEvent> q = events.get(i);
                a.onEvent(q::add);
            }
            MeshAgent a = mesh.agent(0);
            MeshAgent b = mesh.agent(1);
            RealMesh.await("A and B linked", Duration.ofSeconds(30),
                    () -> a.neighbours().contains(b.id()) && b.neighbours().contains(a.id()));
            String first = a.certificate().fingerprint().toSdpValue();
            blocked.set(true); // from now on no candidate is sent or taken by A: no new connection can come up

            RealMesh.await("A's new connection failed and the old one stayed", Duration.ofSeconds(30),
                    () -> has(logs.get(0), "link.rotation_failed"));
            assertThat(a.certificateRotations()[0]).isPositive();
            assertThat(a.certificate().fingerprint().toSdpValue()).isNotEqualTo(first);
            assertThat(a.neighbours()).containsExactly(b.id());
            assertThat(b.neighbours()).containsExactly(a.id());
            crosses(mesh, a, 1, "over the old connection");
            RealMesh.await("B's answered connection timed out too", Duration.ofSeconds(15),
                    () -> has(logs.get(1), "link.rotation_failed"));
            crosses(mesh, b, 0, "back over the old connection");

            blocked.set(false);
            RealMesh.await("a retry moved the link", Duration.ofSeconds(30),
                    () -> has(logs.get(0), "link.rotated") && has(logs.get(1), "link.rotated"));
            String now = a.certificate().fingerprint().toSdpValue();
            assertThat(logs.get(1)).anyMatch(e -> e.kind().equals("link.rotated")
                    && e.fields().get("remote_fingerprint").equals(now));
            crosses(mesh, a, 1, "over the new connection");
            for (int i = 0; i < 2; i++) {
                assertThat(events.get(i)).as("agent %d", i)
                        .noneMatch(e -> e instanceof MeshEvent.LinkDown || e instanceof MeshEvent.NeighbourDown);
                assertThat(logs.get(i)).as("agent %d", i).noneMatch(e -> e.kind().equals("link.down"));
            }
            assertThat(a.certificateRotations()[2]).as("failed moves at A").isPositive();
            assertThat(a.certificateRotations()[1]).as("moves at A").isPositive();
        }
    }

    private static boolean has(ConcurrentLinkedQueue<Entry> log, String kind) {
        return log.stream().anyMatch(e -> e.kind().equals(kind));
    }

    private static void crosses(RealMesh mesh, MeshAgent from, int to, String what) throws InterruptedException {
        SendResult r = from.broadcast(what.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.accepted()).isTrue();
        AgentId origin = from.id();
        RealMesh.await("a broadcast " + what, Duration.ofSeconds(10), () -> mesh.count(to, origin, r.sequence()) == 1);
    }
}
