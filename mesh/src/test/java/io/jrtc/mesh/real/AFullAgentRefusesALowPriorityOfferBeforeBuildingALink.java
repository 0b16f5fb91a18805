package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cheap refusals (mesh protocol version 3): an offer marked {@code a=jrtc-mesh-dial:low} (a low-priority NEIGHBOR
 * request) to an agent whose active view is full is answered with a {@code bye} at once, and the agent builds no
 * connection for it; the same offer without the mark (an older agent's, or a high-priority request) is answered as
 * before. The offers come from a plain signaling client registered under a mesh agent id, so that nothing on the
 * dialling side decides for the agent under test.
 */
class AFullAgentRefusesALowPriorityOfferBeforeBuildingALink {

    @Test
    void aMarkedOfferToAFullAgentGetsAByeAndNoConnection() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            // degree 1: two agents linked to each other are both full (maxLinks 3 leaves room for more connections)
            MeshAgent a = mesh.start(mesh.config(Identity.generate(), 0).degree(1).maxLinks(3).build());
            MeshAgent b = mesh.start(mesh.config(Identity.generate(), 1).degree(1).maxLinks(3).build());
            RealMesh.await("a and b linked", Duration.ofSeconds(20),
                    () -> a.neighbours().contains(b.id()) && b.neighbours().contains(a.id()));

            String dialler = Identity.generate().agentId().toString();
            LinkedBlockingQueue<SignalingMessage> inbox = new LinkedBlockingQueue<>();
            SignalingClient client = new SignalingClient(SignalingClientConfig.builder(mesh.uri(), dialler)
                    .eventLoopGroup(mesh.factory.eventLoopGroup()).build());
            client.onMessage(inbox::add);
            PeerConnection pc = mesh.factory.createPeerConnection(RtcConfiguration.builder()
                    .addBindAddress(InetAddress.getLoopbackAddress()).build());
            try {
                client.connect().get(10, TimeUnit.SECONDS);
                pc.createDataChannel("probe");
                String offer = pc.createOffer().get(10, TimeUnit.SECONDS).sdp();
                String target = a.config().signalingId();
                long failedBefore = a.stats().linksFailed();

                client.sendOffer(target, offer + "a=jrtc-mesh-dial:low\r\n");
                SignalingMessage reply = next(inbox);
                assertThat(reply).isInstanceOf(SignalingMessage.Bye.class);
                assertThat(((SignalingMessage.Bye) reply).from()).isEqualTo(target);
                // refused before any connection: none set up, none failed, the neighbour kept
                assertThat(a.stats().linksSettingUp()).isZero();
                assertThat(a.stats().linksFailed()).isEqualTo(failedBefore);
                assertThat(a.neighbours()).containsExactly(b.id());

                // unmarked (an older agent, or a high-priority request): admitted and answered, as before
                client.sendOffer(target, offer);
                SignalingMessage answer = next(inbox);
                while (answer instanceof SignalingMessage.Candidate || answer instanceof SignalingMessage.Candidates) {
                    answer = next(inbox);
                }
                assertThat(answer).isInstanceOf(SignalingMessage.Answer.class);
                assertThat(((SignalingMessage.Answer) answer).sdp()).doesNotContain("jrtc-mesh-dial");
            } finally {
                pc.close();
                client.closeAsync();
            }
        }
    }

    /** The next offer/answer/candidate/bye (presence and the registration reply are skipped). */
    private static SignalingMessage next(LinkedBlockingQueue<SignalingMessage> inbox) throws InterruptedException {
        while (true) {
            SignalingMessage m = inbox.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a reply within 10 s").isNotNull();
            if (m instanceof SignalingMessage.Bye || m instanceof SignalingMessage.Answer
                    || m instanceof SignalingMessage.Offer || m instanceof SignalingMessage.Candidate
                    || m instanceof SignalingMessage.Candidates) {
                return m;
            }
        }
    }
}
