package io.jrtc.srtp.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** RFC 3550 appendix A.1/A.3/A.8 computations against sequences worked out by hand. */
class ReceiverStatsMatchHandComputedValues {

    private static final long MS = 1_000_000L;

    @Test
    void lossAndFractionOverTwoIntervals() {
        RtpReceiverStats s = new RtpReceiverStats(0xAB, 90_000);
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 7) {
                s.onPacket(seq * 33 * MS, seq, seq * 3000L, 1000);
            }
        }
        ReportBlock first = s.reportBlock(400 * MS);
        assertThat(s.expected()).isEqualTo(10);
        assertThat(s.packetsReceived()).isEqualTo(8);
        assertThat(first.cumulativeLost()).isEqualTo(2);
        assertThat(first.fractionLost()).isEqualTo((2 << 8) / 10); // 51
        assertThat(first.extendedHighestSequence()).isEqualTo(9);
        assertThat(first.ssrc()).isEqualTo(0xAB);
        assertThat(s.bytesReceived()).isEqualTo(8000);

        for (int seq = 10; seq < 20; seq++) {
            s.onPacket(seq * 33 * MS, seq, seq * 3000L, 1000);
        }
        ReportBlock second = s.reportBlock(700 * MS);
        assertThat(second.fractionLost()).isZero();
        assertThat(second.cumulativeLost()).isEqualTo(2);
        assertThat(second.extendedHighestSequence()).isEqualTo(19);
    }

    @Test
    void reorderingIsNotLoss() {
        RtpReceiverStats s = new RtpReceiverStats(1, 90_000);
        for (int seq : new int[] {100, 101, 103, 102, 104}) {
            s.onPacket(seq * MS, seq, seq * 3000L, 10);
        }
        ReportBlock rb = s.reportBlock(200 * MS);
        assertThat(rb.cumulativeLost()).isZero();
        assertThat(rb.fractionLost()).isZero();
        assertThat(rb.extendedHighestSequence()).isEqualTo(104);
    }

    @Test
    void sequenceWrapExtendsTheHighestSequenceNumber() {
        RtpReceiverStats s = new RtpReceiverStats(1, 90_000);
        int[] seqs = {65530, 65531, 65532, 65533, 65535, 0, 1, 2, 3, 4, 5};
        for (int i = 0; i < seqs.length; i++) {
            s.onPacket(i * 20 * MS, seqs[i], i * 1800L, 100);
        }
        ReportBlock rb = s.reportBlock(300 * MS);
        assertThat(rb.extendedHighestSequence()).isEqualTo(65536 + 5);
        assertThat(s.expected()).isEqualTo(12);
        assertThat(rb.cumulativeLost()).isEqualTo(1); // 65534
        assertThat(rb.fractionLost()).isEqualTo((1 << 8) / 12); // 21

        // A late packet from before the wrap does not count as another cycle.
        s.onPacket(400 * MS, 65534, 9 * 1800L, 100);
        assertThat(s.extendedHighestSequence()).isEqualTo(65541);
        assertThat(s.cumulativeLost()).isZero();
    }

    @Test
    void duplicatesMakeCumulativeLossNegative() {
        RtpReceiverStats s = new RtpReceiverStats(1, 48_000);
        for (int seq : new int[] {1, 2, 3, 3, 3}) {
            s.onPacket(seq * 20 * MS, seq, seq * 960L, 50);
        }
        assertThat(s.cumulativeLost()).isEqualTo(-2);
        assertThat(s.reportBlock(100 * MS).cumulativeLost()).isEqualTo(-2);
    }

    @Test
    void interarrivalJitterFollowsAppendixA8() {
        // 8 kHz clock: 20 ms frames are 160 ticks apart; the third packet arrives 5 ms (40 ticks) late.
        RtpReceiverStats s = new RtpReceiverStats(1, 8000);
        long[] arrivalsMs = {0, 20, 45, 60, 80};
        for (int i = 0; i < arrivalsMs.length; i++) {
            s.onPacket(1_000_000_000L + arrivalsMs[i] * MS, i, 160L * i, 160);
        }
        // transits 0,0,40,0,0 -> D 0,40,40,0 -> J = 0, 2.5, 4.84375, 4.541015625
        assertThat(s.jitter()).isCloseTo(4.541015625, within(1e-9));
        assertThat(s.jitterSeconds()).isCloseTo(4.541015625 / 8000, within(1e-12));
        assertThat(s.reportBlock(2_000_000_000L).jitter()).isEqualTo(5);
    }

    @Test
    void jitterSurvivesRtpTimestampWrap() {
        RtpReceiverStats s = new RtpReceiverStats(1, 90_000);
        long ts = 0xFFFF_FFFFL - 3000 * 2;
        for (int i = 0; i < 6; i++) {
            s.onPacket(i * 33_333_333L, i, (ts + 3000L * i) & 0xFFFF_FFFFL, 100);
        }
        assertThat(s.jitter()).isLessThan(1.0);
    }

    @Test
    void lastSenderReportAndDelaySinceIt() {
        RtpReceiverStats s = new RtpReceiverStats(1, 90_000);
        s.onPacket(0, 1, 0, 100);
        assertThat(s.reportBlock(10 * MS).lastSenderReport()).isZero();
        s.onSenderReport(1_000 * MS, 0x0000_1234_5678_0000L);
        ReportBlock rb = s.reportBlock(1_500 * MS);
        assertThat(rb.lastSenderReport()).isEqualTo(0x12345678L);
        assertThat(rb.delaySinceLastSenderReport()).isEqualTo(32768); // 0.5 s in 1/65536 s
    }

    @Test
    void largeJumpIsAcceptedOnlyAfterTwoSequentialPackets() {
        RtpReceiverStats s = new RtpReceiverStats(1, 90_000);
        for (int seq = 0; seq <= 100; seq++) {
            s.onPacket(seq * MS, seq, seq * 90L, 10);
        }
        assertThat(s.onPacket(200 * MS, 10_000, 0, 10)).isFalse();
        assertThat(s.packetsReceived()).isEqualTo(101);
        assertThat(s.onPacket(201 * MS, 10_001, 90, 10)).isTrue();
        // The source restarted: statistics start again from 10001.
        assertThat(s.packetsReceived()).isEqualTo(1);
        assertThat(s.extendedHighestSequence()).isEqualTo(10_001);
        assertThat(s.cumulativeLost()).isZero();
    }

    @Test
    void probationWaitsForSequentialPackets() {
        RtpReceiverStats s = new RtpReceiverStats(1, 90_000, RtpReceiverStats.MIN_SEQUENTIAL);
        assertThat(s.onPacket(0, 500, 0, 10)).isFalse();
        assertThat(s.onPacket(MS, 501, 90, 10)).isTrue();
        assertThat(s.packetsReceived()).isEqualTo(1);
        assertThat(s.onPacket(2 * MS, 503, 180, 10)).isTrue();
        assertThat(s.cumulativeLost()).isEqualTo(1);
    }
}
