package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.internal.media.MediaStatsSnapshot;
import io.jrtc.peer.internal.media.Transceiver;
import io.jrtc.common.SrtpProfile;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.GilbertElliott;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two media engines back to back on a virtual clock, through links that lose packets both ways (RTCP too). A sends
 * 10 s of VP8-shaped video (3 packets per frame, a key frame every 2 s) and Opus-shaped audio. Video negotiated
 * {@code nack} (with RTX, or plain retransmission), so B's NACK generator asks for every gap and A resends from its
 * store: every video packet arrives exactly once, byte for byte, and B's final cumulative loss is 0. Audio has no
 * NACK: its losses stay and are counted. RTT from the RTCP exchange matches the emulated delay.
 */
class NackAndRtxRepairEveryLostVideoPacket {

    record Sent(long timestamp, int hash) {
    }

    @ParameterizedTest(name = "{0}, rtx={1}, {2}")
    @CsvSource({
        "AEAD_AES_128_GCM, true, random",
        "AES_CM_128_HMAC_SHA1_80, true, random",
        "AEAD_AES_128_GCM, false, random",
        "AEAD_AES_128_GCM, true, burst",
        "AES_CM_128_HMAC_SHA1_80, false, burst",
    })
    void everyVideoPacketArrivesOnce(SrtpProfile profile, boolean rtx, String lossKind) {
        EnginePair p = new EnginePair(42);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.builder().rtx(rtx).build());
        p.a.addTrack(MediaKind.AUDIO, TrackInit.DEFAULT);
        p.negotiate(() -> { });
        NetemConfig base = NetemConfig.perfect().withDelay(Duration.ofMillis(20));
        NetemConfig lossy = lossKind.equals("random") ? base.withLoss(0.05)
                : base.withBurstLoss(new GilbertElliott(0.02, 0.3, 0.0, 0.8));
        p.connect(profile, lossy, lossy, 7);

        Transceiver videoB = p.transceiverB(MediaKind.VIDEO);
        Transceiver audioB = p.transceiverB(MediaKind.AUDIO);
        assertThat(p.tracksAtB).hasSize(2);
        List<Sent> videoGot = new ArrayList<>();
        List<Sent> audioGot = new ArrayList<>();
        int[] keyFrames = {0};
        videoB.receiver().onRtp(e -> {
            assertThat(e.codec().name()).isEqualTo("VP8");
            videoGot.add(new Sent(e.timestamp(), Arrays.hashCode(e.payloadCopy())));
            if (e.keyFrameStart()) {
                keyFrames[0]++;
            }
        });
        audioB.receiver().onRtp(e -> audioGot.add(new Sent(e.timestamp(), Arrays.hashCode(e.payloadCopy()))));

        RtpSender video = p.transceiverA(MediaKind.VIDEO).sender();
        RtpSender audio = p.transceiverA(MediaKind.AUDIO).sender();
        List<Sent> videoSent = new ArrayList<>();
        List<Sent> audioSent = new ArrayList<>();
        int frame = 0;
        int audioPacket = 0;
        for (int ms = 0; ms < 10_000; ms += 10) {
            if (ms % 20 == 0) {
                byte[] opus = SyntheticMedia.opus(audioPacket, 80);
                long ts = 960L * audioPacket++;
                assertThat(audio.sendRtp("opus", ts, false, ByteBuffer.wrap(opus))).isTrue();
                audioSent.add(new Sent(ts, Arrays.hashCode(opus)));
            }
            if (ms % 30 == 0) {
                List<byte[]> packets = SyntheticMedia.vp8Frame(frame, frame % 60 == 0, 3, 900);
                long ts = 3000L * frame++;
                for (int i = 0; i < packets.size(); i++) {
                    assertThat(video.sendRtp("VP8", ts, i == packets.size() - 1, ByteBuffer.wrap(packets.get(i)))).isTrue();
                    videoSent.add(new Sent(ts, Arrays.hashCode(packets.get(i))));
                }
            }
            p.link.runFor(Duration.ofMillis(10));
        }
        p.link.runFor(Duration.ofSeconds(2));

        assertThat(p.link.stats(BackToBack.Direction.A_TO_B).lost()).as("the link lost packets").isGreaterThan(20);
        assertThat(videoGot).as("every video packet, once").hasSameSizeAs(videoSent);
        assertThat(new HashSet<>(videoGot)).isEqualTo(new HashSet<>(videoSent));
        assertThat(keyFrames[0]).isEqualTo((frame + 59) / 60);

        MediaStatsSnapshot b = p.b.stats(p.clock.now());
        MediaStatsSnapshot.Inbound vin = b.inbound().stream().filter(s -> s.kind().equals("video")).findFirst().orElseThrow();
        MediaStatsSnapshot.Inbound ain = b.inbound().stream().filter(s -> s.kind().equals("audio")).findFirst().orElseThrow();
        assertThat(vin.packetsLost()).as("video loss after repair").isZero();
        assertThat(vin.nackCount()).as("NACK packets B sent").isPositive();
        assertThat(vin.retransmittedPacketsReceived()).isPositive();
        assertThat(vin.packetsReceived()).isEqualTo(videoSent.size());
        assertThat(vin.mimeType()).isEqualTo("video/VP8");
        assertThat(vin.framesReceived()).isEqualTo(frame);
        assertThat(vin.keyFramesReceived()).isEqualTo((frame + 59) / 60);
        assertThat(ain.packetsLost()).as("audio is not repaired").isPositive();
        assertThat(ain.packetsReceived() + ain.packetsLost()).isEqualTo(audioSent.size());
        assertThat(new HashSet<>(audioSent)).containsAll(audioGot);
        assertThat(b.srtpCipher()).isEqualTo(profile.name().replace("AES_CM_128", "AES_CM_128"));

        MediaStatsSnapshot a = p.a.stats(p.clock.now());
        MediaStatsSnapshot.Outbound vout = a.outbound().stream().filter(s -> s.kind().equals("video")).findFirst().orElseThrow();
        assertThat(vout.nackCount()).as("NACKs A received").isPositive();
        assertThat(vout.retransmittedPacketsSent()).isGreaterThanOrEqualTo(vin.retransmittedPacketsReceived());
        assertThat(vout.packetsSent()).isEqualTo(videoSent.size() + vout.retransmittedPacketsSent());
        MediaStatsSnapshot.RemoteInbound rin = a.remoteInbound().stream().filter(s -> s.kind().equals("video")).findFirst().orElseThrow();
        assertThat(rin.roundTripTime()).as("RTT from SR/RR: 2 x 20 ms").isBetween(0.039, 0.045);
        assertThat(rin.roundTripTimeMeasurements()).isGreaterThan(3);
        Set<Long> blocks = new HashSet<>();
        a.remoteInbound().forEach(r -> blocks.add(r.ssrc()));
        assertThat(blocks).hasSize(2);
    }
}
