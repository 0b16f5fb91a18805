package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.SendResult;
import io.jrtc.mesh.audit.AuditLog;
import io.jrtc.mesh.audit.AuditVerifier;
import io.jrtc.testkit.Coturn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose direct path is blocked (it neither sends nor takes host candidates: nothing but a TURN relay can
 * join it to anyone) opens its link direct first, gives up on direct after the 5 s fallback timeout, and reopens it
 * relay-only through a real coturn whose REST credentials the signaling server handed out. Messages flow both ways;
 * the fallback is in the agent's audit log file, which {@link AuditVerifier} accepts, while an edited copy fails.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BlockedDirectPathFallsBackToCoturnAndIsAudited {

    private record Entry(long atNanos, String kind, Map<String, String> fields) {
    }

    @Test
    void fallsBackToTheRelayWithinTheTimeoutAndTheAuditLogVerifies(@TempDir Path dir) throws Exception {
        String secret = "mesh-turn-secret-" + System.nanoTime();
        try (Coturn coturn = Coturn.restApi("mesh-fallback", secret);
             RealMesh mesh = new RealMesh(s -> s.turnUrls(List.of(coturn.url("udp"))).turnSecret(secret))) {
            // the blocked agent has the smaller id, so its offers win when both dial (glare): its recovery decides
            Identity blockedId = Identity.generate();
            Identity openId = Identity.generate();
            while (openId.agentId().compareTo(blockedId.agentId()) < 0) {
                openId = Identity.generate();
            }
            MeshAgent open = mesh.start(mesh.config(openId, 0).degree(2).build());

            Path file = dir.resolve("blocked.audit");
            ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
            MeshAgent blocked;
            try (AuditLog log = AuditLog.open(file, blockedId)) {
                AuditSink tee = (kind, fields) -> {
                    entries.add(new Entry(System.nanoTime(), kind, Map.copyOf(fields)));
                    log.record(kind, fields);
                };
                long started = System.nanoTime();
                // registered second, it joins through the first and dials it: its own recovery decides the fallback
                blocked = mesh.start(mesh.config(blockedId, 1).degree(2).audit(tee)
                        .candidateFilter(c -> !c.contains(" typ host")).build());
                RealMesh.await("the blocked agent links with the other", Duration.ofSeconds(40),
                        () -> blocked.neighbours().contains(open.id()) && open.neighbours().contains(blocked.id()));

                Entry fallback = entries.stream().filter(e -> e.kind().equals("link.fallback")).findFirst().orElseThrow();
                assertThat(fallback.fields()).containsEntry("agent", open.id().toString())
                        .containsEntry("action", "connect").containsEntry("path", "relay");
                assertThat(fallback.fields().get("reason")).contains("falling back to relay-only (TURN)");
                double fallbackAfter = (fallback.atNanos() - started) / 1e9;
                Entry up = entries.stream().filter(e -> e.kind().equals("link.up")).findFirst().orElseThrow();
                assertThat(up.fields()).containsEntry("path", "relay").containsEntry("outbound", "true");
                double upAfter = (up.atNanos() - started) / 1e9;
                System.out.printf("fallback decided %.2f s after start, link up over the relay %.2f s after start%n",
                        fallbackAfter, upAfter);
                assertThat(fallbackAfter).as("fallback within the 5 s timeout (plus registration)").isLessThan(7.0);
                assertThat(upAfter - fallbackAfter).as("the relay-only attempt's 10 s").isLessThan(10.0);
                assertThat(entries).anyMatch(e -> e.kind().equals("link.recovery")
                        && "use".equals(e.fields().get("action")) && "relay".equals(e.fields().get("path")));
                assertThat(coturn.log()).contains("ALLOCATE processed, success");

                // messages flow both ways over the relayed link
                byte[] one = "through the relay".getBytes(StandardCharsets.UTF_8);
                byte[] two = "and back".getBytes(StandardCharsets.UTF_8);
                assertThat(blocked.broadcast(one).status()).isEqualTo(SendResult.Status.ACCEPTED);
                assertThat(open.broadcast(two).status()).isEqualTo(SendResult.Status.ACCEPTED);
                RealMesh.await("both broadcasts arrive", Duration.ofSeconds(10), () -> mesh.delivered(0, one) && mesh.delivered(1, two));
                blocked.close();
            }

            AuditVerifier.Result ok = AuditVerifier.verify(file, AuditVerifier.Expected.key(blockedId.publicKey()));
            assertThat(ok.status()).as(ok.describe()).isEqualTo(AuditVerifier.Status.OK);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertThat(lines).anyMatch(l -> l.contains("link.fallback"));
            assertThat(lines).anyMatch(l -> l.contains("agent.stopped"));

            Path edited = dir.resolve("edited.audit");
            List<String> copy = lines.stream()
                    .map(l -> l.contains("link.fallback") ? l.replace("relay-only", "direct-only") : l).toList();
            Files.write(edited, copy, StandardCharsets.UTF_8);
            AuditVerifier.Result bad = AuditVerifier.verify(edited, AuditVerifier.Expected.key(blockedId.publicKey()));
            assertThat(bad.status()).as(bad.describe()).isEqualTo(AuditVerifier.Status.BROKEN);
        }
    }
}
