package io.jrtc.srtp.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3550 section 6.4.1 round-trip time, sender report contents, and NTP conversions. */
class RoundTripTimeFromLsrAndDlsr {

    private static final long MS = 1_000_000L;

    @Test
    void rfc3550WorkedExample() {
        // Section 6.4.1: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s), DLSR = 0x0005:4000 (5.250 s)
        // give a round-trip delay of 0x0006:2000 = 6.125 s.
        RtpSenderStats s = new RtpSenderStats(1, 90_000);
        ReportBlock rb = new ReportBlock(1, 0, 0, 0, 0, 0xB7052000L, 0x00054000L);
        long rtt = s.onReportBlock(rb, 0x0000_B710_8000_0000L);
        assertThat(rtt).isEqualTo(6_125_000_000L);
        assertThat(s.roundTripTimeNanos()).isEqualTo(6_125_000_000L);
        assertThat(s.roundTripTimeMeasurements()).isEqualTo(1);
    }

    @Test
    void noLsrMeansNoMeasurement() {
        RtpSenderStats s = new RtpSenderStats(1, 90_000);
        assertThat(s.onReportBlock(new ReportBlock(1, 10, 3, 100, 7, 0, 0), 0x1234_0000_0000L)).isEqualTo(-1);
        assertThat(s.roundTripTimeNanos()).isEqualTo(-1);
        assertThat(s.remoteFractionLost()).isEqualTo(10);
        assertThat(s.remoteCumulativeLost()).isEqualTo(3);
        assertThat(s.remoteJitter()).isEqualTo(7);
    }

    @Test
    void senderReportThenReceiverReportMeasuresTheNetworkRoundTrip() {
        // 50 ms each way; the receiver holds the SR 200 ms before reporting: RTT = 300 - 200 = 100 ms.
        long wallStart = 1_700_000_000_000_000_000L;
        RtpSenderStats sender = new RtpSenderStats(0x5E, 90_000);
        RtpReceiverStats receiver = new RtpReceiverStats(0x5E, 90_000);
        for (int i = 0; i < 30; i++) {
            sender.onPacketSent(i * 33 * MS, i * 3000L, 1000);
            receiver.onPacket(i * 33 * MS + 50 * MS, i, i * 3000L, 1000);
        }
        long t0 = 1_000 * MS;
        SenderReport sr = sender.senderReport(t0, NtpTime.fromUnixNanos(wallStart + t0), List.of());
        assertThat(sr.packetCount()).isEqualTo(30);
        assertThat(sr.octetCount()).isEqualTo(30_000);
        // Last packet at 957 ms with timestamp 87000; 43 ms later at 90 kHz is 3870 ticks more.
        assertThat(sr.rtpTimestamp()).isEqualTo(87_000 + 3_870);

        receiver.onSenderReport(t0 + 50 * MS, sr.ntpTimestamp());
        ReportBlock rb = receiver.reportBlock(t0 + 250 * MS);
        long rtt = sender.onReportBlock(rb, NtpTime.fromUnixNanos(wallStart + t0 + 300 * MS));
        assertThat((double) rtt).isCloseTo(100 * MS, within(0.1 * MS));
    }

    @Test
    void ntpConversionsRoundTrip() {
        long unix = 1_700_000_000_123_456_789L;
        long ntp = NtpTime.fromUnixNanos(unix);
        assertThat(ntp >>> 32).isEqualTo(1_700_000_000L + NtpTime.UNIX_EPOCH_OFFSET_SECONDS);
        assertThat((double) NtpTime.toUnixNanos(ntp)).isCloseTo(unix, within(1.0));
        assertThat(NtpTime.compact(0x0123_4567_89AB_CDEFL)).isEqualTo(0x456789ABL);
        assertThat(NtpTime.compactFromNanos(1_500_000_000L)).isEqualTo(0x18000);
        assertThat(NtpTime.compactToNanos(0x18000)).isEqualTo(1_500_000_000L);
        assertThat(NtpTime.compactFromNanos(-5)).isZero();
        assertThat(NtpTime.compactFromNanos(Long.MAX_VALUE)).isEqualTo(0xFFFF_FFFFL);
    }
}
