package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the echo agent does with the offers real peers send besides a plain first offer: an ICE restart re-offer is
 * answered on the same connection (which keeps echoing); an offer from a new SDP session under the same agent id (a
 * reloaded page) replaces the old connection; garbage (an SDP that does not parse, stray candidates, answers and byes)
 * is logged and answered with a bye where it names a session, and the agent keeps serving.
 */
class EchoAgentHandlesReOffersNewSessionsAndBadInput {

    private Loopback net;
    private SignalingServer server;
    private EchoAgent echo;

    @BeforeEach
    void start() throws Exception {
        net = new Loopback();
        server = net.startServer(0);
        echo = net.echo(server, "echo");
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
    }

    @Test
    void anIceRestartReOfferIsAnsweredOnTheSameConnection() throws Exception {
        RawOfferer raw = net.track(new RawOfferer(net.factory, Loopback.config(server, "restarter").build(), "echo"));
        DataChannel ch = raw.newSession();
        assertThat(raw.roundTrip(ch, "before the restart")).isEqualTo("before the restart");
        PeerConnection echoSide = echo.peerConnection("restarter").orElseThrow();
        String ufragBefore = raw.pc.remoteDescription().orElseThrow().sdp().lines()
                .filter(l -> l.startsWith("a=ice-ufrag:")).findFirst().orElseThrow();

        raw.offer(true);
        // the answer to the re-offer carries the echo agent's new ICE credentials
        SignalingMessage.Answer second = null;
        for (int i = 0; i < 2 && second == null; i++) {
            SignalingMessage.Answer a = raw.next(SignalingMessage.Answer.class, 10);
            assertThat(a).as("answer to the re-offer").isNotNull();
            if (!a.sdp().contains(ufragBefore)) {
                second = a;
            }
        }
        assertThat(second).as("an answer with new ICE credentials").isNotNull();
        awaitIceConnected(raw.pc);
        assertThat(raw.roundTrip(ch, "after the restart")).isEqualTo("after the restart");
        assertThat(echo.peerConnection("restarter")).containsSame(echoSide);
        assertThat(echo.stats().peersCreated()).isEqualTo(1);
        assertThat(echo.stats().badOffers()).isZero();
    }

    @Test
    void theAnswerCarriesTheCandidatesGatheredBeforeIt() throws Exception {
        RawOfferer raw = net.track(new RawOfferer(net.factory, Loopback.config(server, "gatherer").build(), "echo"));
        DataChannel ch = raw.newSession();
        assertThat(raw.roundTrip(ch, "hello")).isEqualTo("hello");
        List<SignalingMessage> got = new ArrayList<>(raw.inbox);
        int answerAt = -1;
        for (int i = 0; i < got.size() && answerAt < 0; i++) {
            if (got.get(i) instanceof SignalingMessage.Answer) {
                answerAt = i;
            }
        }
        assertThat(answerAt).as("an answer arrived").isNotNegative();
        SignalingMessage.Answer answer = (SignalingMessage.Answer) got.get(answerAt);
        List<String> inAnswer = answer.sdp().lines().filter(l -> l.startsWith("a=candidate:"))
                .map(l -> l.substring("a=".length())).toList();
        assertThat(inAnswer).as("the echo's host candidate, inside the answer").isNotEmpty()
                .allSatisfy(c -> assertThat(c).contains(" 127.0.0.1 "));
        // nothing came before the answer, and no candidate in it is sent again on its own
        assertThat(got.subList(0, answerAt)).noneMatch(m -> m instanceof SignalingMessage.Candidate);
        List<String> trickled = got.stream().filter(m -> m instanceof SignalingMessage.Candidate c && !c.isEndOfCandidates())
                .map(m -> ((SignalingMessage.Candidate) m).candidate()).toList();
        assertThat(trickled).doesNotContainAnyElementsOf(inAnswer);
    }

    @Test
    void anOfferFromANewSessionReplacesTheOldConnection() throws Exception {
        RawOfferer raw = net.track(new RawOfferer(net.factory, Loopback.config(server, "reloader").build(), "echo"));
        DataChannel first = raw.newSession();
        assertThat(raw.roundTrip(first, "first session")).isEqualTo("first session");
        PeerConnection oldEchoSide = echo.peerConnection("reloader").orElseThrow();
        PeerConnection oldPc = raw.pc;

        DataChannel second = raw.newSession(); // no bye: like a page reload
        assertThat(raw.roundTrip(second, "second session")).isEqualTo("second session");
        assertThat(echo.peerConnection("reloader").orElseThrow()).isNotSameAs(oldEchoSide);
        awaitState(oldEchoSide, RtcPeerConnectionState.CLOSED);
        assertThat(echo.stats().peersCreated()).isEqualTo(2);
        assertThat(echo.stats().peersClosed()).isEqualTo(1);
        assertThat(echo.peers()).containsExactly("reloader");
        oldPc.close();
    }

    @Test
    void garbageIsLoggedAndTheAgentKeepsServing() throws Exception {
        RawOfferer bad = net.track(new RawOfferer(net.factory, Loopback.config(server, "mallory").build(), "echo"));
        // stray messages for a session that does not exist
        bad.signaling.sendCandidate("echo", "candidate:1 1 udp 2130706431 127.0.0.1 9 typ host", "0", 0).get(5, TimeUnit.SECONDS);
        bad.signaling.sendCandidate("echo", "not a candidate at all", "0", 0).get(5, TimeUnit.SECONDS);
        bad.signaling.send(new SignalingMessage.Answer("echo", "v=0 nonsense")).get(5, TimeUnit.SECONDS);
        bad.signaling.sendBye("echo").get(5, TimeUnit.SECONDS);
        // an offer that does not parse: the echo agent says bye and drops that peer
        bad.signaling.sendOffer("echo", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nthis is not SDP\r\n").get(5, TimeUnit.SECONDS);
        assertThat(bad.next(SignalingMessage.Bye.class, 10)).as("bye after a bad offer").isNotNull();
        // an offer that parses but has nothing to answer with (no m= section)
        bad.signaling.sendOffer("echo", "v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n").get(5, TimeUnit.SECONDS);
        assertThat(bad.next(SignalingMessage.Bye.class, 10)).as("bye after an offer without media").isNotNull();
        assertThat(echo.stats().badOffers()).isEqualTo(2);
        assertThat(echo.peers()).doesNotContain("mallory");

        // ... and a well-behaved agent is served as usual
        ClientAgent good = net.client(server, "alice");
        try (ClientAgent.Session s = good.connect("echo", Duration.ofSeconds(20))) {
            assertThat(s.ping(50, 32, false, Duration.ofSeconds(10)).count()).isEqualTo(50);
        }
        // and the one that sent garbage can still connect properly afterwards
        DataChannel ch = bad.newSession();
        assertThat(bad.roundTrip(ch, "now a real one")).isEqualTo("now a real one");
    }

    private static void awaitIceConnected(PeerConnection pc) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.onIceConnectionStateChange(s -> {
            if (s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED) {
                f.complete(null);
            }
        });
        IceConnectionState now = pc.iceConnectionState();
        if (now == IceConnectionState.CONNECTED || now == IceConnectionState.COMPLETED) {
            return;
        }
        f.get(15, TimeUnit.SECONDS);
    }

    private static void awaitState(PeerConnection pc, RtcPeerConnectionState want) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.onConnectionStateChange(s -> {
            if (s == want) {
                f.complete(null);
            }
        });
        if (pc.connectionState() == want) {
            return;
        }
        f.get(10, TimeUnit.SECONDS);
    }
}
