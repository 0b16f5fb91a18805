package io.jrtc.srtp.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** RFC 3550 section 6.3 / A.7 intervals: randomisation bounds, the minimum, bandwidth scaling, reconsideration. */
class RtcpIntervalFollowsRfc3550 {

    private static final long S = 1_000_000_000L;

    @Test
    void twoMembersUseTheRandomisedMinimum() {
        RtcpIntervalScheduler s = new RtcpIntervalScheduler(RtcpIntervalScheduler.Config.webrtc(2_000_000), 1, 0);
        double sum = 0;
        int n = 20_000;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double t = s.interval() / 1e9;
            sum += t;
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        double c = RtcpIntervalScheduler.COMPENSATION;
        assertThat(min).isGreaterThanOrEqualTo(0.5 / c - 1e-9);
        assertThat(max).isLessThanOrEqualTo(1.5 / c + 1e-9);
        assertThat(sum / n).isCloseTo(1.0 / c, within(0.01));
    }

    @Test
    void rfc3550HalvesTheFirstInterval() {
        RtcpIntervalScheduler s = new RtcpIntervalScheduler(RtcpIntervalScheduler.Config.rfc3550(1_000_000), 7, 0);
        double c = RtcpIntervalScheduler.COMPENSATION;
        assertThat(s.pollTimeout() / 1e9).isBetween(2.5 * 0.5 / c, 2.5 * 1.5 / c);
        s.onRtcpSent(s.pollTimeout(), 100);
        long next = s.pollTimeout() - s.lastReportTime();
        assertThat(next / 1e9).isBetween(5 * 0.5 / c, 5 * 1.5 / c);
    }

    @Test
    void largeGroupsStretchTheIntervalWithTheBandwidth() {
        // 1000 receivers, 1 sender, 64 kbit/s session: RTCP gets 400 B/s, receivers 300 B/s. With an average packet
        // of 128 B (100 + 28 overhead): T = 128 * 999 / 300 = 426 s before randomisation.
        RtcpIntervalScheduler s = new RtcpIntervalScheduler(RtcpIntervalScheduler.Config.rfc3550(64_000), 3, 0);
        s.setMembers(1000);
        s.setSenders(1);
        s.setWeSent(false);
        for (int i = 0; i < 200; i++) {
            s.onRtcpReceived(100);
        }
        assertThat(s.averageRtcpSize()).isCloseTo(128, within(0.5));
        double c = RtcpIntervalScheduler.COMPENSATION;
        double base = 128.0 * 999 / 300;
        for (int i = 0; i < 100; i++) {
            double t = s.interval() / 1e9;
            assertThat(t).isBetween(base * 0.5 / c * 0.99, base * 1.5 / c * 1.01);
        }
        // As the sender, we share 25% of the bandwidth with the one other sender only: back to the minimum.
        s.setWeSent(true);
        assertThat(s.interval() / 1e9).isLessThan(5 * 1.5 / c + 1e-9);
    }

    @Test
    void timerFiresThenReschedulesAfterEachReport() {
        RtcpIntervalScheduler s = new RtcpIntervalScheduler(RtcpIntervalScheduler.Config.webrtc(1_000_000), 11, 0);
        long due = s.pollTimeout();
        assertThat(s.handleTimeout(due - 1)).isFalse();
        long now = due;
        int reports = 0;
        while (now < 60 * S) {
            if (s.handleTimeout(now)) {
                s.onRtcpSent(now, 80);
                reports++;
            }
            now = s.pollTimeout();
        }
        // Average interval 1 s / 1.218: about 49 reports per minute.
        assertThat(reports).isBetween(40, 60);
        assertThat(s.reportsSent()).isEqualTo(reports);
    }

    @Test
    void reconsiderationDefersWhenTheGroupGrows() {
        RtcpIntervalScheduler s = new RtcpIntervalScheduler(new RtcpIntervalScheduler.Config(S, 8_000, false), 5, 0);
        long due = s.pollTimeout();
        // Before the timer fires, many members join on a thin session: the recomputed interval is far longer.
        s.setMembers(500);
        s.setSenders(1);
        assertThat(s.handleTimeout(due)).isFalse();
        assertThat(s.pollTimeout()).isGreaterThan(due);
    }
}
