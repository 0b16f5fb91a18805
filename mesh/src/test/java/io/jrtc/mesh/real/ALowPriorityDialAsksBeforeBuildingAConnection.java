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
            // c hears of the asker and may dial it itself. When both dial each other only the dial from the smaller
            // id goes through (Membership.admit): the asker's id is the smaller, so c never refuses it for that.
            Identity cId = Identity.generate();
            Identity askerId = Identity.generate();
            while (askerId.agentId().compareTo(cId.agentId()) >= 0) {
                askerId = Identity.generate();
            }
            LinkedBlockingQueue<SignalingMessage> inbox = new LinkedBlockingQueue<>();
            SignalingClient asker = raw(mesh, askerId, inbox);
            try {
                // a is full (degree 1): a bye, nothing built
                asker.sendOffer(a.config().signalingId(), ASK);
                SignalingMessage reply = next(inbox);
                assertThat(reply).isInstanceOf(SignalingMessage.Bye.class);
                assertThat(((SignalingMessage.Bye) reply).from()).isEqualTo(a.config().signalingId());
                assertThat(a.stats().linksSettingUp()).isZero();
                assertThat(a.stats().linksFailed()).isZero();
                assertThat(a.neighbours()).containsExactly(b.id());

                // c has room (degree 3, one neighbour at most): the answer ROOM, still nothing built for the ask
                MeshAgent c = mesh.start(mesh.config(cId, 2).degree(3).build());
                String cSid = c.config().signalingId();
                SignalingMessage room = askFor(asker, inbox, cSid);
                assertThat(room).isInstanceOf(SignalingMessage.Answer.class);
                assertThat(((SignalingMessage.Answer) room).sdp()).isEqualTo(ROOM);
                assertThat(((SignalingMessage.Answer) room).from()).isEqualTo(cSid);
                assertThat(c.stats().linksSettingUp()).isLessThanOrEqualTo(2); // its own dials to a and b, if any: none for the ask
            } finally {
                asker.close();
            }
        }
    }

    /**
     * Asks {@code target} and returns its reply (an answer or a bye). The target may dial the asker itself: its asks and
     * offers are refused with a bye (which costs it nothing built, or ends what it built). A bye to our ask that comes
     * while the target had built a connection to us (its offer, at most 3 s later) is that connection's doing (one link
     * per pair), and one without is its own dials holding its room for a moment: we ask again, at most three times.
     */
    private static SignalingMessage askFor(SignalingClient asker, LinkedBlockingQueue<SignalingMessage> inbox, String target)
            throws InterruptedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            asker.sendOffer(target, ASK);
            SignalingMessage reply = next(inbox);
            while (ownDial(reply, target)) {
                if (reply instanceof SignalingMessage.Offer) {
                    asker.sendBye(target);
                }
                reply = next(inbox);
            }
            if (!(reply instanceof SignalingMessage.Bye)) {
                return reply;
            }
            boolean ownConnection = false;
            for (SignalingMessage m = inbox.poll(3, TimeUnit.SECONDS); m != null && !ownConnection;
                    m = ownConnection ? null : inbox.poll(3, TimeUnit.SECONDS)) {
                if (m instanceof SignalingMessage.Offer o && o.from().equals(target)) {
                    asker.sendBye(target);
                    ownConnection = o.sdp().startsWith("v=0");
                }
            }
            // A bye that no connection of the target's explains: its room was taken for the moment by its own dials
            // in flight (promised or inbound slots); asked again after that 3 s look, it must say ROOM.
        }
        throw new AssertionError("no reply but byes to three asks");
    }

    /** Part of the target's own dial to the asker: its ask or offer, or the candidates it trickles for it. */
    private static boolean ownDial(SignalingMessage m, String target) {
        return m instanceof SignalingMessage.Offer o && o.from().equals(target)
                || m instanceof SignalingMessage.Candidate c && c.from().equals(target)
                || m instanceof SignalingMessage.Candidates cs && cs.from().equals(target);
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
