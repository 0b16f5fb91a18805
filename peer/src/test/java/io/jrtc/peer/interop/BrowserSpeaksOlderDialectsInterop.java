package io.jrtc.peer.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.peer.ChannelTraffic;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.SctpSdpForm;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A headless browser made to speak SDP dialects it no longer writes, by rewriting its descriptions in the page
 * ({@code interop/harness/dialect-page.html}), against jrtc in a private network namespace:
 * <ul>
 *   <li>the browser offers the pre-RFC 8841 data section ({@code DTLS/SCTP 5000} + {@code a=sctpmap}, no
 *       max-message-size), applied with its own setLocalDescription; jrtc answers in that form;</li>
 *   <li>jrtc offers, the browser answers, and the answer reaches jrtc in that form;</li>
 *   <li>the browser offers without trickle: every candidate in the offer, no {@code a=ice-options:trickle}, no
 *       end-of-candidates, and no candidate signalled either way; jrtc answers with its gathered candidates;</li>
 *   <li>jrtc on an SCTP port other than 5000 (RFC 8841 section 5.1), as answerer and as offerer, on the plain page.</li>
 * </ul>
 * Each opens a data channel and echoes 500 binary messages, compared byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a browser start and a few steps of up to STEP each
abstract class BrowserSpeaksOlderDialectsInterop {

    private static final Logger LOG = LoggerFactory.getLogger(BrowserSpeaksOlderDialectsInterop.class);
    private static final Duration STEP = Duration.ofSeconds(60);
    private PeerConnectionFactory factory;

    abstract RemotePeer.Kind kind();

    abstract RemotePeer startRemote(PrivateNetwork net, String url) throws Exception;

