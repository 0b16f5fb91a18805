package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.peer.RtcStats;
import io.jrtc.peer.RtcStatsReport;
import io.jrtc.sdp.Direction;
import io.jrtc.sdp.SessionDescription;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java to Java over real UDP on 127.0.0.1: one PeerConnection pair carries a data channel, an audio track and a video
 * track each way on one BUNDLEd transport. Both sides send synthetic RTP (Opus-shaped audio every 20 ms, VP8-shaped
 * video at 30 frames per second, a key frame every second). A's video sender loses every 10th original packet on the
 * way out (the test seam {@link SimulatedRtpLoss}): B's NACKs bring each one back by RTX, so B ends with
 * every packet, byte for byte, and a cumulative loss of 0. Midway, A restarts ICE (new credentials on both sides, a
 * new check list) and renegotiates; media and data keep flowing, SRTP keys stay (DTLS is not redone).
 */
class MediaAndDataShareOneBundleAcrossIceRestart {

    private static final Logger LOG = LoggerFactory.getLogger(MediaAndDataShareOneBundleAcrossIceRestart.class);

    record Sent(long timestamp, int hash) {
    }

    /** Collects one receiver's packets. */
    static final class Sink {
        final Set<Sent> got = ConcurrentHashMap.newKeySet();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger keyFrames = new AtomicInteger();
        final AtomicInteger retransmitted = new AtomicInteger();

        void attach(RtpReceiver r) {
            r.onRtp(e -> {
                got.add(new Sent(e.timestamp(), Arrays.hashCode(e.payloadCopy())));
                delivered.incrementAndGet();
                if (e.keyFrameStart()) {
                    keyFrames.incrementAndGet();
                }
                if (e.retransmitted()) {
                    retransmitted.incrementAndGet();
                }
            });
        }
    }

    /** Sends synthetic audio and video from one side, on its loop. */
    static final class Source {
        final PeerConnection pc;
        final RtpSender audio;
        final RtpSender video;
        final Set<Sent> audioSent = ConcurrentHashMap.newKeySet();
        final Set<Sent> videoSent = ConcurrentHashMap.newKeySet();
        int tick;
        int frame;
        ScheduledFuture<?> task;

        Source(PeerConnection pc, RtpSender audio, RtpSender video) {
            this.pc = pc;
            this.audio = audio;
            this.video = video;
        }

