package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.rtp.Goodbye;
import io.jrtc.srtp.rtp.ReceiverReport;
import io.jrtc.srtp.rtp.ReportBlock;
import io.jrtc.srtp.rtp.RtcpPacket;
import io.jrtc.srtp.rtp.SenderReport;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One minute of virtual time, A sending video, B only receiving. A sends sender reports and B receiver reports on
 * RFC 3550's randomised interval (WebRTC's 1 s minimum, randomised over [0.5, 1.5] and divided by e - 3/2, so about
 * 0.82 s on average). The SRs count what A sent; B's report blocks are about A's SSRC, with LSR/DLSR that give A the
 * round-trip time of the emulated link; the extended highest sequence number follows. Closing A sends RTCP BYE.
 */
class RtcpReportsFollowRfc3550Timing {

    @Test
    void srFromTheSenderRrFromTheReceiverAboutOncePerSecond() {
        EnginePair p = new EnginePair(61);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        p.negotiate(() -> { });
        p.connect(SrtpProfile.AEAD_AES_128_GCM, NetemConfig.perfect().withDelay(Duration.ofMillis(30)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(30)), 6);
        List<SenderReport> srs = new ArrayList<>();
        List<RtcpPacket> atReceiver = new ArrayList<>();
        List<ReceiverReport> rrs = new ArrayList<>();
        p.transceiverB(MediaKind.VIDEO).receiver().onRtcp(x -> {
            atReceiver.add(x);
            if (x instanceof SenderReport sr) {
                srs.add(sr);
            }
        });
        RtpSender s = p.transceiverA(MediaKind.VIDEO).sender();
        s.onRtcp(x -> {
            if (x instanceof ReceiverReport rr) {
                rrs.add(rr);
            }
        });
        int sent = 0;
        for (int ms = 0; ms < 60_000; ms += 20) {
            s.sendRtp("VP8", 90L * ms, true, ByteBuffer.wrap(SyntheticMedia.vp8Frame(ms, ms == 0, 1, 200).get(0)));
            sent++;
            p.link.runFor(Duration.ofMillis(20));
        }
        assertThat(srs.size()).as("SRs in 60 s").isBetween(55, 95);
        assertThat(rrs.size()).as("RRs in 60 s").isBetween(55, 95);
        SenderReport last = srs.get(srs.size() - 1);
        assertThat(last.ssrc()).isEqualTo(s.ssrc());
        assertThat(last.packetCount()).isBetween((long) sent - 60, (long) sent);
        assertThat(last.octetCount()).isEqualTo(last.packetCount() * 200);
        ReportBlock block = rrs.get(rrs.size() - 1).reportBlocks().get(0);
        assertThat(block.ssrc()).isEqualTo(s.ssrc());
        assertThat(block.cumulativeLost()).isZero();
        assertThat(block.lastSenderReport()).isNotZero();
        assertThat(rrs.get(rrs.size() - 1).ssrc()).isEqualTo(p.b.receiverSsrc());
        var remote = p.a.stats(p.clock.now()).remoteInbound().get(0);
        assertThat(remote.roundTripTime()).isBetween(0.059, 0.062);
        assertThat(remote.roundTripTimeMeasurements()).isGreaterThan(50);

        p.a.close(p.clock.now());
        p.link.runFor(Duration.ofMillis(100));
        assertThat(atReceiver.get(atReceiver.size() - 1)).isInstanceOfSatisfying(Goodbye.class,
                bye -> assertThat(bye.ssrcs()).containsExactly(s.ssrc()));
    }
}
