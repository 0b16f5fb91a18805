package io.jrtc.signaling.client;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real clients against a real server: registration with ice_servers, presence, every relayed message type
 * as typed records with "from", errors through onMessage, and every callback on the client's event loop.
 */
class ClientRegistersAndRelaysThroughRealServer {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void typedMessagesFlowBothWaysAndCallbacksRunOnTheClientLoop() throws Exception {
        SignalingServer s = t.start(SignalingServerConfig.builder()
                .stunUrls(List.of("stun:127.0.0.1:3478")).turnUrls(List.of("turn:127.0.0.1:3478"))
                .turnSecret("ts"));
        SignalingClient alice = t.client(TestServers.uri(s), "alice");
        SignalingClient bob = t.client(TestServers.uri(s), "bob");
        Inbox<SignalingMessage> atAlice = new Inbox<>();
        Inbox<SignalingMessage> atBob = new Inbox<>();
        Inbox<ConnectionState> aliceStates = new Inbox<>();
        alice.onMessage(atAlice).onStateChange(aliceStates);
        bob.onMessage(atBob);

        SignalingMessage.Registered ra = alice.connect().get(10, TimeUnit.SECONDS);
        assertThat(ra.agentId()).isEqualTo("alice");
        assertThat(ra.connectedAgents()).isEmpty();
        assertThat(ra.protocolVersion()).isEqualTo(1);
        assertThat(ra.iceServers()).hasSize(2);
        assertThat(ra.iceServers().get(0).urls()).containsExactly("stun:127.0.0.1:3478");
        assertThat(ra.iceServers().get(1).username()).endsWith(":alice");
        assertThat(ra.iceServers().get(1).credential()).isNotBlank();
        assertThat(alice.state()).isEqualTo(ConnectionState.REGISTERED);
        assertThat(aliceStates.next()).isEqualTo(ConnectionState.REGISTERED);
        assertThat(alice.lastRegistered()).contains(ra);

        SignalingMessage.Registered rb = bob.connect().get(10, TimeUnit.SECONDS);
        assertThat(rb.connectedAgents()).containsExactly("alice");
        assertThat(bob.presentAgents()).containsExactly("alice");
        assertThat(atAlice.next(SignalingMessage.AgentJoined.class).agentId()).isEqualTo("bob");
        assertThat(alice.presentAgents()).containsExactly("bob");

        alice.sendOffer("bob", "v=0 offer").get(5, TimeUnit.SECONDS);
        SignalingMessage.Offer offer = atBob.next(SignalingMessage.Offer.class);
        assertThat(offer).isEqualTo(new SignalingMessage.Offer("bob", "alice", "v=0 offer"));
        assertThat(atBob.lastThread.getName()).startsWith("jrtc-signaling-client");

        bob.sendAnswer("alice", "v=0 answer");
        assertThat(atAlice.next(SignalingMessage.Answer.class)).isEqualTo(new SignalingMessage.Answer("alice", "bob", "v=0 answer"));
        assertThat(atAlice.lastThread.getName()).startsWith("jrtc-signaling-client");

        alice.sendCandidate("bob", "candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host", "0", 0);
        alice.sendEndOfCandidates("bob", "0", 0);
        SignalingMessage.Candidate c = atBob.next(SignalingMessage.Candidate.class);
        assertThat(c.candidate()).startsWith("candidate:1 ");
        assertThat(c.from()).isEqualTo("alice");
        assertThat(c.isEndOfCandidates()).isFalse();
        SignalingMessage.Candidate eoc = atBob.next(SignalingMessage.Candidate.class);
        assertThat(eoc.isEndOfCandidates()).isTrue();
        assertThat(eoc.sdpMid()).isEqualTo("0");
        assertThat(eoc.sdpMLineIndex()).isZero();

        bob.sendBye("alice");
        assertThat(atAlice.next(SignalingMessage.Bye.class).from()).isEqualTo("bob");

        alice.send(new SignalingMessage.Offer("nobody", "v=0"));
        SignalingMessage.Error e = atAlice.next(SignalingMessage.Error.class);
        assertThat(e.code()).isEqualTo(SignalingMessage.Error.UNKNOWN_AGENT);
        assertThat(e.to()).isEqualTo("nobody");

        bob.closeAsync().get(5, TimeUnit.SECONDS);
        assertThat(bob.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(atAlice.next(SignalingMessage.AgentLeft.class).agentId()).isEqualTo("bob");
        assertThat(alice.presentAgents()).isEmpty();
        assertThat(atAlice.poll(Duration.ofMillis(200))).isNull();
    }

    @Test
    void connectTwiceIsMisuse() {
        SignalingServer s = t.start();
        SignalingClient c = t.client(TestServers.uri(s), "once");
        c.connect();
        org.assertj.core.api.Assertions.assertThatThrownBy(c::connect).isInstanceOf(IllegalStateException.class);
    }
}
