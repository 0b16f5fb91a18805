package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.internal.edge.SignedPresence;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence entries injected through raw signaling clients: an agent id whose entry is signed by another key, a genuine
 * entry copied under another signaling id, an entry with no signature at all, and one from the future are refused
 * (never candidates, counted, audited {@code presence.refused} with the reason), both by an agent that sees them join
 * ({@code agent_joined.presence}) and by one that registers after them ({@code registered.presence}); a correctly
 * signed entry is taken. The signature (the copied entry's fault) is checked when an entry is first used, here by
 * {@code presentAgents()}; the other faults on arrival.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ForgedPresenceIsRefusedAndAudited {

    @Test
    void forgedEntriesAreRefusedAndAuditedAndAGenuineOneIsTaken() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            MeshAgent early = mesh.start(mesh.config(Identity.generate(), 0).build());
            Identity attacker = Identity.generate();
            Identity victim = Identity.generate();
            Identity copied = Identity.generate();
            Identity future = Identity.generate();
            Identity genuine = Identity.generate();
            String victimSid = victim.agentId().toString();
            String copiedSid = "evil." + copied.agentId();
            String futureSid = future.agentId().toString();
            String missingSid = Identity.generate().agentId().toString();
            long now = System.currentTimeMillis();
            List<SignalingClient> raw = new ArrayList<>();
            try {
                raw.add(rawClient(mesh, victimSid, () -> SignedPresence.encode(attacker, victimSid, now)));
                raw.add(rawClient(mesh, copiedSid,
                        () -> SignedPresence.encode(copied, copied.agentId().toString(), now)));
                raw.add(rawClient(mesh, futureSid, () -> SignedPresence.encode(future, futureSid, now + 3_600_000)));
                raw.add(rawClient(mesh, missingSid, null));
                raw.add(rawClient(mesh, genuine.agentId().toString(),
                        () -> SignedPresence.encode(genuine, genuine.agentId().toString(), now)));
                Map<String, String> expected = Map.of(victimSid, "key_mismatch", copiedSid, "bad_signature",
                        futureSid, "future", missingSid, "missing");

                RealMesh.await("the early agent takes the genuine entry", Duration.ofSeconds(10),
                        () -> early.presentAgents().containsKey(genuine.agentId()));
                RealMesh.await("the early agent refuses four", Duration.ofSeconds(10),
                        () -> early.stats().presenceRefused() == 4);
                MeshAgent late = mesh.start(mesh.config(Identity.generate(), 1).build());
                // presentAgents() checks the signatures not checked yet (an agent checks them lazily, before its
                // first dial to an agent): the copied entry is refused then at the latest
                RealMesh.await("the late agent refuses four", Duration.ofSeconds(10),
                        () -> !late.presentAgents().isEmpty() && late.stats().presenceRefused() == 4);
                for (int i = 0; i < 2; i++) {
                    MeshAgent a = mesh.agent(i);
                    assertThat(a.presentAgents()).containsKey(genuine.agentId())
                            .doesNotContainKeys(victim.agentId(), copied.agentId(), future.agentId());
                    assertThat(a.presentAgents().values()).doesNotContain(missingSid, copiedSid);
                    List<RealMesh.Audit> refused = mesh.audits.get(i).stream()
                            .filter(e -> e.kind().equals("presence.refused")).toList();
                    assertThat(refused).hasSize(4);
                    for (RealMesh.Audit e : refused) {
                        assertThat(e.fields().get("reason")).as(e.toString())
                                .isEqualTo(expected.get(e.fields().get("signaling_id")));
                    }
                }
                // the two real agents' own entries verify, so they link with each other
                RealMesh.await("the two agents link", Duration.ofSeconds(30),
                        () -> early.neighbours().contains(late.id()));
            } finally {
                raw.forEach(SignalingClient::close);
            }
        }
    }

    @Test
    void anEntryVerifiesOnlyForItsIdItsSignalingIdAndItsBytes() {
        Identity id = Identity.generate();
        Ed25519Verifier v = new Ed25519Verifier();
        String sid = "alice." + id.agentId();
        long now = 1_764_930_000_000L;
        String blob = SignedPresence.encode(id, sid, now);
        assertThat(blob).hasSize(140);
        assertThat(SignedPresence.verify(blob, id.agentId(), sid, now, v)).isEqualTo(SignedPresence.Verdict.OK);
        assertThat(SignedPresence.verify(blob, id.agentId(), "bob." + id.agentId(), now, v))
                .isEqualTo(SignedPresence.Verdict.BAD_SIGNATURE);
        assertThat(SignedPresence.verify(blob, Identity.generate().agentId(), sid, now, v))
                .isEqualTo(SignedPresence.Verdict.KEY_MISMATCH);
        char[] c = blob.toCharArray();
        c[100] = c[100] == 'A' ? 'B' : 'A';
        assertThat(SignedPresence.verify(new String(c), id.agentId(), sid, now, v))
                .isEqualTo(SignedPresence.Verdict.BAD_SIGNATURE);
        assertThat(SignedPresence.verify(blob.substring(1), id.agentId(), sid, now, v))
                .isEqualTo(SignedPresence.Verdict.MALFORMED);
        assertThat(SignedPresence.verify(blob + "=", id.agentId(), sid, now, v))
                .isEqualTo(SignedPresence.Verdict.MALFORMED);
        assertThat(SignedPresence.verify(null, id.agentId(), sid, now, v)).isEqualTo(SignedPresence.Verdict.MISSING);
        assertThat(SignedPresence.verify(blob, id.agentId(), sid, now - SignedPresence.MAX_FUTURE_MILLIS - 1, v))
                .isEqualTo(SignedPresence.Verdict.FUTURE);
    }

    private static SignalingClient rawClient(RealMesh mesh, String signalingId, Supplier<String> presence)
            throws Exception {
        SignalingClientConfig.Builder b = SignalingClientConfig.builder(mesh.uri(), signalingId);
        if (presence != null) {
            b.presenceSupplier(presence);
        }
        SignalingClient c = new SignalingClient(b.build());
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }
}
