package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcLimitStats;
import io.jrtc.peer.RtcLimits;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one remote can make the echo agent hold: one peer connection per remote agent id however many sessions it
 * offers; a connection that never comes up is failed by the peer library's connect timeout and the remote gets a
 * {@code bye}; while the agent's factory holds {@code maxPeerConnections}, a new remote is refused with a {@code bye};
 * the counters show in {@link EchoAgent.Stats#limits()}; and legitimate remotes are served throughout.
 */
class EchoAgentBoundsWhatEachRemoteHolds {

    private Loopback net;
    private SignalingServer server;
    private PeerConnectionFactory echoFactory;
    private EchoAgent echo;

    @BeforeEach
    void start() throws Exception {
        net = new Loopback();
        server = net.startServer(0);
        // the echo agent's own factory, so that its counters and connection count are the agent's alone
        echoFactory = net.track(new PeerConnectionFactory(2));
        echo = net.track(new EchoAgent(Loopback.config(server, "echo").build(), echoFactory));
        echo.start().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
    }

    @Test
    void oneRemoteIdHoldsOneConnectionHoweverManySessionsItOffers() throws Exception {
        RawOfferer greedy = net.track(new RawOfferer(net.factory, Loopback.config(server, "greedy").build(), "echo"));
        List<PeerConnection> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // five sessions offered back to back, none of them ever sending a candidate
            PeerConnection pc = net.track(net.factory.createPeerConnection(RtcConfiguration.builder()
                    .addBindAddress(Loopback.LOOPBACK).build()));
            sessions.add(pc);
            pc.createDataChannel("s" + i);
            RtcSessionDescription offer = pc.createOffer().get(5, TimeUnit.SECONDS);
            pc.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
            greedy.signaling.sendOffer("echo", offer.sdp()).get(5, TimeUnit.SECONDS);
        }
        // before the next session, take in the answer to the fifth (it comes after any earlier one), so that no stale
        // answer reaches the sixth session's connection
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (echo.stats().peersCreated() < 5) {
            assertThat(System.nanoTime()).as("five offers taken").isLessThan(deadline);
            Thread.sleep(10);
        }
        String fifthOrigin;
        while ((fifthOrigin = echo.peerConnection("greedy").flatMap(PeerConnection::localDescription)
                .map(d -> origin(d.sdp())).orElse(null)) == null) {
            assertThat(System.nanoTime()).as("the fifth session answered").isLessThan(deadline);
            Thread.sleep(10);
        }
        SignalingMessage.Answer answer;
        do {
            answer = greedy.next(SignalingMessage.Answer.class, 10);
            assertThat(answer).as("the answer to the fifth session").isNotNull();
        } while (!origin(answer.sdp()).equals(fifthOrigin));
        DataChannel ch = greedy.newSession();
        assertThat(greedy.roundTrip(ch, "the sixth session")).isEqualTo("the sixth session");

        assertThat(echo.peers()).containsExactly("greedy");
        EchoAgent.Stats st = echo.stats();
        assertThat(st.peersCreated()).isEqualTo(6);
        assertThat(st.peersClosed()).isEqualTo(5);
        // the replaced connections close on their loops, just after being replaced
        awaitHeld(1);
        assertThat(st.limits().totalRefusals()).isZero();
    }

    @Test
    void aConnectionThatNeverComesUpTimesOutAndAFullFactoryRefusesNewRemotes() throws Exception {
        echoFactory.setLimits(RtcLimits.defaults().withMaxPeerConnections(1).withConnectTimeout(Duration.ofSeconds(3)));
        RawOfferer stuck = net.track(new RawOfferer(net.factory, Loopback.config(server, "stuck").build(), "echo"));
        PeerConnection never = net.track(net.factory.createPeerConnection(RtcConfiguration.builder()
                .addBindAddress(Loopback.LOOPBACK).build()));
        never.createDataChannel("never");
        RtcSessionDescription offer = never.createOffer().get(5, TimeUnit.SECONDS);
        never.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
        long offered = System.nanoTime();
        stuck.signaling.sendOffer("echo", offer.sdp()).get(5, TimeUnit.SECONDS);
        assertThat(stuck.next(SignalingMessage.Answer.class, 10)).as("the answer to the stuck offer").isNotNull();
        assertThat(echoFactory.limitStats().peerConnections()).isEqualTo(1);

        // the factory is full: a new remote is refused with a bye, and counted
        ClientAgent alice = net.client(server, "alice");
        assertThatThrownBy(() -> alice.connect("echo", Duration.ofSeconds(20)))
                .isInstanceOf(ClientAgent.AgentException.class).hasMessage("echo said bye");
        assertThat(echo.stats().limits().peerConnectionsRefused()).isEqualTo(1);
        assertThat(echo.stats().peersCreated()).isEqualTo(1);

        // the stuck connection fails at the connect timeout: the agent closes it and says bye
        assertThat(stuck.next(SignalingMessage.Bye.class, 15)).as("bye to the stuck remote").isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - offered)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(echo.stats().limits().connectTimeouts()).isEqualTo(1);
        assertThat(echo.stats().peersClosed()).isEqualTo(1);
        assertThat(echo.peers()).doesNotContain("stuck");
        awaitHeld(0);

        // and the slot serves a legitimate remote (with the default connect timeout from now on: a loaded machine's
        // connection may take longer than 3 s)
        echoFactory.setLimits(RtcLimits.defaults().withMaxPeerConnections(1));
        try (ClientAgent.Session s = alice.connect("echo", Duration.ofSeconds(20))) {
            assertThat(s.ping(20, 64, true, Duration.ofSeconds(10)).count()).isEqualTo(20);
        }
        // the echo closes its side once the session is gone: wait for that before comparing two snapshots (taken a
        // moment apart, they differed while the close was under way: held 1 in one, 0 in the other)
        awaitHeld(0);
        RtcLimitStats limits = echo.stats().limits();
        assertThat(limits).isEqualTo(echoFactory.limitStats());
        assertThat(limits.peerConnectionsRefused()).isEqualTo(1);
        assertThat(limits.connectTimeouts()).isEqualTo(1);
        assertThat(limits.totalRefusals()).isEqualTo(2);
    }

    private static String origin(String sdp) {
        return sdp.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
    }

    /** Waits (bounded) until the echo agent's factory holds {@code n} connections. */
    private void awaitHeld(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (echoFactory.limitStats().peerConnections() != n) {
            assertThat(System.nanoTime()).as("connections held: %s", echoFactory.limitStats()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
