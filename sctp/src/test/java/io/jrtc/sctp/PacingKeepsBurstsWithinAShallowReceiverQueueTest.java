package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Pacing (on by default): in congestion avoidance DATA leaves at most Max.Burst packets back to back and no faster than
 * twice cwnd / SRTT, so a shallow queue in front of the receiver is not overrun by bursts, and a steady flow is not
 * slowed.
 */
class PacingKeepsBurstsWithinAShallowReceiverQueueTest {

    /** Drops at the receiver's queue, the most DATA packets sent at one instant, and the transfer's virtual time. */
    record Outcome(long queueDrops, int maxBurst, long virtualMillis, long retransmitted, String digestSent, String digestReceived) {
    }

    static Outcome transfer(boolean pacing, NetemConfig aToB, NetemConfig bToA, long bytes, long seed) {
        SctpPair p = new SctpPair(SctpPair.config(seed).pacing(pacing).build(), SctpPair.config(seed + 1).build(), aToB, bToA, seed);
        long[] lastAt = {-1};
        int[] run = {0};
        int[] maxRun = {0};
        p.net.withListener((now, d, i, pkt) -> {
            if (d != BackToBack.Direction.A_TO_B || pkt.remaining() < 600) {
                return;
            }
            run[0] = now == lastAt[0] ? run[0] + 1 : 1;
            lastAt[0] = now;
            maxRun[0] = Math.max(maxRun[0], run[0]);
        });
        p.establish();
        long start = p.now();
        TransferHarness h = new TransferHarness(p, 1, SendOptions.RELIABLE, bytes, 16 * 1024, 64 * 1024, seed);
        h.feed();
        assertThat(p.run(h::done, Duration.ofSeconds(60))).as("transfer completes").isTrue();
        return new Outcome(p.net.stats(BackToBack.Direction.A_TO_B).queueDrops(), maxRun[0], (p.now() - start) / 1_000_000,
                p.a.stats().retransmittedChunks(), h.sentDigest(), h.receivedDigest());
    }

    /**
     * The receiver sits behind a shallow queue (50 Mbit/s drained, 12,000 bytes of buffer: ten packets, like a busy
     * browser's UDP socket), and the return path's jitter bunches the SACKs. Without pacing, a bunch of SACKs releases
     * Max.Burst packets each, back to back, and the queue overflows; with pacing few packets leave together.
     */
    @Test
    void bunchedSacksNoLongerReleaseBurstsThatOverflowAShallowReceiverQueue() {
        NetemConfig toReceiver = NetemConfig.perfect().withDelay(Duration.ofMillis(5)).withRate(50_000_000, 12_000);
        NetemConfig sacks = NetemConfig.perfect().withDelay(Duration.ofMillis(5)).withJitter(Duration.ofMillis(5));
        long dropsUnpaced = 0;
        long dropsPaced = 0;
        int burstUnpaced = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Outcome off = transfer(false, toReceiver, sacks, 4_000_000, seed);
            Outcome on = transfer(true, toReceiver, sacks, 4_000_000, seed);
            assertThat(on.digestReceived()).isEqualTo(on.digestSent());
            assertThat(off.digestReceived()).isEqualTo(off.digestSent());
            // at most Max.Burst (4) in congestion avoidance; slow start's last rounds may add a few (measured: 6-7)
            assertThat(on.maxBurst()).as("seed %d: packets back to back", seed).isLessThanOrEqualTo(8);
            assertThat(on.virtualMillis()).as("seed %d: transfer time", seed).isLessThan(off.virtualMillis());
            dropsUnpaced += off.queueDrops();
            dropsPaced += on.queueDrops();
            burstUnpaced = Math.max(burstUnpaced, off.maxBurst());
        }
        // measured: 105 drops and bursts of up to 28 packets unpaced; 11 drops and at most 7 packets paced
        assertThat(burstUnpaced).isGreaterThan(10);
        assertThat(dropsPaced * 3).isLessThan(dropsUnpaced);
    }

    /** On a clean path the ack clock sets the pace: pacing holds nothing back that would change the transfer time. */
    @Test
    void pacingDoesNotSlowASteadyFlowOnACleanPath() {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(25)).withRate(100_000_000, 625_000);
        Outcome off = transfer(false, link, link, 10_000_000, 1);
        Outcome on = transfer(true, link, link, 10_000_000, 1);
        assertThat(on.digestReceived()).isEqualTo(on.digestSent());
        assertThat((double) on.virtualMillis()).isLessThanOrEqualTo(off.virtualMillis() * 1.01);
    }
}
