package io.jrtc.srtp.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.testkit.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gap detection, retry pacing by RTT, recovery, give-up rules and wrap, driven by a virtual clock. */
class NackGeneratorOnVirtualClock {

    private static final long MS = 1_000_000L;

    @Test
    void gapIsNackedAtOnceThenRetriedEveryRtt() {
        VirtualClock clock = new VirtualClock(0);
        NackGenerator g = new NackGenerator();
        for (int seq : new int[] {10, 11, 12, 15}) {
            g.onPacket(clock.now(), seq);
        }
        assertThat(g.missingCount()).isEqualTo(2);
        assertThat(g.pollTimeout()).isEqualTo(0);
        assertThat(g.pollNack(clock.now())).containsExactly(13, 14);
        assertThat(g.pollTimeout()).isEqualTo(100 * MS);

        clock.advanceBy(Duration.ofMillis(50));
        assertThat(g.pollNack(clock.now())).isEmpty();
        g.setRtt(60 * MS);
        clock.advanceTo(100 * MS);
        assertThat(g.pollNack(clock.now())).containsExactly(13, 14);
        assertThat(g.pollTimeout()).isEqualTo(160 * MS);

        g.onPacket(clock.now(), 13); // the retransmission arrives
        assertThat(g.recovered()).isEqualTo(1);
        clock.advanceTo(160 * MS);
        assertThat(g.pollNack(clock.now())).containsExactly(14);
        assertThat(g.nacksSent()).isEqualTo(5);
    }

    @Test
    void givesUpAfterMaxRetriesAndAsksForAKeyFrame() {
        NackGenerator g = new NackGenerator(new NackGenerator.Config(3, 10 * MS, 10 * MS, 10_000 * MS, 100, 0));
        g.onPacket(0, 1);
        g.onPacket(0, 3);
        long now = 0;
        int sent = 0;
        while (g.missingCount() > 0) {
            now = Math.max(now, g.pollTimeout());
            sent += g.pollNack(now).size();
        }
        assertThat(sent).isEqualTo(3);
        assertThat(g.givenUp()).isEqualTo(1);
        assertThat(g.keyFrameNeeded()).isTrue();
        g.clearKeyFrameNeeded();
        assertThat(g.keyFrameNeeded()).isFalse();
        assertThat(g.pollTimeout()).isEqualTo(DatagramCore.NO_TIMEOUT);
    }

    @Test
    void packetsOlderThanMaxAgeAreAbandoned() {
        NackGenerator g = new NackGenerator(new NackGenerator.Config(100, 200 * MS, 200 * MS, 500 * MS, 100, 0));
        g.onPacket(0, 1);
        g.onPacket(0, 3);
        assertThat(g.pollNack(0)).containsExactly(2);
        assertThat(g.pollNack(200 * MS)).containsExactly(2);
        assertThat(g.pollNack(400 * MS)).containsExactly(2);
        assertThat(g.pollTimeout()).isEqualTo(500 * MS);
        assertThat(g.pollNack(500 * MS)).isEmpty();
        assertThat(g.givenUp()).isEqualTo(1);
        assertThat(g.missingCount()).isZero();
    }

    @Test
    void reorderDelaySuppressesNacksForLatePackets() {
        NackGenerator g = new NackGenerator(new NackGenerator.Config(10, 20 * MS, 100 * MS, 1000 * MS, 100, 10 * MS));
        g.onPacket(0, 1);
        g.onPacket(MS, 3);
        assertThat(g.pollNack(5 * MS)).isEmpty();
        assertThat(g.pollTimeout()).isEqualTo(11 * MS);
        g.onPacket(6 * MS, 2);
        assertThat(g.pollNack(11 * MS)).isEmpty();
        assertThat(g.nacksSent()).isZero();
        assertThat(g.recovered()).isEqualTo(1);
    }

    @Test
    void gapAcrossTheWrap() {
        NackGenerator g = new NackGenerator();
        g.onPacket(0, 65533);
        g.onPacket(0, 65534);
        g.onPacket(0, 2);
        assertThat(g.pollNack(0)).containsExactly(65535, 0, 1);
        List<Integer> lost = GenericNack.fromLost(1, 2, List.of(65535, 0, 1)).lostSequenceNumbers();
        assertThat(lost).containsExactly(65535, 0, 1);
    }

    @Test
    void hugeGapIsCappedAndRequestsAKeyFrame() {
        NackGenerator g = new NackGenerator(new NackGenerator.Config(10, 20 * MS, 100 * MS, 1000 * MS, 50, 0));
        g.onPacket(0, 0);
        g.onPacket(0, 2001);
        assertThat(g.missingCount()).isEqualTo(50);
        assertThat(g.givenUp()).isEqualTo(2000 - 50);
        assertThat(g.keyFrameNeeded()).isTrue();
        List<Integer> due = g.pollNack(0);
        assertThat(due).hasSize(50).startsWith(1951).endsWith(2000);
    }

    @Test
    void timeGoingBackwardsIsIgnored() {
        NackGenerator g = new NackGenerator();
        g.onPacket(1_000 * MS, 1);
        g.onPacket(1_000 * MS, 3);
        assertThat(g.pollNack(1_000 * MS)).containsExactly(2);
        assertThat(g.pollNack(500 * MS)).isEmpty();
        assertThat(g.pollTimeout()).isEqualTo(1_100 * MS);
    }
}
