package io.jrtc.peer.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceRole;
import io.jrtc.peer.ChannelTraffic;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.testkit.interop.GoProgram;
import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jrtc against an ice-lite peer: Debian's Pion 3.1 with {@code SettingEngine.SetLite(true)}
 * ({@code interop/pion-lite}), built offline in GOPATH mode and run in a private network namespace. Neither side
 * trickles: each description carries every candidate. A lite agent sends no checks and is always controlled, so
 * whichever side offers, jrtc must be controlling and must nominate (RFC 8445 sections 6.1.1 and 8.1): Pion only
 * reports ICE connected, and only then starts DTLS, once a check of ours carried USE-CANDIDATE. A data channel then
 * opens and 200 binary messages are echoed by Pion, compared byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 8, unit = TimeUnit.MINUTES) // an offline go build (first run) and two connections
class PionIceLiteInterop {

    private static final Logger LOG = LoggerFactory.getLogger(PionIceLiteInterop.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(30);

    private PeerConnectionFactory factory;
    private Path binary;
    private String unavailable;

    @BeforeAll
    void build() throws Exception {
        unavailable = RemotePeer.unavailableReason(RemotePeer.Kind.PION);
        if (unavailable != null) {
            return;
        }
        binary = GoProgram.build(HarnessServer.repoRoot().resolve("interop/pion-lite"), Path.of("target", "pion-lite"),
                "pion-lite");
        factory = new PeerConnectionFactory(1);
    }

    @AfterAll
    void clean() throws IOException {
        if (factory != null) {
            factory.close();
        }
    }

    @ParameterizedTest(name = "{0} offers")
    @ValueSource(strings = {"jrtc", "pion"})
    void weAreControllingAndNominateAgainstAnIceLitePeer(String offerer) throws Exception {
        Interop.require("pion", unavailable);
        try (PrivateNetwork net = PrivateNetwork.create()) {
            List<String> argv = net.command(binary.toString(), "-ip", net.peerAddress().getHostAddress(),
                    "-role", offerer.equals("jrtc") ? "answer" : "offer");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("PIONS_LOG_WARN", "sctp,dtls,ice");   // Pion's own account of what it refuses
            Process pion = pb.start();
            BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(pion.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        LOG.info("pion: {}", line.length() > 200 ? line.substring(0, 200) + "..." : line);
                        if (line.startsWith("{")) {
                            events.add(JSON.readTree(line));   // our JSON lines; Pion's own log lines share stdout
                        }
                    }
                } catch (IOException e) {
                    LOG.debug("pion output ended: {}", e.toString());
                }
            });
            PeerConnection pc = factory.createPeerConnection(RtcConfiguration.builder().addBindAddress(net.hostAddress()).build());
            List<JsonNode> seen = new ArrayList<>();
            try (OutputStream toPion = pion.getOutputStream()) {
                CompletableFuture<Void> gathered = new CompletableFuture<>();
                pc.onIceGatheringStateChange(s -> {
                    if (s == IceGatheringState.COMPLETE) {
                        gathered.complete(null);
                    }
                });
                CompletableFuture<DataChannel> channel = new CompletableFuture<>();
                String liteDescription;
                if (offerer.equals("jrtc")) {
                    channel.complete(pc.createDataChannel("java-init"));
                    pc.setLocalDescription(pc.createOffer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
                    gathered.get(STEP.toSeconds(), TimeUnit.SECONDS);
                    send(toPion, "offer", pc.localDescription().orElseThrow().sdp());
                    liteDescription = await(events, seen, m -> "answer".equals(m.path("type").asText())).path("sdp").asText();
                    pc.setRemoteDescription(RtcSessionDescription.answer(liteDescription)).get(10, TimeUnit.SECONDS);
                } else {
                    pc.onDataChannel(channel::complete);
                    liteDescription = await(events, seen, m -> "offer".equals(m.path("type").asText())).path("sdp").asText();
                    pc.setRemoteDescription(RtcSessionDescription.offer(liteDescription)).get(10, TimeUnit.SECONDS);
                    pc.setLocalDescription(pc.createAnswer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
                    gathered.get(STEP.toSeconds(), TimeUnit.SECONDS);
                    send(toPion, "answer", pc.localDescription().orElseThrow().sdp());
                }
                BrowserSpeaksOlderDialectsInterop.keep("pion3.1.56-" + (offerer.equals("jrtc") ? "answer" : "offer")
                        + "-datachannel-icelite-nontrickle.sdp", liteDescription);
                assertThat(SessionDescription.parse(liteDescription).iceLite()).as("Pion wrote a=ice-lite").isTrue();
                assertThat(pc.iceRole()).as("against a lite peer we control").isEqualTo(IceRole.CONTROLLING);

                JsonNode iceUp = await(events, seen, m -> "ice".equals(m.path("event").asText())
                        && "connected".equals(m.path("state").asText()));
                assertThat(iceUp).as("Pion (lite, controlled) selected the pair we nominated").isNotNull();
                long deadline = System.nanoTime() + STEP.toNanos();
                while (pc.connectionState() != RtcPeerConnectionState.CONNECTED && System.nanoTime() < deadline) {
                    awaitState(pc, deadline);
                }
                assertThat(pc.connectionState()).as("ICE and DTLS up on our side").isEqualTo(RtcPeerConnectionState.CONNECTED);
                assertThat(pc.selectedCandidatePair()).isPresent();
                // SCTP over it: Pion 3.1 refuses our first INIT (an INIT parameter it does not know), the fallback INIT
                // without it is taken (see sctp/README.md).
                DataChannel ch = channel.get(STEP.toSeconds(), TimeUnit.SECONDS);
                ChannelTraffic.opened(pc, ch).get(STEP.toSeconds(), TimeUnit.SECONDS);
                BrowserSpeaksOlderDialectsInterop.echo(pc, ch, 200);
            } finally {
                pc.close();
                pion.destroy();
                if (!pion.waitFor(5, TimeUnit.SECONDS)) {
                    pion.destroyForcibly();
                }
                reader.join(5_000);
            }
        }
    }

    private static void awaitState(PeerConnection pc, long deadline) throws InterruptedException {
        CompletableFuture<RtcPeerConnectionState> next = new CompletableFuture<>();
        pc.onConnectionStateChange(next::complete);
        if (pc.connectionState() == RtcPeerConnectionState.CONNECTED) {
            return;
        }
        try {
            next.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the loop re-checks the state and the deadline
        }
    }

    private static void send(OutputStream to, String type, String sdp) throws IOException {
        to.write(JSON.writeValueAsBytes(JSON.createObjectNode().put("type", type).put("sdp", sdp)));
        to.write('\n');
        to.flush();
    }

    private static JsonNode await(BlockingQueue<JsonNode> events, List<JsonNode> seen, Predicate<JsonNode> match)
            throws InterruptedException {
        for (JsonNode m : seen) {
            if (match.test(m)) {
                seen.remove(m);
                return m;
            }
        }
        long deadline = System.nanoTime() + STEP.toNanos();
        for (;;) {
            JsonNode m = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                return null;
            }
            if ("error".equals(m.path("event").asText())) {
                throw new AssertionError("Pion failed: " + m);
            }
            if (match.test(m)) {
                return m;
            }
            seen.add(m);
        }
    }
}
