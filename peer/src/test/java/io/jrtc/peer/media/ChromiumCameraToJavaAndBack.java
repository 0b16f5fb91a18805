package io.jrtc.peer.media;

import io.jrtc.peer.interop.HarnessSignaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseException;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.common.SrtpProfile;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.peer.RtcStats;
import io.jrtc.peer.RtcStatsReport;
import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.srtp.codec.OpusToc;
import io.jrtc.srtp.codec.Vp8PayloadDescriptor;
import io.jrtc.srtp.codec.Vp8PayloadHeader;
import io.jrtc.srtp.rtp.RtpPacket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chromium 156 (headless, {@code --use-fake-device-for-media-stream}) inside a private network namespace offers its
 * synthetic camera and microphone (plus a data channel) to a Java PeerConnection, once with the DTLS-SRTP profile
 * forced to AEAD_AES_128_GCM and once to AES_CM_128_HMAC_SHA1_80 (Java, the DTLS client, offers only that one); and
 * once the other way round: Java offers (audio recvonly, video sendrecv, data) and Chromium answers with its camera;
 * that run starts the loopback between key frames, so Chromium's PLI must travel upstream (forwarded by Java) for
 * its decoder to start.
 *
 * <ul>
 *   <li><b>Receive:</b> Java decrypts and counts; every VP8 payload descriptor parses, key frames are found and their
 *       VP8 headers give the camera's resolution; every Opus packet's TOC parses. Java's receiver reports reach
 *       Chromium: its {@code getStats()} shows {@code remote-inbound-rtp} for its audio and video, with a round-trip
 *       time.</li>
 *   <li><b>Loopback:</b> Java re-sends the received VP8 on its own sender of the video transceiver (new SSRC,
 *       rewritten sequence numbers and timestamps), starting at a key frame; Chromium's PLIs for that stream are
 *       forwarded upstream as PLIs. Chromium's {@code getStats()} shows {@code framesDecoded > 0} for the returned
 *       track.</li>
 *   <li>Java's {@code getStats()} shows the negotiated {@code srtpCipher}, inbound and outbound RTP, and the
 *       remote-inbound RTT from Chromium's reports.</li>
 *   <li><b>Loss:</b> in one run, seams drop every 25th packet each way: Java's NACKs are answered by Chromium's RTX,
 *       Chromium's NACKs by ours, and both video streams end without loss.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChromiumCameraToJavaAndBack {

    private static final Logger LOG = LoggerFactory.getLogger(ChromiumCameraToJavaAndBack.class);
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final List<String> MEDIA_FLAGS = List.of("--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required");

    private PeerConnectionFactory factory;

    /** Fake devices, and getUserMedia on our plain-HTTP harness origin (it needs a secure context otherwise). */
    static List<String> flags(HarnessServer harness) {
        List<String> f = new java.util.ArrayList<>(MEDIA_FLAGS);
        f.add("--unsafely-treat-insecure-origin-as-secure=" + harness.baseUrl());
        return f;
    }

    @BeforeAll
    void factory() {
        factory = new PeerConnectionFactory(2);
    }

    @AfterAll
    void closeFactory() {
        if (factory != null) {
            factory.close();
        }
    }

    /** What Java saw of Chromium's media. */
    static final class Seen {
        final AtomicInteger audioPackets = new AtomicInteger();
        final AtomicInteger opusTocs = new AtomicInteger();
        final AtomicInteger badOpus = new AtomicInteger();
        final AtomicInteger videoPackets = new AtomicInteger();
        final AtomicInteger vp8Descriptors = new AtomicInteger();
        final AtomicInteger badVp8 = new AtomicInteger();
        final AtomicInteger keyFrames = new AtomicInteger();
        final AtomicInteger forwarded = new AtomicInteger();
        final AtomicInteger forwardRefused = new AtomicInteger();
        final AtomicInteger plisFromChromium = new AtomicInteger();
        final AtomicInteger plisForwarded = new AtomicInteger();
        final AtomicLong width = new AtomicLong();
        final AtomicLong height = new AtomicLong();
        final ConcurrentHashMap<Integer, Integer> opusConfigs = new ConcurrentHashMap<>();
        final AtomicBoolean forwarding = new AtomicBoolean();
        volatile boolean startMidStream;
    }

    /** Who offers. */
    enum Role { CHROMIUM_OFFERS, JAVA_OFFERS }

    @ParameterizedTest(name = "{0}, {1}, loss={2}")
    @CsvSource({"AEAD_AES_128_GCM, CHROMIUM_OFFERS, false", "AES_CM_128_HMAC_SHA1_80, CHROMIUM_OFFERS, false",
        "AEAD_AES_128_GCM, JAVA_OFFERS, false", "AES_CM_128_HMAC_SHA1_80, CHROMIUM_OFFERS, true"})
    void chromiumSendsCameraAndMicrophoneJavaReceivesAndLoopsVideoBack(SrtpProfile profile, Role role, boolean lossy) throws Exception {
        Interop.requirePeer(RemotePeer.Kind.CHROMIUM);
        try (PrivateNetwork net = PrivateNetwork.create();
             HarnessServer harness = new HarnessServer(net.hostAddress());
             RemotePeer remote = RemotePeer.chromium(net, harness.baseUrl() + "/media-page.html", false, flags(harness))) {
            assertThat(harness.await(m -> "ready".equals(m.path("event").asText()), STEP)).as("page ready").isNotNull();
            RtcConfiguration cfg = RtcConfiguration.builder().addBindAddress(net.hostAddress())
                    .dtlsTuning(DtlsConfig.builder().srtpProfiles(profile).build()).build();
            PeerConnection pc = factory.createPeerConnection(cfg);
            Seen seen = new Seen();
            try {
                if (role == Role.CHROMIUM_OFFERS) {
                    wire(pc, harness, seen, null, lossy);
                    harness.send(harness.message("config").put("role", "offerer").put("dataChannel", true));
                } else {
                    // Java offers: audio recvonly, video sendrecv (our sender loops the camera back), and a data channel.
                    pc.addTransceiver(MediaKind.AUDIO, TrackInit.builder().direction(io.jrtc.sdp.Direction.RECVONLY).build());
                    RtpSender loop = pc.addTrack(MediaKind.VIDEO, TrackInit.builder().streamId("jrtc-loopback").trackId("looped").build());
                    pc.createDataChannel("media-interop");
                    // This run starts the loopback mid-way between key frames: Chromium's decoder must ask for a key
                    // frame (PLI), which we forward upstream, or it would never decode.
                    wire(pc, harness, seen, loop, lossy);
                    seen.startMidStream = true;
                    harness.send(harness.message("config").put("role", "answerer"));
                    RtcSessionDescription offer = pc.createOffer().get(10, TimeUnit.SECONDS);
                    pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
                    harness.send(harness.message("offer").put("sdp", offer.sdp()));
                }

                waitFor("Java receives camera and microphone", () -> seen.videoPackets.get() >= 300 && seen.keyFrames.get() >= 1
                        && seen.audioPackets.get() >= 150 && seen.forwarded.get() >= 100);
                assertThat(seen.badVp8.get()).as("VP8 payload descriptors that failed to parse").isZero();
                assertThat(seen.vp8Descriptors.get()).isEqualTo(seen.videoPackets.get());
                assertThat(seen.badOpus.get()).as("Opus TOCs that failed to parse").isZero();
                assertThat(seen.opusTocs.get()).isEqualTo(seen.audioPackets.get());
                assertThat(seen.width.get()).as("key frame width").isEqualTo(640);
                assertThat(seen.height.get()).as("key frame height").isEqualTo(480);

                // Chromium's view: our reports (remote-inbound-rtp) and the decoded loopback (inbound-rtp video).
                JsonNode[] last = new JsonNode[1];
                boolean ok = pollChromiumStats(harness, s -> {
                    last[0] = s;
                    JsonNode rv = entry(s, "remote-inbound-rtp", "video");
                    JsonNode ra = entry(s, "remote-inbound-rtp", "audio");
                    JsonNode iv = entry(s, "inbound-rtp", "video");
                    return rv != null && ra != null && rv.has("roundTripTime") && iv != null
                            && iv.path("framesDecoded").asLong() >= 30;
                });
                assertThat(ok).as("Chromium stats: remote-inbound-rtp (our RRs) and decoded loopback; last: %s", last[0]).isTrue();
                JsonNode rv = entry(last[0], "remote-inbound-rtp", "video");
                JsonNode ra = entry(last[0], "remote-inbound-rtp", "audio");
                JsonNode iv = entry(last[0], "inbound-rtp", "video");
                JsonNode ov = entry(last[0], "outbound-rtp", "video");
                assertThat(rv.path("ssrc").asLong()).isEqualTo(ov.path("ssrc").asLong());
                assertThat(rv.path("roundTripTime").asDouble()).isBetween(0.0, 0.5);
                assertThat(rv.path("packetsLost").asLong()).isBetween(0L, 5L);
                assertThat(ra.path("roundTripTimeMeasurements").asLong()).isPositive();
                assertThat(iv.path("framesDecoded").asLong()).isGreaterThanOrEqualTo(30);
                if (seen.startMidStream) {
                    assertThat(seen.plisFromChromium.get()).as("Chromium asked for a key frame").isPositive();
                    assertThat(seen.plisForwarded.get()).as("and we asked upstream").isPositive();
                    assertThat(seen.keyFrames.get()).as("a key frame came in answer").isGreaterThanOrEqualTo(2);
                    assertThat(iv.path("pliCount").asLong()).isPositive();
                }
                assertThat(iv.path("frameWidth").asLong()).isEqualTo(640);

                RtcStatsReport js = pc.getStats().get(10, TimeUnit.SECONDS);
                RtcStats.Transport t = js.first(RtcStats.Transport.class).orElseThrow();
                String cipher = profile == SrtpProfile.AEAD_AES_128_GCM ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80";
                assertThat(t.srtpCipher()).isEqualTo(cipher);
                RtcStats.InboundRtp inV = inbound(js, "video");
                RtcStats.InboundRtp inA = inbound(js, "audio");
                assertThat(inV.mimeType()).isEqualTo("video/VP8");
                assertThat(inA.mimeType()).isEqualTo("audio/opus");
                assertThat(inV.packetsReceived()).isGreaterThanOrEqualTo(300);
                assertThat(inV.keyFramesReceived()).isPositive();
                assertThat(inV.jitter()).isBetween(0.0, 0.2);
                assertThat(inV.packetsLost()).isBetween(-5L, 5L);
                if (lossy) {
                    assertThat(inV.nackCount()).as("NACKs Java sent Chromium").isPositive();
                    assertThat(inV.retransmittedPacketsReceived()).as("RTX repairs from Chromium").isPositive();
                    assertThat(iv.path("nackCount").asLong()).as("NACKs Chromium sent for the loopback").isPositive();
                }
                RtcStats.OutboundRtp out = js.all(RtcStats.OutboundRtp.class).stream().filter(o -> o.kind().equals("video"))
                        .findFirst().orElseThrow();
                assertThat(out.packetsSent()).isGreaterThanOrEqualTo(100);
                if (lossy) {
                    assertThat(out.nackCount()).isPositive();
                    assertThat(out.retransmittedPacketsSent()).as("our RTX repairs for Chromium").isPositive();
                }
                RtcStats.RemoteInboundRtp rin = js.all(RtcStats.RemoteInboundRtp.class).stream()
                        .filter(r -> r.kind().equals("video")).findFirst().orElseThrow();
                assertThat(rin.reportsReceived()).isPositive();
                LOG.info("{} {} loss={}: Java received {} video packets ({} key frames, {}x{}), {} audio packets (Opus configs {}); "
                        + "forwarded {} (refused {}); PLIs from Chromium {} forwarded {}; Java inbound video jitter {} s lost {}, "
                        + "audio lost {}; Chromium: remote-inbound video rtt {} s lost {}, audio rtt {} s; loopback framesDecoded {} "
                        + "{}x{} framesReceived {} nackCount {} retransmittedPacketsReceived {}; Java remote-inbound video rtt {} s; "
                        + "srtpCipher {}; Java NACKs sent {} RTX received {}; NACKs received {} RTX sent {}",
                        profile, role, lossy, seen.videoPackets, seen.keyFrames, seen.width, seen.height, seen.audioPackets, seen.opusConfigs,
                        seen.forwarded, seen.forwardRefused, seen.plisFromChromium, seen.plisForwarded, inV.jitter(),
                        inV.packetsLost(), inA.packetsLost(), rv.path("roundTripTime").asDouble(), rv.path("packetsLost").asLong(),
                        ra.path("roundTripTime").asDouble(), iv.path("framesDecoded").asLong(), iv.path("frameWidth").asLong(),
                        iv.path("frameHeight").asLong(), iv.path("framesReceived").asLong(), iv.path("nackCount").asLong(),
                        iv.path("retransmittedPacketsReceived").asLong(), rin.roundTripTime(), t.srtpCipher(), inV.nackCount(),
                        inV.retransmittedPacketsReceived(), out.nackCount(), out.retransmittedPacketsSent());
            } finally {
                harness.send(harness.message("quit"));
                pc.close();
            }
        }
    }

    /** Wires signaling and the receive/loopback logic; {@code ourVideo} is null when the remote's offer brings the video transceiver. */
    private void wire(PeerConnection pc, HarnessServer harness, Seen seen, RtpSender ourVideo, boolean lossy) {
        pc.onTrack(e -> {
            if (e.kind() == MediaKind.AUDIO) {
                e.receiver().onRtp(ev -> {
                    seen.audioPackets.incrementAndGet();
                    RtpPacket p = ev.packet();
                    try {
                        OpusToc toc = OpusToc.parse(p.buffer(), p.payloadOffset(), p.payloadLength());
                        seen.opusTocs.incrementAndGet();
                        seen.opusConfigs.merge(toc.config(), 1, Integer::sum);
                    } catch (ParseException ex) {
                        seen.badOpus.incrementAndGet();
                    }
                });
                return;
            }
            // Reuse the offered video transceiver for our own sender: the answer says sendrecv with our SSRC and msid.
            RtpSender loop = ourVideo != null ? ourVideo
                    : pc.addTrack(MediaKind.VIDEO, TrackInit.builder().streamId("jrtc-loopback").trackId("looped").build());
            RtpReceiver receiver = e.receiver();
            if (lossy) {
                // Every 25th media packet from Chromium is lost after SRTP (video: we NACK and Chromium repairs with RTX;
                // audio has no NACK and stays lost), and every 25th packet of our loopback is lost on the way out
                // (Chromium NACKs, we repair with RTX).
                SimulatedRtpLoss.of(e.transceiver()).onReceive((ssrc, seq) -> seq % 25 == 0)
                        .onSend(loop, (ssrc, seq) -> seq % 25 == 7);
            }
            loop.onKeyFrameRequest(k -> {
                seen.plisFromChromium.incrementAndGet();
                if (receiver.requestKeyFrame()) {
                    seen.plisForwarded.incrementAndGet();
                }
            });
            receiver.onRtp(ev -> {
                seen.videoPackets.incrementAndGet();
                RtpPacket p = ev.packet();
                try {
                    Vp8PayloadDescriptor.parse(p.buffer(), p.payloadOffset(), p.payloadLength());
                    seen.vp8Descriptors.incrementAndGet();
                } catch (ParseException ex) {
                    seen.badVp8.incrementAndGet();
                }
                if (ev.keyFrameStart()) {
                    seen.keyFrames.incrementAndGet();
                    try {
                        Vp8PayloadDescriptor d = Vp8PayloadDescriptor.parse(p.buffer(), p.payloadOffset(), p.payloadLength());
                        Vp8PayloadHeader h = Vp8PayloadHeader.parse(p.buffer(), p.payloadOffset() + d.encodedLength(),
                                p.payloadLength() - d.encodedLength());
                        seen.width.set(h.width());
                        seen.height.set(h.height());
                    } catch (ParseException ex) {
                        seen.badVp8.incrementAndGet();
                    }
                    if (!seen.startMidStream) {
                        seen.forwarding.set(true);
                    }
                }
                if (seen.startMidStream && !seen.forwarding.get() && seen.videoPackets.get() > 60 && !ev.keyFrameStart()
                        && startsFrame(p)) {
                    seen.forwarding.set(true);
                }
                if (seen.forwarding.get()) {
                    if (loop.sendRtpPacket(ByteBuffer.wrap(p.buffer(), p.offset(), p.length()))) {
                        seen.forwarded.incrementAndGet();
                    } else {
                        seen.forwardRefused.incrementAndGet();
                    }
                }
            });
        });
        HarnessSignaling.attach(harness, pc);
    }

    private static boolean startsFrame(RtpPacket p) {
        try {
            return Vp8PayloadDescriptor.parse(p.buffer(), p.payloadOffset(), p.payloadLength()).startsFrame();
        } catch (ParseException ex) {
            return false;
        }
    }

    private static RtcStats.InboundRtp inbound(RtcStatsReport r, String kind) {
        return r.all(RtcStats.InboundRtp.class).stream().filter(s -> s.kind().equals(kind)).findFirst().orElseThrow();
    }

    /** The first stats entry of Chromium's report with this type and kind, or null. */
    static JsonNode entry(JsonNode stats, String type, String kind) {
        for (JsonNode e : stats.path("entries")) {
            if (type.equals(e.path("type").asText()) && kind.equals(e.path("kind").asText())) {
                return e;
            }
        }
        return null;
    }

    private static int commands;

    /** Asks the page for getStats() every 500 ms until {@code done} holds (at most 30 s). */
    static boolean pollChromiumStats(HarnessServer harness, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            String id = "stats" + ++commands;
            ObjectNode cmd = harness.message("command").put("cmd", "stats").put("id", id);
            harness.send(cmd);
            JsonNode r = harness.awaitResult(id, Duration.ofSeconds(10));
            if (r != null && done.test(r)) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    static void waitFor(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }
}
