package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.internal.edge.SignedPresence;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A presence entry's signature is checked when the entry is first used, not when it arrives: before the agent's first
 * dial to it, or by {@code presentAgents()}. Checking every entry on arrival cost each agent one Ed25519 verification
 * per other agent (a third of the CPU of 100 agents forming an overlay). An entry whose signature is bad (a genuine
 * entry copied under another signaling id) is still never dialled.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PresenceSignaturesAreCheckedOnFirstUse {

    @Test
    void aFullAgentChecksNoSignatureUntilItListsThePresentAgents() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            // degree 1 and linked: full, so it dials nobody it hears of
            MeshAgent a = mesh.start(mesh.config(Identity.generate(), 0).degree(1).build());
            MeshAgent b = mesh.start(mesh.config(Identity.generate(), 1).degree(1).build());
            RealMesh.await("a and b linked", Duration.ofSeconds(20),
                    () -> a.neighbours().contains(b.id()) && b.neighbours().contains(a.id()));
            Identity copied = Identity.generate();
            Identity genuine = Identity.generate();
            long now = System.currentTimeMillis();
            // a genuine entry registered under another signaling id: only its signature is wrong
            SignalingClient bad = raw(mesh, "evil." + copied.agentId(),
                    SignedPresence.encode(copied, copied.agentId().toString(), now), null);
            SignalingClient good = raw(mesh, genuine.agentId().toString(),
                    SignedPresence.encode(genuine, genuine.agentId().toString(), now), null);
            try {
                // stats() does not check signatures: both entries arrived, neither is checked yet
                RealMesh.await("a heard of both", Duration.ofSeconds(10), () -> a.stats().presentAgents() == 3);
                assertThat(a.stats().presenceRefused()).isZero();
                assertThat(a.presentAgents()).containsKeys(b.id(), genuine.agentId())
                        .doesNotContainKey(copied.agentId());
                assertThat(a.stats().presenceRefused()).isEqualTo(1);
                assertThat(a.stats().presentAgents()).isEqualTo(2);
                assertThat(mesh.audits.get(0).stream().filter(e -> e.kind().equals("presence.refused")))
                        .singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("reason", "bad_signature")
                                .containsEntry("signaling_id", "evil." + copied.agentId()));
            } finally {
                bad.close();
                good.close();
            }
        }
    }

    @Test
    void anAgentWithRoomChecksTheSignatureBeforeDiallingAndNeverDialsABadOne() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            Identity copied = Identity.generate();
            String sid = "evil." + copied.agentId();
            LinkedBlockingQueue<SignalingMessage> inbox = new LinkedBlockingQueue<>();
            SignalingClient bad = raw(mesh, sid,
                    SignedPresence.encode(copied, copied.agentId().toString(), System.currentTimeMillis()), inbox);
            try {
                // a newcomer whose only candidate is the bad entry: it would JOIN through it
                MeshAgent a = mesh.start(mesh.config(Identity.generate(), 0).degree(2).build());
                RealMesh.await("the entry refused when a wanted to dial it", Duration.ofSeconds(10),
                        () -> a.stats().presenceRefused() == 1);
                assertThat(a.stats().linksSettingUp()).isZero();
                assertThat(a.stats().asksSent()).isZero();
                // nothing ever reached the impostor: no offer, no ask
                List<SignalingMessage> got = new java.util.ArrayList<>();
                inbox.drainTo(got);
                assertThat(got).noneMatch(m -> m instanceof SignalingMessage.Offer
                        || m instanceof SignalingMessage.Candidate || m instanceof SignalingMessage.Candidates);
                assertThat(a.presentAgents()).isEmpty();
            } finally {
                bad.close();
            }
        }
    }

    private static SignalingClient raw(RealMesh mesh, String signalingId, String presence,
                                       LinkedBlockingQueue<SignalingMessage> inbox) throws Exception {
        SignalingClient c = new SignalingClient(SignalingClientConfig.builder(mesh.uri(), signalingId)
                .presenceSupplier(() -> presence).build());
        if (inbox != null) {
            c.onMessage(inbox::add);
        }
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }
}