        void start() {
            task = pc.eventLoop().scheduleAtFixedRate(this::tick, 0, 10, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            int t = tick++;
            if (t % 2 == 0 && audio.canSend()) {
                byte[] opus = SyntheticMedia.opus(t, 60);
                long ts = 480L * t;
                if (audio.sendRtp("opus", ts, false, ByteBuffer.wrap(opus))) {
                    audioSent.add(new Sent(ts, Arrays.hashCode(opus)));
                }
            }
            if (t % 3 == 0 && video.canSend()) {
                int f = frame++;
                List<byte[]> packets = SyntheticMedia.vp8Frame(f, f % 30 == 0, 3, 1000);
                long ts = 3000L * f;
                for (int i = 0; i < packets.size(); i++) {
                    if (video.sendRtp("VP8", ts, i == packets.size() - 1, ByteBuffer.wrap(packets.get(i)))) {
                        videoSent.add(new Sent(ts, Arrays.hashCode(packets.get(i))));
                    }
                }
            }
        }

        void stop() throws Exception {
            pc.eventLoop().submit(() -> task.cancel(false)).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void mediaBothWaysWithLossRepairedAndAnIceRestartInTheMiddle() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2)) {
            RtcConfiguration cfg = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
            PeerConnection a = factory.createPeerConnection(cfg);
            PeerConnection b = factory.createPeerConnection(cfg);
            a.onIceCandidate(c -> b.addIceCandidate(c));
            b.onIceCandidate(c -> a.addIceCandidate(c));
            try {
                Sink bAudio = new Sink();
                Sink bVideo = new Sink();
                Sink aAudio = new Sink();
                Sink aVideo = new Sink();
                List<TrackEvent> tracksAtB = new CopyOnWriteArrayList<>();
                List<TrackEvent> tracksAtA = new CopyOnWriteArrayList<>();
                b.onTrack(e -> {
                    tracksAtB.add(e);
                    (e.kind() == MediaKind.AUDIO ? bAudio : bVideo).attach(e.receiver());
                });
                a.onTrack(e -> {
                    tracksAtA.add(e);
                    (e.kind() == MediaKind.AUDIO ? aAudio : aVideo).attach(e.receiver());
                });
                List<String> messagesAtB = new CopyOnWriteArrayList<>();
                b.onDataChannel(ch -> ch.onMessage(m -> messagesAtB.add(m.text())));

                DataChannel chat = a.createDataChannel("chat");
                RtpSender aAudioSender = a.addTrack(MediaKind.AUDIO, TrackInit.builder().streamId("streamA").build());
                RtpSender aVideoSender = a.addTrack(MediaKind.VIDEO, TrackInit.builder().streamId("streamA").build());
                // B adds its tracks before the offer: W3C associates them with the offered m-sections of their kind.
                RtpSender bAudioSender = b.addTrack(MediaKind.AUDIO);
                RtpSender bVideoSender = b.addTrack(MediaKind.VIDEO);
                SimulatedRtpLoss.of(aVideoSender).onSend(aVideoSender, (ssrc, seq) -> seq % 10 == 0);

                negotiate(a, b);
                SessionDescription offer = SessionDescription.parse(a.localDescription().orElseThrow().sdp());
                assertThat(offer.media()).extracting(m -> m.kind()).containsExactly("application", "audio", "video");
                assertThat(offer.bundleGroups().get(0).mids()).containsExactly("0", "1", "2");
                CompletableFuture<Void> open = new CompletableFuture<>();
                a.execute(() -> {
                    if (chat.readyState() == DataChannelState.OPEN) {
                        open.complete(null);
                    } else {
                        chat.onOpen(() -> open.complete(null));
                    }
                });
                open.get(10, TimeUnit.SECONDS);
                assertThat(tracksAtB).extracting(TrackEvent::kind).containsExactly(MediaKind.AUDIO, MediaKind.VIDEO);
                assertThat(tracksAtB.get(0).streamIds()).containsExactly("streamA");
                assertThat(tracksAtA).extracting(TrackEvent::kind).containsExactly(MediaKind.AUDIO, MediaKind.VIDEO);
                for (RtpTransceiver t : a.getTransceivers()) {
                    assertThat(t.currentDirection()).isEqualTo(Direction.SENDRECV);
                }
                assertThat(b.getTransceivers()).hasSize(2);

                Source fromA = new Source(a, aAudioSender, aVideoSender);
                Source fromB = new Source(b, bAudioSender, bVideoSender);
                fromA.start();
                fromB.start();
                a.execute(() -> chat.send("before restart"));

                waitFor(() -> fromA.frame >= 45, 10);
                String ufragBefore = ufrag(a);
                a.restartIce();
                negotiate(a, b);
                assertThat(ufrag(a)).isNotEqualTo(ufragBefore);
                a.execute(() -> chat.send("after restart"));
                int framesAtRestart = fromA.frame;
                waitFor(() -> fromA.frame >= framesAtRestart + 45, 10);
                // The loss ends two frames before the stream does: a lost last packet has nothing after it to show B
                // the gap, so no NACK could ever ask for it.
                SimulatedRtpLoss.of(aVideoSender).onSend(aVideoSender, null);
                int framesAtLossOff = fromA.frame;
                waitFor(() -> fromA.frame >= framesAtLossOff + 2, 10);
                fromA.stop();
                fromB.stop();
                // Let the last NACKs and RTX repairs land.
                waitFor(() -> bVideo.got.size() == fromA.videoSent.size() && aVideo.got.size() == fromB.videoSent.size(), 10);

                assertThat(bVideo.got).as("B got every video packet A sent").isEqualTo(fromA.videoSent);
                assertThat(bVideo.delivered.get()).as("each exactly once").isEqualTo(fromA.videoSent.size());
                assertThat(aVideo.got).isEqualTo(fromB.videoSent);
                assertThat(bVideo.keyFrames.get()).isEqualTo((fromA.frame + 29) / 30);
                assertThat(bVideo.retransmitted.get()).as("repairs delivered").isGreaterThanOrEqualTo(fromA.videoSent.size() / 10 - 1);
                assertThat(bAudio.got.size()).isGreaterThanOrEqualTo(fromA.audioSent.size() * 95 / 100);
                assertThat(aAudio.got.size()).isGreaterThanOrEqualTo(fromB.audioSent.size() * 95 / 100);
                waitFor(() -> messagesAtB.size() == 2, 5);
                assertThat(messagesAtB).containsExactly("before restart", "after restart");

                RtcStatsReport rb = b.getStats().get(5, TimeUnit.SECONDS);
                RtcStats.InboundRtp vin = inbound(rb, "video");
                assertThat(vin.packetsLost()).as("B's video loss after NACK/RTX").isZero();
                assertThat(vin.nackCount()).isPositive();
                assertThat(vin.retransmittedPacketsReceived()).isGreaterThanOrEqualTo(fromA.videoSent.size() / 10 - 1);
                assertThat(vin.packetsReceived()).isEqualTo(fromA.videoSent.size());
                assertThat(vin.mimeType()).isEqualTo("video/VP8");
                assertThat(inbound(rb, "audio").mimeType()).isEqualTo("audio/opus");
                assertThat(rb.first(RtcStats.Transport.class).orElseThrow().srtpCipher()).isEqualTo("AEAD_AES_128_GCM");

                RtcStatsReport ra = a.getStats().get(5, TimeUnit.SECONDS);
                RtcStats.OutboundRtp vout = ra.all(RtcStats.OutboundRtp.class).stream().filter(o -> o.kind().equals("video")).findFirst().orElseThrow();
                assertThat(vout.nackCount()).isPositive();
                assertThat(vout.retransmittedPacketsSent()).isGreaterThanOrEqualTo(vin.retransmittedPacketsReceived());
                assertThat(ra.all(RtcStats.RemoteInboundRtp.class)).hasSize(2).allSatisfy(r -> {
                    assertThat(r.roundTripTimeMeasurements()).isPositive();
                    assertThat(r.roundTripTime()).isBetween(0.0, 0.2);
                });
                assertThat(inbound(ra, "video").packetsLost()).isZero();
                LOG.info("A->B video: {} sent, {} lost on purpose, B sent {} NACKs, A retransmitted {}; RTT {} s",
                        fromA.videoSent.size(), SimulatedRtpLoss.of(aVideoSender).sendDrops(aVideoSender), vin.nackCount(),
                        vout.retransmittedPacketsSent(), ra.all(RtcStats.RemoteInboundRtp.class).get(0).roundTripTime());
                assertThat(a.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
                assertThat(b.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
            } finally {
                a.close();
                b.close();
            }
        }
    }

    static RtcStats.InboundRtp inbound(RtcStatsReport r, String kind) {
        return r.all(RtcStats.InboundRtp.class).stream().filter(s -> s.kind().equals(kind)).findFirst().orElseThrow();
    }

    static void negotiate(PeerConnection offerer, PeerConnection answerer) throws Exception {
        RtcSessionDescription offer = offerer.createOffer().get(5, TimeUnit.SECONDS);
        offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
        answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
        RtcSessionDescription answer = answerer.createAnswer().get(5, TimeUnit.SECONDS);
        answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
        offerer.setRemoteDescription(answer).get(5, TimeUnit.SECONDS);
    }

    static String ufrag(PeerConnection pc) {
        return pc.localDescription().orElseThrow().sdp().replaceAll("(?s).*?a=ice-ufrag:(\\S+).*", "$1");
    }

    static void waitFor(java.util.function.BooleanSupplier cond, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
