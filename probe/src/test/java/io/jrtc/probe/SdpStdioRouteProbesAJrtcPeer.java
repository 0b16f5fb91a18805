package io.jrtc.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceGatheringState;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcSessionDescription;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code --sdp-stdio} route end to end: the probe prints its descriptions into a pipe and reads the other side's
 * from another; on the far end a jrtc peer that does not trickle reads and answers (or offers), as a person or a
 * script would.
 */
class SdpStdioRouteProbesAJrtcPeer {

    @ParameterizedTest
    @EnumSource(Role.class)
    void scenariosRunOverManuallyExchangedDescriptions(Role role) throws Exception {
        PipedOutputStream probeOut = new PipedOutputStream();
        BufferedReader farIn = new BufferedReader(new InputStreamReader(new PipedInputStream(probeOut, 1 << 16), StandardCharsets.UTF_8));
        PipedOutputStream farOut = new PipedOutputStream();
        BufferedReader probeIn = new BufferedReader(new InputStreamReader(new PipedInputStream(farOut, 1 << 16), StandardCharsets.UTF_8));
        PrintStream far = new PrintStream(farOut, true, StandardCharsets.UTF_8);
        List<PeerConnection> remotes = new java.util.concurrent.CopyOnWriteArrayList<>();
        // run in the catalogue's order: ice-trickle, ice-restart (connection 2 gets a second exchange), then the rest
        List<String> ids = List.of("dcep-channel-types-local", "dcep-channel-types-remote", "max-message-size", "ice-trickle",
                "ice-restart");
        PeerConnectionFactory factory = new PeerConnectionFactory();
        try {
            Thread farEnd = Thread.ofVirtual().start(() -> {
                try {
                    for (int k = 0; k < ids.size(); k++) {
                        PeerConnection pc = factory.createPeerConnection(RtcConfiguration.builder()
                                .addBindAddress(InetAddress.getLoopbackAddress()).build());
                        remotes.add(pc);
                        pc.onDataChannel(ch -> ch.onMessage(m -> {
                            if (m.isBinary()) {
                                ch.send(m.data().duplicate());
                            } else {
                                ch.send(m.text());
                            }
                        }));
                        if (role == Role.OFFERER) {
                            pc.setRemoteDescription(RtcSessionDescription.offer(readBlock(farIn))).get(5, TimeUnit.SECONDS);
                            pc.setLocalDescription(pc.createAnswer().get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS);
                        } else {
                            readBlock(farIn); // the instruction line ends with nothing to read: skip to the offer
                            pc.createDataChannel("far-init");
                            pc.setLocalDescription(pc.createOffer().get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS);
                        }
                        far.print(gathered(pc));
                        far.print("\r\n\r\n");
                        far.flush();
                        if (role == Role.ANSWERER) {
                            pc.setRemoteDescription(RtcSessionDescription.answer(readBlock(farIn))).get(5, TimeUnit.SECONDS);
                        }
                        if (k == 1) { // ice-restart: a second exchange on the same connection, with new credentials
                            CompletableFuture<Void> end = new CompletableFuture<>();
                            pc.onIceCandidate(c -> {
                                if (c.isEndOfCandidates()) {
                                    end.complete(null);
                                }
                            });
                            if (role == Role.OFFERER) {
                                pc.setRemoteDescription(RtcSessionDescription.offer(readBlock(farIn))).get(5, TimeUnit.SECONDS);
                                pc.setLocalDescription(pc.createAnswer().get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS);
                            } else {
                                readBlock(farIn); // "send an offer with new ICE credentials"
                                pc.setLocalDescription(pc.createOffer(true).get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS);
                            }
                            end.get(10, TimeUnit.SECONDS);
                            far.print(pc.localDescription().orElseThrow().sdp());
                            far.print("\r\n\r\n");
                            far.flush();
                            if (role == Role.ANSWERER) {
                                pc.setRemoteDescription(RtcSessionDescription.answer(readBlock(farIn))).get(5, TimeUnit.SECONDS);
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ProbeReport report;
            try (SdpStdioTarget target = new SdpStdioTarget(probeIn, new java.io.PrintWriter(new java.io.OutputStreamWriter(probeOut, StandardCharsets.UTF_8), true),
                    List.of(InetAddress.getLoopbackAddress()))) {
                report = Probe.builder().roles(List.of(role)).only(ids).build().run(target);
            }
            farEnd.join(10_000);
            assertThat(report.results(ids.get(0)).get(0).verdict()).as(report.results(ids.get(0)).get(0).detail()).isEqualTo(Verdict.PASS);
            assertThat(report.results(ids.get(1)).get(0).verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
            assertThat(report.results(ids.get(1)).get(0).detail()).contains("cannot ask the target");
            assertThat(report.results(ids.get(2)).get(0).verdict()).as(report.results(ids.get(2)).get(0).detail()).isEqualTo(Verdict.PASS);
            // whole descriptions only: nothing trickles; an ICE restart is a second exchange on the same connection
            assertThat(report.results("ice-trickle").get(0).verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
            assertThat(report.results("ice-trickle").get(0).detail()).contains("nothing trickles");
            ScenarioResult restart = report.results("ice-restart").get(0);
            assertThat(restart.verdict()).as(restart.detail() + "\n" + restart.evidence()).isEqualTo(Verdict.PASS);
            assertThat(restart.detail()).contains("the target's checks use the new credentials", "DTLS was not run again");
        } finally {
            remotes.forEach(PeerConnection::close);
            factory.close();
        }
    }

    /** Reads one description: lines up to an empty line, without the probe's '#' instruction lines. */
    private static String readBlock(BufferedReader in) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                if (b.length() > 0) {
                    break;
                }
                continue;
            }
            if (line.startsWith("#")) {
                if (b.length() == 0 && line.contains("send an offer")) {
                    return "";
                }
                continue;
            }
            b.append(line.strip()).append("\r\n");
        }
        return b.toString();
    }

    private static String gathered(PeerConnection pc) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pc.onIceGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                done.complete(null);
            }
        });
        if (pc.iceGatheringState() == IceGatheringState.COMPLETE) {
            done.complete(null);
        }
        done.get(10, TimeUnit.SECONDS);
        return pc.localDescription().orElseThrow().sdp();
    }
}
