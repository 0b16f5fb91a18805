package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcLimits;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EchoAgent#keepSpareConnection}: each offer is answered on a connection made ahead of it, whose candidates
 * were gathered before the offer came, so the answer itself carries them and {@code a=end-of-candidates}; a new spare
 * follows each one taken; a full factory makes none and still answers.
 */
@Timeout(120)
class EchoAgentAnswersFromASpareConnection {

    private Loopback net;
    private SignalingServer server;
    private PeerConnectionFactory echoFactory;
    private EchoAgent echo;

    @BeforeEach
    void start() throws Exception {
        net = new Loopback();
        server = net.startServer(0);
        echoFactory = net.track(new PeerConnectionFactory(2));
        echo = net.track(new EchoAgent(Loopback.config(server, "echo").build(), echoFactory).keepSpareConnection(true));
        echo.start().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
    }

    @Test
    void everySessionIsAnsweredFromASpareWhoseAnswerCarriesItsCandidates() throws Exception {
        awaitSpares(1);
        RawOfferer remote = net.track(new RawOfferer(net.factory, Loopback.config(server, "remote").build(), "echo"));
        for (int session = 1; session <= 3; session++) {
            DataChannel ch = remote.newSession();
            SignalingMessage.Answer answer = remote.next(SignalingMessage.Answer.class, 10);
            assertThat(answer).as("answer %d", session).isNotNull();
            assertThat(answer.sdp()).as("answer %d", session).contains("a=candidate:").contains("a=end-of-candidates");
            assertThat(remote.roundTrip(ch, "session " + session)).isEqualTo("session " + session);
            assertThat(echo.spareConnectionCounts()[1]).as("spares taken").isEqualTo(session);
            awaitSpares(session + 1); // the next one is made after each one taken
        }
        assertThat(echo.stats().peersCreated()).isEqualTo(3);
    }

    @Test
    void aFullFactoryMakesNoSpareAndStillAnswers() throws Exception {
        awaitSpares(1);
        echoFactory.setLimits(RtcLimits.defaults().withMaxPeerConnections(1));
        RawOfferer remote = net.track(new RawOfferer(net.factory, Loopback.config(server, "remote").build(), "echo"));
        DataChannel ch = remote.newSession(); // takes the spare: the factory now holds its one connection
        assertThat(remote.roundTrip(ch, "full")).isEqualTo("full");
        // the next spare is refused by the factory (counted there), and the held connection is the remote's alone
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (echoFactory.limitStats().peerConnectionsRefused() < 1) {
            assertThat(System.nanoTime()).as("the next spare refused").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(echoFactory.limitStats().peerConnections()).isEqualTo(1);
        assertThat(echo.spareConnectionCounts()[0]).as("spares made").isEqualTo(1);
        assertThat(remote.roundTrip(ch, "still served")).isEqualTo("still served");
    }

    @Test
    void connectionsGoOnTheSignalingLoopWhileItHoldsNoMoreThanItsShare() throws Exception {
        // two loops: the first connection answers on the signaling client's loop (no thread hand-over between the
        // offer and the answer), the next on the other loop, and so on: half of them on each
        awaitSpares(1);
        int[][] seen = new int[4][];
        for (int i = 0; i < 4; i++) {
            RawOfferer remote = net.track(new RawOfferer(net.factory, Loopback.config(server, "remote-" + i).build(), "echo"));
            DataChannel ch = remote.newSession();
            assertThat(remote.roundTrip(ch, "r" + i)).isEqualTo("r" + i);
            seen[i] = echo.peersOnSignalingLoop();
            awaitSpares(i + 2);
        }
        assertThat(seen).isDeepEqualTo(new int[][] {{1, 1}, {1, 2}, {2, 3}, {2, 4}});
    }

    private void awaitSpares(long made) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (echo.spareConnectionCounts()[0] < made) {
            assertThat(System.nanoTime()).as("spare %d made", made).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
