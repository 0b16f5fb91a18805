package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.internal.media.MediaStatsSnapshot;
import io.jrtc.common.SrtpProfile;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RtpReceiver#requestKeyFrame()} sends a PLI when {@code nack pli} was negotiated, a FIR when only
 * {@code ccm fir} was, and nothing otherwise; the remote sender's {@link RtpSender#onKeyFrameRequest} hears it with the
 * right SSRCs, and both sides count it. A gap the NACK generator gives up on also produces a PLI.
 */
class KeyFrameRequestsReachTheSender {

    private static EnginePair pair(List<String> feedback, int retransmissionPackets) {
        EnginePair p = new EnginePair(11);
        MediaCodec vp8 = new MediaCodec("VP8", 90_000, 0, Map.of(), 96, feedback);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.builder().codecs(vp8).retransmissionPackets(retransmissionPackets).build());
        p.negotiate(() -> { });
        p.connect(SrtpProfile.AEAD_AES_128_GCM, NetemConfig.perfect().withDelay(Duration.ofMillis(5)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 3);
        return p;
    }

    private static void sendOne(EnginePair p, int n) {
        p.transceiverA(MediaKind.VIDEO).sender().sendRtp("VP8", 3000L * n, true, ByteBuffer.wrap(SyntheticMedia.vp8Frame(n, n == 0, 1, 200).get(0)));
    }

    @Test
    void pliWhenNackPliWasNegotiated() {
        EnginePair p = pair(List.of(MediaCodec.FB_NACK, MediaCodec.FB_PLI, MediaCodec.FB_FIR), 64);
        List<KeyFrameRequest> requests = new ArrayList<>();
        RtpSender sender = p.transceiverA(MediaKind.VIDEO).sender();
        sender.onKeyFrameRequest(requests::add);
        sendOne(p, 0);
        p.link.runFor(Duration.ofMillis(20));
        assertThat(p.transceiverB(MediaKind.VIDEO).receiver().requestKeyFrame()).isTrue();
        p.link.runFor(Duration.ofMillis(20));
        assertThat(requests).containsExactly(new KeyFrameRequest(KeyFrameRequest.Type.PLI, p.b.receiverSsrc(), sender.ssrc()));
        assertThat(p.b.stats(p.clock.now()).inbound().get(0).pliCount()).isEqualTo(1);
        assertThat(p.a.stats(p.clock.now()).outbound().get(0).pliCount()).isEqualTo(1);
    }

    @Test
    void firWhenOnlyCcmFirWasNegotiated() {
        EnginePair p = pair(List.of(MediaCodec.FB_FIR), 64);
        List<KeyFrameRequest> requests = new ArrayList<>();
        RtpSender sender = p.transceiverA(MediaKind.VIDEO).sender();
        sender.onKeyFrameRequest(requests::add);
        sendOne(p, 0);
        p.link.runFor(Duration.ofMillis(20));
        RtpReceiver receiver = p.transceiverB(MediaKind.VIDEO).receiver();
        assertThat(receiver.requestKeyFrame()).isTrue();
        assertThat(receiver.requestKeyFrame()).isTrue();
        p.link.runFor(Duration.ofMillis(20));
        assertThat(requests).hasSize(2).allSatisfy(r -> {
            assertThat(r.type()).isEqualTo(KeyFrameRequest.Type.FIR);
            assertThat(r.mediaSsrc()).isEqualTo(sender.ssrc());
        });
        MediaStatsSnapshot.Inbound in = p.b.stats(p.clock.now()).inbound().get(0);
        assertThat(in.firCount()).isEqualTo(2);
        assertThat(in.pliCount()).isZero();
        assertThat(p.a.stats(p.clock.now()).outbound().get(0).firCount()).isEqualTo(2);
    }

    @Test
    void noRequestWithoutNegotiatedFeedback() {
        EnginePair p = pair(List.of(), 64);
        sendOne(p, 0);
        p.link.runFor(Duration.ofMillis(20));
        assertThat(p.transceiverB(MediaKind.VIDEO).receiver().requestKeyFrame()).isFalse();
    }

    @Test
    void aGapThatCannotBeRepairedEndsInAPli() {
        // The sender keeps one packet only: NACKs for older ones go unanswered, the generator gives up, and asks for
        // a key frame instead.
        EnginePair p = pair(List.of(MediaCodec.FB_NACK, MediaCodec.FB_PLI), 1);
        List<KeyFrameRequest> requests = new ArrayList<>();
        RtpSender sender = p.transceiverA(MediaKind.VIDEO).sender();
        sender.onKeyFrameRequest(requests::add);
        SimulatedRtpLoss.of(sender).onSend(sender, (ssrc, seq) -> requests.isEmpty() && seq % 7 == 3);
        for (int i = 0; i < 100; i++) {
            sendOne(p, i);
            p.link.runFor(Duration.ofMillis(33));
        }
        p.link.runFor(Duration.ofSeconds(2));
        assertThat(requests).isNotEmpty();
        assertThat(requests.get(0).type()).isEqualTo(KeyFrameRequest.Type.PLI);
        MediaStatsSnapshot.Inbound in = p.b.stats(p.clock.now()).inbound().get(0);
        assertThat(in.nackCount()).isPositive();
        assertThat(in.pliCount()).isPositive();
        assertThat(in.packetsLost()).isPositive();
    }
}