    /** The file name prefix of this browser's descriptions in the SDP corpus. */
    abstract String corpusName();

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(2);
    }

    @AfterAll
    void stop() {
        if (factory != null) {
            factory.close();
        }
    }

    @Test
    void chromiumOffersTheSctpmapFormAndJavaAnswersInKind() throws Exception {
        run("sctpmap-sld", (pc, harness) -> {
            HarnessSignaling.attach(harness, pc);
            CompletableFuture<DataChannel> remoteInit = ChannelTraffic.remoteChannel(pc);
            harness.send(harness.message("config").put("role", "offerer"));
            JsonNode dialect = harness.await(m -> "dialect".equals(m.path("event").asText()), STEP);
            assertThat(dialect).as("the page reported its rewrite").isNotNull();
            LOG.info("{}: {}", kind(), dialect.path("text").asText());
            assertThat(dialect.path("ok").asBoolean()).as("%s: %s", kind(), dialect.path("text").asText()).isTrue();
            DataChannel ch = remoteInit.get(STEP.toSeconds(), TimeUnit.SECONDS);
            ChannelTraffic.opened(pc, ch).get(STEP.toSeconds(), TimeUnit.SECONDS);
            keep(corpusName() + "-offer-datachannel-sctpmap.sdp", pc.remoteDescription().orElseThrow().sdp());
            MediaDescription offered = data(pc.remoteDescription().orElseThrow());
            MediaDescription answered = data(pc.localDescription().orElseThrow());
            assertThat(offered.sctpForm()).contains(SctpSdpForm.SCTPMAP);
            assertThat(offered.maxMessageSize()).isEmpty();
            assertThat(answered.sctpForm()).as("answered in the offerer's form").contains(SctpSdpForm.SCTPMAP);
            assertThat(answered.proto()).isEqualTo("DTLS/SCTP");
            assertThat(answered.sctpMap().orElseThrow().number()).isEqualTo(5000);
            echo(pc, ch, 500);
        });
    }

    @Test
    void javaOffersAndChromiumAnswersInTheSctpmapForm() throws Exception {
        run("sctpmap-wire", (pc, harness) -> {
            HarnessSignaling.attach(harness, pc);
            harness.send(harness.message("config").put("role", "answerer"));
            DataChannel ch = pc.createDataChannel("java-init");
            RtcSessionDescription offer = pc.createOffer().get(10, TimeUnit.SECONDS);
            pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            harness.send(harness.message("offer").put("sdp", offer.sdp()));
            ChannelTraffic.opened(pc, ch).get(STEP.toSeconds(), TimeUnit.SECONDS);
            MediaDescription answered = data(pc.remoteDescription().orElseThrow());
            assertThat(answered.sctpForm()).contains(SctpSdpForm.SCTPMAP);
            assertThat(answered.formats()).containsExactly("5000");
            echo(pc, ch, 500);
        });
    }

    @Test
    void chromiumOffersWithoutTrickleAndJavaAnswersWithEveryCandidate() throws Exception {
        run("nontrickle", (pc, harness) -> {
            List<RtcIceCandidate> notSent = new CopyOnWriteArrayList<>();
            pc.onIceCandidate(notSent::add);
            CompletableFuture<Void> gathered = new CompletableFuture<>();
            pc.onIceGatheringStateChange(s -> {
                if (s == IceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            });
            List<JsonNode> remoteCandidates = new CopyOnWriteArrayList<>();
            CompletableFuture<String> offerText = new CompletableFuture<>();
            harness.onSignal(m -> {
                switch (m.path("type").asText()) {
                    case "offer" -> offerText.complete(m.path("sdp").asText());
                    case "candidate" -> remoteCandidates.add(m);
                    default -> LOG.warn("unexpected signal {}", m);
                }
            });
            CompletableFuture<DataChannel> remoteInit = ChannelTraffic.remoteChannel(pc);
            harness.send(harness.message("config").put("role", "offerer"));
            String offer = offerText.get(STEP.toSeconds(), TimeUnit.SECONDS);
            assertThat(offer).contains("a=candidate:").doesNotContain("a=ice-options:trickle").doesNotContain("end-of-candidates");
            pc.setRemoteDescription(RtcSessionDescription.offer(offer)).get(10, TimeUnit.SECONDS);
            assertThat(pc.canTrickleIceCandidates()).isFalse();
            pc.setLocalDescription(pc.createAnswer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
            gathered.get(STEP.toSeconds(), TimeUnit.SECONDS);
            String answer = pc.localDescription().orElseThrow().sdp();
            assertThat(answer).as("every gathered candidate is in the answer").contains("a=candidate:").contains("a=end-of-candidates");
            harness.send(harness.message("answer").put("sdp", answer));
            DataChannel ch = remoteInit.get(STEP.toSeconds(), TimeUnit.SECONDS);
            ChannelTraffic.opened(pc, ch).get(STEP.toSeconds(), TimeUnit.SECONDS);
            echo(pc, ch, 500);
            assertThat(remoteCandidates).as("the browser signalled no candidate").isEmpty();
            assertThat(notSent).as("we gathered candidates and sent them only inside the answer").isNotEmpty();
        });
    }

    /**
     * RFC 8841 section 5.1: jrtc listens on SCTP port 5001 and says so in its answer; the browser (which offered 5000)
     * must send its INIT to 5001 and accept ours from it.
     */
    @Test
    void browserOffersAndJavaAnswersFromAnotherSctpPort() throws Exception {
        runOnPage("/page.html", b -> b.sctpTuning(io.jrtc.sctp.SctpConfig.builder().localPort(5001).build()), (pc, harness) -> {
            HarnessSignaling.attach(harness, pc);
            CompletableFuture<DataChannel> remoteInit = ChannelTraffic.remoteChannel(pc);
            harness.send(harness.message("config").put("role", "offerer"));
            DataChannel ch = remoteInit.get(STEP.toSeconds(), TimeUnit.SECONDS);
            ChannelTraffic.opened(pc, ch).get(STEP.toSeconds(), TimeUnit.SECONDS);
            assertThat(data(pc.remoteDescription().orElseThrow()).sctpPortOrDefault()).isEqualTo(5000);
            assertThat(pc.localDescription().orElseThrow().sdp()).contains("a=sctp-port:5001\r\n");
            echo(pc, ch, 200);
        });
    }

    /** jrtc offers from SCTP port 6000; the browser answers 5000 and talks to 6000. */
    @Test
    void javaOffersFromAnotherSctpPort() throws Exception {
        runOnPage("/page.html", b -> b.sctpTuning(io.jrtc.sctp.SctpConfig.builder().localPort(6000).build()), (pc, harness) -> {
            HarnessSignaling.attach(harness, pc);
            harness.send(harness.message("config").put("role", "answerer"));
            DataChannel ch = pc.createDataChannel("port-6000");
            RtcSessionDescription offer = pc.createOffer().get(10, TimeUnit.SECONDS);
            assertThat(offer.sdp()).contains("a=sctp-port:6000\r\n");
            pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            harness.send(harness.message("offer").put("sdp", offer.sdp()));
            ChannelTraffic.opened(pc, ch).get(STEP.toSeconds(), TimeUnit.SECONDS);
            assertThat(data(pc.remoteDescription().orElseThrow()).sctpPortOrDefault()).isEqualTo(5000);
            echo(pc, ch, 200);
        });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    interface Scenario {
        void run(PeerConnection pc, HarnessServer harness) throws Exception;
    }

    private void run(String dialect, Scenario scenario) throws Exception {
        runOnPage("/dialect-page.html?dialect=" + dialect, b -> b, scenario);
    }

    private void runOnPage(String page, java.util.function.UnaryOperator<RtcConfiguration.Builder> tune, Scenario scenario)
            throws Exception {
        Interop.requirePeer(kind());
        try (PrivateNetwork net = PrivateNetwork.create();
             HarnessServer harness = new HarnessServer(net.hostAddress());
             RemotePeer remote = startRemote(net, harness.baseUrl() + page)) {
            assertThat(harness.await(m -> "ready".equals(m.path("event").asText()), STEP)).as("remote ready").isNotNull();
            PeerConnection pc = factory.createPeerConnection(tune.apply(RtcConfiguration.builder().addBindAddress(net.hostAddress())).build());
            try {
                scenario.run(pc, harness);
                assertThat(pc.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
            } finally {
                harness.send(harness.message("quit"));
                pc.close();
            }
        }
    }

    /**
     * Keeps a remote description under {@code target/interop-logs/sdp/} for the SDP corpus. The remote description is
     * our re-serialisation, byte-identical to what Chromium sent (canonical CRLF text round-trips exactly).
     */
    static void keep(String file, String sdp) {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "interop-logs", "sdp"));
            java.nio.file.Files.writeString(dir.resolve(file), sdp);
        } catch (java.io.IOException e) {
            LOG.warn("could not keep {}: {}", file, e.toString());
        }
    }

    private static MediaDescription data(RtcSessionDescription d) throws Exception {
        return SessionDescription.parse(d.sdp()).media().stream().filter(MediaDescription::isDataChannel).findFirst()
                .orElseThrow(() -> new AssertionError("no data section in " + d.sdp()));
    }

    /** Java sends {@code count} binary messages (up to 60,000 bytes: under the 64 KiB default); the remote echoes each. */
    static void echo(PeerConnection pc, DataChannel ch, int count) throws Exception {
        ChannelTraffic.echoBinary(pc, ch, count, i -> 8 + (i * 997) % 60_000, STEP, i -> "echo #" + i);
    }
}
