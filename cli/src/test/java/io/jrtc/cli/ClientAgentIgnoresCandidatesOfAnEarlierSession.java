package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signaling identifies a session only by the two agent ids, so when an agent reconnects to the same remote at once
 * (connect, close, connect: the churn soak does it thousands of times) the remote's trailing trickle of the previous
 * session (its end-of-candidates, sent when its gathering finished, after the connection was already up) can reach the
 * new session before that session's answer. Applied there, it told ICE that the remote had no candidates at all, and
 * the new connection failed as soon as local gathering finished (seen in about 1 of 500 churn cycles). A remote sends
 * its answer before any candidate of the same session, so the client agent now drops candidates that arrive before
 * the answer.
 *
 * <p>Here a scripted remote makes the race certain: it sends an end-of-candidates ahead of its answer (as the earlier
 * session's would arrive), answers without candidates in the SDP, and trickles its real candidates (and starts its own
 * checks) only after the client's end-of-candidates, i.e. after the client finished gathering.
 */
class ClientAgentIgnoresCandidatesOfAnEarlierSession {

    private static final Duration T = Duration.ofSeconds(20);

    private Loopback net;
    private SignalingServer server;

    @BeforeEach
    void start() {
        net = new Loopback();
        server = net.startServer(0);
    }

    @AfterEach
    void stop() {
        net.close();
    }

    @Test
    void aStaleEndOfCandidatesBeforeTheAnswerDoesNotFailTheNewSession() throws Exception {
        ScriptedAnswerer remote = net.track(new ScriptedAnswerer());
        ClientAgent client = net.client(server, "c1");
        try (ClientAgent.Session s = client.connect("r", T)) {
            assertThat(s.ping(5, 64, false, T).count()).isEqualTo(5);
        }
        assertThat(remote.staleSent).as("the stale end-of-candidates went out before the answer").isTrue();
    }

    /** Agent "r": answers with a real PeerConnection, in the order described above, and echoes nothing but pings. */
    private final class ScriptedAnswerer implements AutoCloseable {
        final SignalingClient signaling;
        final List<RtcIceCandidate> localHeld = new ArrayList<>();
        final List<SignalingMessage.Candidate> remoteHeld = new ArrayList<>();
        PeerConnection pc;
        boolean released;
        boolean answered;
        boolean clientDone;
        volatile boolean staleSent;

        ScriptedAnswerer() throws Exception {
            signaling = new SignalingClient(Loopback.config(server, "r").build().signalingConfig());
            signaling.onMessage(this::onSignal);
            signaling.connect().get(10, TimeUnit.SECONDS);
        }

        // the script's state is guarded by this object's lock; nothing blocks while holding it
        private synchronized void onSignal(SignalingMessage m) {
            switch (m) {
                case SignalingMessage.Offer o -> answer(o);
                case SignalingMessage.Candidate c when !released -> {
                    remoteHeld.add(c);
                    if (c.isEndOfCandidates()) {
                        clientDone = true;
                        maybeRelease(c.from());
                    }
                }
                case SignalingMessage.Candidate c -> apply(c);
                default -> { }
            }
        }

        private void answer(SignalingMessage.Offer o) {
            pc = net.factory.createPeerConnection(Loopback.config(server, "r").build().rtcConfiguration(List.of()));
            pc.onDataChannel(ch -> ch.onMessage(msg -> {
                if (msg.isBinary()) {
                    ch.send(msg.data().duplicate());
                } else {
                    ch.send(msg.text());
                }
            }));
            pc.onIceCandidate(c -> {
                synchronized (this) {
                    if (released) {
                        send(o.from(), c);
                    } else {
                        localHeld.add(c);
                    }
                }
            });
            signaling.sendEndOfCandidates(o.from(), "0", 0); // the previous session's, late
            staleSent = true;
            pc.setRemoteDescription(RtcSessionDescription.offer(o.sdp()))
                    .thenCompose(v -> pc.createAnswer())
                    .thenCompose(a -> pc.setLocalDescription(a).thenApply(v -> a))
                    .thenAccept(a -> {
                        synchronized (this) {
                            signaling.sendAnswer(o.from(), a.sdp().lines()
                                    .filter(l -> !l.startsWith("a=candidate") && !l.startsWith("a=end-of-candidates"))
                                    .collect(Collectors.joining("\r\n", "", "\r\n")));
                            answered = true;
                            maybeRelease(o.from());
                        }
                    });
        }

        /** Once the answer is out and the client has finished gathering: our candidates out, the client's applied. */
        private void maybeRelease(String to) {
            if (!answered || !clientDone) {
                return;
            }
            released = true;
            localHeld.forEach(c -> send(to, c));
            localHeld.clear();
            remoteHeld.forEach(this::apply);
            remoteHeld.clear();
        }

        private void send(String to, RtcIceCandidate c) {
            if (c.isEndOfCandidates()) {
                signaling.sendEndOfCandidates(to, c.sdpMid(), c.sdpMLineIndex());
            } else {
                signaling.sendCandidate(to, c.candidate(), c.sdpMid(), c.sdpMLineIndex());
            }
        }

        private void apply(SignalingMessage.Candidate c) {
            pc.addIceCandidate(c.isEndOfCandidates() ? RtcIceCandidate.endOfCandidates(c.sdpMid(), c.sdpMLineIndex())
                    : new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
        }

        @Override
        public void close() {
            if (pc != null) {
                pc.close();
            }
            signaling.close();
        }
    }
}
