package io.jrtc.mesh.internal.edge;

import static io.jrtc.mesh.internal.edge.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent whose own dials all wait their turn (here: the set-up budget its factory shares is taken, so none of them
 * is built) has room for connections, but its core counts the waiting dials against {@code maxLinks}. Degree 2,
 * maxLinks 3: two dials wait, a first offer fills the budget. A second offer, whose connection the remote has already
 * built, then takes the place of the newest waiting dial: it is answered, the withdrawn dial is counted
 * ({@code MeshStats.dialsYielded}), and it is no longer in the queue. Before, the second offer got a {@code bye}, and
 * its dialler's PeerConnection was thrown away.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QueuedDialsGiveWayToAnArrivedOffer {

    @Test
    void theOfferIsAnsweredAndTheNewestWaitingDialWithdrawn() throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .drainTimeout(Duration.ofSeconds(1)).build());
        server.start().orTimeout(20, TimeUnit.SECONDS).join();
        PeerConnectionFactory factory = new PeerConnectionFactory(2);
        URI uri = URI.create("ws://127.0.0.1:" + server.boundPort() + "/ws");
        SetupBudget budget = SetupBudget.of(factory);
        int taken = 0;
        while (budget.hasRoom()) {
            budget.acquire(); // no dial of any agent on this factory is built: each waits in its DialQueue
            taken++;
        }
        List<MeshEdge> edges = new ArrayList<>();
        List<Offerer> offerers = new ArrayList<>();
        try {
            // the agent under test (degree 2, maxLinks 3) and four others it learns of and dials
            for (int i = 0; i < 5; i++) {
                MeshEdge e = new MeshEdge(MeshConfig.builder(Identity.generate(), uri).factory(factory).seed(i + 1)
                        .degree(2).maxLinks(3)
                        .rtcTemplate(RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build())
                        .build());
                edges.add(e);
                e.start().get(20, TimeUnit.SECONDS);
            }
            MeshEdge a = edges.get(4);
            await("the agent's core has asked for a link to each of its degree, all of them waiting",
                    () -> a.call(() -> a.core.linkBudgetUsed() == 2 && a.deferred.size() == 2 && a.links.size() == 0));
            List<io.jrtc.mesh.AgentId> waitingBefore = a.call(() -> a.deferred.waitingForTest());
            long failedBefore = a.stats().linksFailed();

            // a first offer fits: two dials asked for and one inbound link being answered make the agent's maxLinks
            Offerer first = Offerer.start(uri, factory);
            offerers.add(first);
            first.client.sendOffer(a.config.signalingId(), first.offer);
            assertThat(first.next()).as("the first offer is answered").isInstanceOf(SignalingMessage.Answer.class);
            assertThat(a.stats().dialsYielded()).isZero();
            assertThat(a.call(() -> a.deferred.waitingForTest())).isEqualTo(waitingBefore);

            // a second one does not, unless a waiting dial gives way: it did
            Offerer second = Offerer.start(uri, factory);
            offerers.add(second);
            second.client.sendOffer(a.config.signalingId(), second.offer);
            SignalingMessage r2 = second.next();
            assertThat(r2).as("the second offer is answered, not refused").isInstanceOf(SignalingMessage.Answer.class);
            assertThat(a.stats().dialsYielded()).isEqualTo(1);
            assertThat(a.call(() -> a.deferred.waitingForTest())).as("the newest waiting dial was withdrawn, the other still waits")
                    .isEqualTo(waitingBefore.subList(0, 1));
            assertThat(a.stats().linksFailed()).as("no connection failed for it").isEqualTo(failedBefore);
            assertThat(a.call(() -> a.links.size())).as("both offers' links are being answered").isEqualTo(2);
        } finally {
            offerers.forEach(Offerer::close);
            for (int i = 0; i < taken; i++) {
                budget.release();
            }
            edges.forEach(e -> e.close(false));
            server.abort();
            factory.close();
        }
    }

    /**
     * A plain signaling client under a fresh mesh agent id with the offer of a real PeerConnection: nothing on this
     * side decides for the agent under test. Its offer is never completed (the answer is not applied).
     */
    private record Offerer(SignalingClient client, PeerConnection pc, String offer, LinkedBlockingQueue<SignalingMessage> inbox) {

        static Offerer start(URI uri, PeerConnectionFactory factory) throws Exception {
            LinkedBlockingQueue<SignalingMessage> inbox = new LinkedBlockingQueue<>();
            SignalingClient client = new SignalingClient(SignalingClientConfig.builder(uri, Identity.generate().agentId().toString())
                    .eventLoopGroup(factory.eventLoopGroup()).build());
            client.onMessage(inbox::add);
            PeerConnection pc = factory.createPeerConnection(RtcConfiguration.builder()
                    .addBindAddress(InetAddress.getLoopbackAddress()).build());
            client.connect().get(10, TimeUnit.SECONDS);
            pc.createDataChannel("probe");
            return new Offerer(client, pc, pc.createOffer().get(10, TimeUnit.SECONDS).sdp(), inbox);
        }

        /** The next answer or bye (presence, the registration reply and candidates are skipped). */
        SignalingMessage next() throws InterruptedException {
            while (true) {
                SignalingMessage m = inbox.poll(10, TimeUnit.SECONDS);
                assertThat(m).as("a reply within 10 s").isNotNull();
                if (m instanceof SignalingMessage.Bye || m instanceof SignalingMessage.Answer) {
                    return m;
                }
            }
        }

        void close() {
            pc.close();
            client.closeAsync();
        }
    }
}
