package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.peer.internal.media.MediaSdp;
import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.rtp.RtpHeaderExtension;
import io.jrtc.srtp.rtp.RtpPacketBuilder;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RtpSender#sendRtpPacket} for forwarding: packets from another stream keep payload type, marker, payload and
 * their sequence/timestamp spacing, but take our SSRC, our sequence space and our header extensions (the mid), and
 * lose their padding; a late packet lands in its own slot; a new source continues after the last packet. Misuse
 * (not RTP, payload type not negotiated, too large) throws at once; sending before negotiation returns false.
 */
class ForwardedPacketsAreRewrittenIntoTheSendersStream {

    record Got(long ssrc, int seq, long ts, boolean marker, int pt, String payload, List<RtpHeaderExtension> ext) {
    }

    private static ByteBuffer packet(long ssrc, int seq, long ts, boolean marker, String payload, int padding) {
        byte[] pl = payload.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.wrap(new RtpPacketBuilder().payloadType(96).ssrc(ssrc).sequenceNumber(seq).timestamp(ts)
                .marker(marker).extension(1, new byte[] {0x42}).padding(padding).payload(pl).build(0));
    }

    @Test
    void sequenceAndTimestampSpacingSurviveASourceSwitch() {
        EnginePair p = new EnginePair(31);
        RtpSender s = p.a.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT).sender();
        assertThat(s.sendRtpPacket(packet(7, 1, 1, false, "early", 0))).as("not negotiated yet").isFalse();
        p.negotiate(() -> { });
        p.connect(SrtpProfile.AEAD_AES_128_GCM, NetemConfig.perfect(), NetemConfig.perfect(), 1);
        List<Got> got = new ArrayList<>();
        p.transceiverB(MediaKind.VIDEO).receiver().onRtp(e -> got.add(new Got(e.ssrc(), e.sequenceNumber(), e.timestamp(),
                e.marker(), e.payloadType(), new String(e.payloadCopy(), StandardCharsets.US_ASCII), e.packet().extensionList())));

        assertThat(s.sendRtpPacket(packet(7, 1000, 5000, false, "a0", 0))).isTrue();
        assertThat(s.sendRtpPacket(packet(7, 1001, 5000, true, "a1", 4))).isTrue();
        assertThat(s.sendRtpPacket(packet(7, 1003, 8000, true, "a3", 0))).isTrue();
        assertThat(s.sendRtpPacket(packet(7, 1002, 8000, false, "a2-late", 0))).isTrue();
        assertThat(s.sendRtpPacket(packet(9, 60000, 123, false, "b0", 0))).as("a new source").isTrue();
        assertThat(s.sendRtpPacket(packet(9, 60001, 3123, true, "b1", 0))).isTrue();
        assertThat(s.sendRtp("VP8", 99_999, true, ByteBuffer.wrap(new byte[] {0x10, 1, 2}))).as("mixing in sendRtp").isTrue();
        p.link.runFor(Duration.ofMillis(10));

        assertThat(got).hasSize(7);
        int base = got.get(0).seq();
        long tsBase = got.get(0).ts();
        assertThat(got).allSatisfy(g -> {
            assertThat(g.ssrc()).isEqualTo(s.ssrc());
            assertThat(g.pt()).isEqualTo(96);
            assertThat(g.ext()).as("our mid extension replaced theirs")
                    .containsExactly(new RtpHeaderExtension(MediaSdp.OFFERED_MID_ID, "0".getBytes(StandardCharsets.US_ASCII)));
        });
        assertThat(got).extracting(Got::payload).containsExactly("a0", "a1", "a3", "a2-late", "b0", "b1", "\u0010\u0001\u0002");
        assertThat(got).extracting(g -> (g.seq() - base) & 0xFFFF).containsExactly(0, 1, 3, 2, 4, 5, 6);
        assertThat(got).extracting(Got::marker).containsExactly(false, true, true, false, false, true, true);
        assertThat(got.get(1).ts()).isEqualTo(tsBase);
        assertThat((got.get(2).ts() - tsBase) & 0xFFFF_FFFFL).isEqualTo(3000);
        long b0 = got.get(4).ts();
        assertThat((b0 - got.get(2).ts()) & 0xFFFF_FFFFL).as("a new source continues one frame later").isEqualTo(3000);
        assertThat((got.get(5).ts() - b0) & 0xFFFF_FFFFL).isEqualTo(3000);
        assertThat(got.get(6).ts()).isEqualTo(99_999);
        assertThat(p.b.stats(p.clock.now()).inbound().get(0).packetsLost()).isZero();
    }

    @Test
    void misuseThrowsAtOnce() {
        EnginePair p = new EnginePair(32);
        RtpSender s = p.a.addTrack(MediaKind.VIDEO, TrackInit.builder().codecs(MediaCodec.VP8).build()).sender();
        p.negotiate(() -> { });
        p.connect(SrtpProfile.AEAD_AES_128_GCM, NetemConfig.perfect(), NetemConfig.perfect(), 1);
        assertThatThrownBy(() -> s.sendRtpPacket(ByteBuffer.wrap(new byte[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an RTP packet");
        ByteBuffer pt100 = ByteBuffer.wrap(new RtpPacketBuilder().payloadType(100).ssrc(1).payload(new byte[10]).build(0));
        assertThatThrownBy(() -> s.sendRtpPacket(pt100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload type 100 was not negotiated");
        assertThatThrownBy(() -> s.sendRtp(97, 0, false, ByteBuffer.wrap(new byte[10])))
                .as("97 is the RTX type: not a send codec").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.sendRtp("H264", 0, false, ByteBuffer.wrap(new byte[10])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("H264 was not negotiated");
        assertThatThrownBy(() -> s.sendRtp(96, 0, false, ByteBuffer.wrap(new byte[RtpSender.MAX_PACKET_SIZE])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the maximum");
        assertThat(s.sendRtp(96, 0, false, ByteBuffer.wrap(new byte[RtpSender.MAX_PACKET_SIZE - 20]))).isTrue();
    }
}
