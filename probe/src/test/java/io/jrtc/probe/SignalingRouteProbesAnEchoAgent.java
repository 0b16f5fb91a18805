package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.jrtc.signaling.client.SignalingMessage;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code --signaling URL --target ID} route end to end: a jrtc signaling server on loopback, and an echo agent
 * registered on it that answers every offer and echoes every message (as {@code ./jrtc echo} does).
 */
class SignalingRouteProbesAnEchoAgent {

    @Test
    void scenariosRunAgainstAnAgentFoundThroughTheSignalingServer() throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .rateLimit(2000, 4000).drainTimeout(Duration.ofSeconds(1)).build());
        server.start().orTimeout(20, TimeUnit.SECONDS).join();
        URI uri = URI.create("ws://127.0.0.1:" + server.boundPort() + "/ws");
        Map<String, PeerConnection> peers = new ConcurrentHashMap<>();
        try (PeerConnectionFactory factory = new PeerConnectionFactory();
                SignalingClient echo = new SignalingClient(SignalingClientConfig.builder(uri, "echo-target").build())) {
            echo.onMessage(m -> {
                switch (m) {
                    case SignalingMessage.Offer o -> {
                        // a re-offer (an ICE restart) is answered on the existing connection, as ./jrtc echo does
                        PeerConnection pc = peers.computeIfAbsent(o.from(), from -> {
                            PeerConnection p = factory.createPeerConnection(RtcConfiguration.builder()
                                    .addBindAddress(InetAddress.getLoopbackAddress()).build());
                            p.onDataChannel(ch -> ch.onMessage(msg -> {
                                if (msg.isBinary()) {
                                    ch.send(msg.data().duplicate());
                                } else {
                                    ch.send(msg.text());
                                }
                            }));
                            p.onIceCandidate(c -> echo.send(new SignalingMessage.Candidate(from, c.candidate(), c.sdpMid(), c.sdpMLineIndex())));
                            return p;
                        });
                        pc.setRemoteDescription(RtcSessionDescription.offer(o.sdp()))
                                .thenCompose(v -> pc.createAnswer())
                                .thenCompose(a -> pc.setLocalDescription(a).thenApply(v -> a))
                                .thenAccept(a -> echo.send(new SignalingMessage.Answer(o.from(), a.sdp())));
                    }
                    case SignalingMessage.Candidate c -> add(peers.get(c.from()), c);
                    case SignalingMessage.Candidates cs -> cs.candidates().forEach(c -> add(peers.get(cs.from()), c));
                    case SignalingMessage.Bye b -> {
                        PeerConnection pc = peers.remove(b.from());
                        if (pc != null) {
                            pc.close();
                        }
                    }
                    default -> { }
                }
            });
            echo.connect().get(10, TimeUnit.SECONDS);
            List<String> ids = List.of("dcep-non-ascii-strings", "empty-message-ppids", "recovery-after-loss", "dcep-channel-types-remote",
                    "ice-trickle", "ice-restart");
            ProbeReport report;
            try (SignalingTarget target = new SignalingTarget(uri, "echo-target", null, List.of(InetAddress.getLoopbackAddress()))) {
                report = Probe.builder().roles(List.of(Role.OFFERER)).only(ids).build().run(target);
            }
            for (String id : ids.subList(0, 3)) {
                ScenarioResult r = report.results(id).get(0);
                assertThat(r.verdict()).as(id + ": " + r.detail()).isEqualTo(Verdict.PASS);
            }
            assertThat(report.results("dcep-channel-types-remote").get(0).verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
            // the route trickles both ways, and the echo agent answers jrtc's ICE-restart re-offer on the same connection
            ScenarioResult trickle = report.results("ice-trickle").get(0);
            assertThat(trickle.verdict()).as(trickle.detail()).isEqualTo(Verdict.PASS);
            assertThat(trickle.detail()).contains("signalled its end-of-candidates");
            ScenarioResult restart = report.results("ice-restart").get(0);
            assertThat(restart.verdict()).as(restart.detail()).isEqualTo(Verdict.PASS);
            assertThat(restart.detail()).contains("the target's checks use the new credentials", "DTLS was not run again");
            assertThat(report.target()).isEqualTo("echo-target");
        } finally {
            peers.values().forEach(PeerConnection::close);
            server.close();
        }
    }

    private static void add(PeerConnection pc, SignalingMessage.Candidate c) {
        if (pc != null) {
            pc.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
        }
    }
}
