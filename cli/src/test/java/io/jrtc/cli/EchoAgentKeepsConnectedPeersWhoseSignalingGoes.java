package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code agent_left} for a remote whose peer connection is up does not end it (a signaling outage is not a dead peer;
 * the data keeps flowing); for a remote whose connection never came up, it does.
 */
class EchoAgentKeepsConnectedPeersWhoseSignalingGoes {

    private Loopback net;
    private SignalingServer server;
    private EchoAgent echo;
    private final List<String> closed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        net = new Loopback();
        server = net.startServer(0);
        echo = net.echo(server, "echo");
        echo.onPeerClosed((remote, why) -> closed.add(remote + ": " + why));
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
    }

    @Test
    void aConnectedPeerOutlivesItsSignalingConnection() throws Exception {
        RawOfferer observer = net.track(new RawOfferer(net.factory, Loopback.config(server, "observer").build(), "echo"));
        RawOfferer raw = net.track(new RawOfferer(net.factory, Loopback.config(server, "quiet").build(), "echo"));
        DataChannel ch = raw.newSession();
        assertThat(raw.roundTrip(ch, "before")).isEqualTo("before");

        raw.signaling.close(); // the server tells everyone: agent_left quiet
        SignalingMessage.AgentLeft left = observer.next(SignalingMessage.AgentLeft.class, 10);
        assertThat(left).isNotNull();
        assertThat(left.agentId()).isEqualTo("quiet");
        // the observer's offer reaches the echo agent after that agent_left did: when it is answered, the echo agent
        // has handled the agent_left
        DataChannel other = observer.newSession();
        assertThat(observer.roundTrip(other, "observer")).isEqualTo("observer");

        assertThat(echo.peers()).containsExactlyInAnyOrder("quiet", "observer");
        assertThat(closed).isEmpty();
        assertThat(raw.roundTrip(ch, "after its signaling went")).isEqualTo("after its signaling went");
    }

    @Test
    void aPeerThatNeverConnectedIsClosedWhenItsAgentLeaves() throws Exception {
        RawOfferer ghost = net.track(new RawOfferer(net.factory, Loopback.config(server, "ghost").build(), "echo"));
        // a real offer, from a connection that will never take the answer or send a candidate
        PeerConnection throwaway = net.factory.createPeerConnection(RtcConfiguration.builder().addBindAddress(Loopback.LOOPBACK).build());
        throwaway.createDataChannel("never");
        RtcSessionDescription offer = throwaway.createOffer().get(5, TimeUnit.SECONDS);
        throwaway.close();
        CompletableFuture<String> closedGhost = new CompletableFuture<>();
        echo.onPeerClosed((remote, why) -> closedGhost.complete(remote + ": " + why));
        ghost.signaling.sendOffer("echo", offer.sdp()).get(5, TimeUnit.SECONDS);
        assertThat(ghost.next(SignalingMessage.Answer.class, 10)).as("the echo agent answered").isNotNull();
        assertThat(echo.peers()).contains("ghost");
        // let the echo agent finish trickling (else a late candidate to the departed ghost earns an unknown_agent
        // error, which closes the connection too, for another reason)
        SignalingMessage.Candidate c;
        do {
            c = ghost.next(SignalingMessage.Candidate.class, 10);
            assertThat(c).as("the echo agent's end-of-candidates").isNotNull();
        } while (!c.isEndOfCandidates());

        ghost.signaling.close();
        assertThat(closedGhost.get(10, TimeUnit.SECONDS)).isEqualTo("ghost: agent left");
        assertThat(echo.peers()).doesNotContain("ghost");
    }
}
