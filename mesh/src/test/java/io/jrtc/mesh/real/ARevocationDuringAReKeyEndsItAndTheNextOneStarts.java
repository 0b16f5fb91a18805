package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.Revocation;
import io.jrtc.mesh.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two revocations in a row, as an operator revoking several stolen keys sends them: agent A, a neighbour of X, is
 * re-keying its other links one at a time after X's revocation when the agent Y whose link it is re-keying right now is
 * revoked too (A publishes Y's revocation the moment it starts that re-key, so it lands while the new connection is
 * being made). That re-key cannot finish: it must end as failed, on record with its reason, and A must go on to re-key
 * its remaining link instead of waiting for a link that will never come up. (Before the fix A waited for ever: a link
 * closed while being re-keyed was never reported to the re-keying, so its pending count stayed at 1 and no other link
 * was re-keyed.)
 */
class ARevocationDuringAReKeyEndsItAndTheNextOneStarts {

    private static final int N = 4;
    private static final int A = 0;
    private static final int X = 3;

    record Entry(String kind, Map<String, String> fields) {
    }

    @Test
    void theInterruptedReKeyFailsOnRecordAndTheNextLinkIsReKeyed() throws Exception {
        Identity operator = Identity.generate();
        List<Identity> ids = new ArrayList<>();
        ConcurrentLinkedQueue<Entry> auditA = new ConcurrentLinkedQueue<>();
        AtomicReference<AgentId> y = new AtomicReference<>();
        AtomicReference<CompletableFuture<SendResult>> second = new AtomicReference<>();
        try (RealMesh mesh = new RealMesh()) {
            for (int i = 0; i < N; i++) {
                ids.add(Identity.generate());
            }
            for (int i = 0; i < N; i++) {
                var b = mesh.config(ids.get(i), i).degree(3).maxLinks(4).operatorKey(operator.publicKey());
                if (i == A) {
                    b.audit((AuditSink) (kind, fields) -> {
                        auditA.add(new Entry(kind, Map.copyOf(fields)));
                        if (kind.equals("rekey") && "start".equals(fields.get("action"))
                                && y.compareAndSet(null, AgentId.parse(fields.get("agent")))) {
                            // on A's loop, inside the re-key's start: publish from another thread, so that it runs
                            // on the loop right after this task, while the new connection is still being made
                            Identity victim = ids.get(mesh.indexOf(y.get()));
                            Revocation r = Revocation.sign(operator, victim.publicKey(), "second stolen key",
                                    System.currentTimeMillis());
                            second.set(CompletableFuture.supplyAsync(() -> mesh.agent(A).publishRevocation(r)));
                        }
                    });
                }
                mesh.start(b.build());
            }
            RealMesh.await("a full mesh of four", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < N; i++) {
                    if (mesh.agent(i).neighbours().size() != N - 1) {
                        return false;
                    }
                }
                return mesh.settled();
            });

            AgentId x = ids.get(X).agentId();
            Revocation first = Revocation.sign(operator, ids.get(X).publicKey(), "first stolen key",
                    System.currentTimeMillis());
            assertThat(mesh.agent(A).publishRevocation(first).accepted()).isTrue();

            // A re-keys its two other links (to B and C): the first it starts is Y's, which is revoked meanwhile
            RealMesh.await("A's re-keying is over", Duration.ofSeconds(20),
                    () -> y.get() != null && mesh.agent(A).rekeys()[2] == 0);
            assertThat(second.get().get().status()).isIn(SendResult.Status.ACCEPTED, SendResult.Status.NOT_CONNECTED);
            long[] k = mesh.agent(A).rekeys();
            assertThat(k).as("A's re-keys: done, failed, pending").containsExactly(1, 1, 0);
            assertThat(mesh.agent(A).revoked()).containsExactly(x, y.get());

            List<Entry> rekeys = auditA.stream().filter(e -> e.kind().equals("rekey")).toList();
            assertThat(rekeys).as("%s", rekeys).hasSize(4);
            assertThat(rekeys.get(0).fields()).containsEntry("action", "start").containsEntry("agent", y.get().toString())
                    .containsEntry("cause", x.toString());
            assertThat(rekeys.get(1).fields()).containsEntry("action", "failed").containsEntry("agent", y.get().toString())
                    .containsKey("reason");
            AgentId other = AgentId.parse(rekeys.get(2).fields().get("agent"));
            assertThat(other).isNotIn(x, y.get(), ids.get(A).agentId());
            assertThat(rekeys.get(2).fields()).containsEntry("action", "start");
            assertThat(rekeys.get(3).fields()).containsEntry("action", "done").containsEntry("agent", other.toString());
            assertThat(rekeys.get(3).fields().get("new_session")).isNotEqualTo(rekeys.get(3).fields().get("old_session"));

            // and the mesh of the two that are left still carries a broadcast from A
            SendResult b = RealMesh.broadcastOnceLinked(mesh.agent(A), "after both".getBytes());
            int o = mesh.indexOf(other);
            RealMesh.await("A's broadcast at the agent that is left", Duration.ofSeconds(10),
                    () -> mesh.count(o, ids.get(A).agentId(), b.sequence()) == 1);
        }
    }
}
