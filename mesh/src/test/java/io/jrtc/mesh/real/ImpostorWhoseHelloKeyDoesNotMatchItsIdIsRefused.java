package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.SendResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent that registers at signaling under another agent's id (whose key it does not hold) gets its PeerConnection
 * up, but its HELLO carries its own key: the honest agent closes the link, never reports it to its overlay, and records
 * {@code link.identity_mismatch} in its audit log (its signed presence entry was refused before: {@code presence.refused}).
 * Honest agents still link with each other.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ImpostorWhoseHelloKeyDoesNotMatchItsIdIsRefused {

    @Test
    void theHelloCheckRefusesAndAuditsTheImpostor() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            MeshAgent honest = mesh.start(mesh.config(Identity.generate(), 0).degree(3).build());
            Identity victim = Identity.generate();
            Identity impostorKey = Identity.generate();
            MeshAgent impostor = mesh.start(mesh.config(impostorKey, 1).degree(3)
                    .signalingIdOverride(victim.agentId().toString()).build());

            RealMesh.await("the honest agent audits an identity mismatch", Duration.ofSeconds(30),
                    () -> mesh.audits.get(0).stream().anyMatch(a -> a.kind().equals("link.identity_mismatch")));
            RealMesh.Audit entry = mesh.audits.get(0).stream().filter(a -> a.kind().equals("link.identity_mismatch"))
                    .findFirst().orElseThrow();
            assertThat(entry.fields()).containsEntry("agent", victim.agentId().toString())
                    .containsEntry("key_agent", impostorKey.agentId().toString())
                    .containsEntry("reason", "key_mismatch")
                    .containsEntry("signaling_id", victim.agentId().toString());
            assertThat(honest.stats().identityMismatches()).isPositive();
            // its presence entry is signed by the impostor's key, not the victim's: never a candidate to dial; the
            // HELLO check above caught the impostor's own offer
            assertThat(mesh.audits.get(0)).anyMatch(a -> a.kind().equals("presence.refused")
                    && a.fields().get("signaling_id").equals(victim.agentId().toString())
                    && a.fields().get("reason").equals("key_mismatch"));
            assertThat(honest.stats().presenceRefused()).isEqualTo(1);
            assertThat(honest.stats().linksOpened()).isZero();
            assertThat(honest.neighbours()).isEmpty();

            // an honest newcomer links with the honest agent; the impostor stays outside
            MeshAgent other = mesh.start(mesh.config(Identity.generate(), 2).degree(3).build());
            RealMesh.await("the two honest agents are neighbours", Duration.ofSeconds(30),
                    () -> honest.neighbours().contains(other.id()));
            assertThat(honest.neighbours()).doesNotContain(victim.agentId(), impostorKey.agentId());
            assertThat(other.neighbours()).doesNotContain(victim.agentId(), impostorKey.agentId());
            assertThat(impostor.broadcast(new byte[] {1}).status()).isEqualTo(SendResult.Status.NOT_CONNECTED);
            assertThat(mesh.deliveries).noneMatch(g -> g.message().origin().equals(impostorKey.agentId())
                    || g.message().origin().equals(victim.agentId()));
            assertThat(mesh.audits.get(0)).anyMatch(a -> a.kind().equals("agent.joined")
                    && a.fields().get("agent").equals(other.id().toString()));
        }
    }
}
