package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.internal.edge.SignedPresence;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Asking first (mesh README, "How a link is made", step 2): before a low-priority dial the agent sends an ask (an
 * offer whose body is {@code jrtc-mesh-ask:low}) and builds its connection only after the answer
 * {@code jrtc-mesh-room}; a {@code bye} to the ask is a refusal that cost no connection. The remotes here are plain
 * signaling clients registered under mesh ids with genuine signed presence, so the test decides their replies.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ALowPriorityDialAsksBeforeBuildingAConnection {

    private static final String ASK = "jrtc-mesh-ask:low";
    private static final String ROOM = "jrtc-mesh-room";

    @Test
    void theDiallerBuildsNothingForARefusedAskAndAMarkedOfferAfterRoom() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            // x: degree 3 with one neighbour (y, degree 1, full), so it asks low-priority for two more
            MeshAgent x = mesh.start(mesh.config(Identity.generate(), 0).degree(3).build());
            MeshAgent y = mesh.start(mesh.config(Identity.generate(), 1).degree(1).build());
            RealMesh.await("x and y linked", Duration.ofSeconds(20), () -> x.neighbours().contains(y.id()));
            LinkedBlockingQueue<SignalingMessage> refuserInbox = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<SignalingMessage> roomyInbox = new LinkedBlockingQueue<>();
            SignalingClient refuser = raw(mesh, Identity.generate(), refuserInbox);
            SignalingClient roomy = raw(mesh, Identity.generate(), roomyInbox);
            try {
                String xSid = x.config().signalingId();
                SignalingMessage first = next(refuserInbox);
                assertThat(first).isInstanceOf(SignalingMessage.Offer.class);
                assertThat(((SignalingMessage.Offer) first).sdp()).isEqualTo(ASK);
                refuser.sendBye(xSid);
                RealMesh.await("x took the bye as a refusal", Duration.ofSeconds(10),
                        () -> x.stats().asksRefused() == 1);
                // refused before anything was built: no connection set up or failed for it
                assertThat(x.stats().linksFailed()).isZero();

                SignalingMessage ask = next(roomyInbox);
                assertThat(ask).isInstanceOf(SignalingMessage.Offer.class);
                assertThat(((SignalingMessage.Offer) ask).sdp()).isEqualTo(ASK);
                roomy.sendAnswer(xSid, ROOM);
                SignalingMessage offer = next(roomyInbox);
                assertThat(offer).isInstanceOf(SignalingMessage.Offer.class);
                String sdp = ((SignalingMessage.Offer) offer).sdp();
                assertThat(sdp).startsWith("v=0").contains("a=jrtc-mesh-dial:low");
                assertThat(x.stats().asksSent()).isEqualTo(2);
                assertThat(x.stats().asksRefused()).isEqualTo(1);
            } finally {
                refuser.close();
                roomy.close();
            }
        }
    }

    @Test
    void aFullAgentRefusesAnAskAndOneWithRoomSaysSoBuildingNothing() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            MeshAgent a = mesh.start(mesh.config(Identity.generate(), 0).degree(1).maxLinks(3).build());
            MeshAgent b = mesh.start(mesh.config(Identity.generate(), 1).degree(1).maxLinks(3).build());
            RealMesh.await("a and b linked", Duration.ofSeconds(20),
                    () -> a.neighbours().contains(b.id()) && b.neighbours().contains(a.id()));
            LinkedBlockingQueue<SignalingMessage> inbox = new LinkedBlockingQueue<>();
            SignalingClient asker = raw(mesh, Identity.generate(), inbox);
            try {
                // a is full (degree 1): a bye, nothing built
                asker.sendOffer(a.config().signalingId(), ASK);
                SignalingMessage reply = next(inbox);
                assertThat(reply).isInstanceOf(SignalingMessage.Bye.class);
                assertThat(((SignalingMessage.Bye) reply).from()).isEqualTo(a.config().signalingId());
                assertThat(a.stats().linksSettingUp()).isZero();
                assertThat(a.stats().linksFailed()).isZero();
                assertThat(a.neighbours()).containsExactly(b.id());

                // c has room (degree 3, one neighbour at most): the answer ROOM, still nothing built
                MeshAgent c = mesh.start(mesh.config(Identity.generate(), 2).degree(3).build());
                asker.sendOffer(c.config().signalingId(), ASK);
                SignalingMessage room = next(inbox);
                while (room instanceof SignalingMessage.Offer o && o.sdp().equals(ASK)) {
                    room = next(inbox); // c may ask us itself (it hears of us and has room): not what is tested
                }
                assertThat(room).isInstanceOf(SignalingMessage.Answer.class);
                assertThat(((SignalingMessage.Answer) room).sdp()).isEqualTo(ROOM);
                assertThat(((SignalingMessage.Answer) room).from()).isEqualTo(c.config().signalingId());
                assertThat(c.stats().linksFailed()).isZero();
                assertThat(c.stats().linksSettingUp()).isLessThanOrEqualTo(1); // its own link to a or b, if any
            } finally {
                asker.close();
            }
        }
    }

    private static SignalingClient raw(RealMesh mesh, Identity id, LinkedBlockingQueue<SignalingMessage> inbox)
            throws Exception {
        String sid = id.agentId().toString();
        String presence = SignedPresence.encode(id, sid, System.currentTimeMillis());
        SignalingClient c = new SignalingClient(SignalingClientConfig.builder(mesh.uri(), sid)
                .presenceSupplier(() -> presence).build());
        c.onMessage(inbox::add);
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    /** The next offer/answer/candidate/bye (presence and the registration reply are skipped). */
    private static SignalingMessage next(LinkedBlockingQueue<SignalingMessage> inbox) throws InterruptedException {
        while (true) {
            SignalingMessage m = inbox.poll(15, TimeUnit.SECONDS);
            assertThat(m).as("a message within 15 s").isNotNull();
            if (m instanceof SignalingMessage.Bye || m instanceof SignalingMessage.Answer
                    || m instanceof SignalingMessage.Offer || m instanceof SignalingMessage.Candidate
                    || m instanceof SignalingMessage.Candidates) {
                return m;
            }
        }
    }
}
