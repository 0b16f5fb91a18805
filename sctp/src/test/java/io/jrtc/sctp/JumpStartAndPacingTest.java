package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The paced jump start and the pacing of what Max.Burst holds back, on testkit's emulator in virtual time. Every
 * figure asserted here is a state of the cores or of the emulated link (windows, rates, packet send times, drops), and
 * every run is deterministic; goodput figures belong to perf's emulator table, not here.
 */
class JumpStartAndPacingTest {

    private static final long RATE = 100_000_000;
    /** Chunk bytes (what cwnd counts) per wire byte: a full packet is 1,200 bytes with one 1,188-byte DATA chunk. */
    private static final double CHUNK_SHARE = 1188.0 / 1200;

    record Run(SctpPair pair, TransferHarness transfer, long startNanos, boolean finished, List<long[]> dataSends) {
        SctpStats stats() {
            return pair.a.stats();
        }

        double seconds() {
            return (pair.now() - startNanos) / 1e9;
        }

        long queueDrops() {
            return pair.net.stats(BackToBack.Direction.A_TO_B).queueDrops();
        }
    }

    private static NetemConfig link(long rttMs, long rate) {
        int queue = (int) Math.max(64 * 1024, rate / 8 * rttMs / 1000);
        return NetemConfig.perfect().withDelay(Duration.ofMillis(rttMs / 2)).withRate(rate, queue);
    }

    /** Sends {@code bytes} in 64 KiB messages from A to B; records the time and TSN of every new DATA chunk A sends. */
    private static Run transfer(NetemConfig link, boolean jumpStart, long bytes, BackToBack.PacketFilter filter) {
        SctpPair p = SctpPair.of(SctpPair.config(7).jumpStart(jumpStart).maxMessageSize(1 << 16),
                SctpPair.config(8).maxMessageSize(1 << 16), link, 7);
        List<long[]> sends = new ArrayList<>();
        p.net.withFilter(filter).withListener((now, dir, index, packet) -> {
            if (dir == BackToBack.Direction.A_TO_B) {
                for (Chunk c : chunks(packet)) {
                    if (c instanceof DataChunk d) {
                        sends.add(new long[] {now, d.tsn()});
                    }
                }
            }
        });
        p.establish();
        TransferHarness t = new TransferHarness(p, 1, SendOptions.RELIABLE, bytes, 65536, 65536, 5);
        long start = p.now();
        t.feed();
        boolean ok = p.run(t::done, Duration.ofMinutes(10));
        assertThat(t.receivedDigest()).isEqualTo(t.sentDigest());
        return new Run(p, t, start, ok, sends);
    }

    @Test
    void theFirstFlightMeasuresTheBottleneckAndCwndJumpsToItsBandwidthDelayProduct() {
        Run r = transfer(link(100, RATE), true, 10_000_000, (d, i, p) -> false);
        assertThat(r.finished()).isTrue();
        SctpStats s = r.stats();
        double measuredBits = s.jumpStartRate() * 8.0;
        assertThat(measuredBits).isBetween(RATE * CHUNK_SHARE * 0.97, RATE * 1.0);
        long bdp = (long) (RATE / 8 * 0.1 * CHUNK_SHARE);
        assertThat(s.jumpStartCwnd()).isBetween((long) (bdp * 0.95), (long) (bdp * 1.05));
        // the paced window fills the pipe without overflowing a one-BDP queue, and the probe after it stops in time
        assertThat(r.queueDrops()).isZero();
        assertThat(s.retransmittedChunks()).isZero();
    }

    @Test
    void aSlowerBottleneckIsMeasuredAsSlower() {
        long rate = 10_000_000;
        Run r = transfer(link(50, rate), true, 2_000_000, (d, i, p) -> false);
        assertThat(r.finished()).isTrue();
        assertThat(r.stats().jumpStartRate() * 8.0).isBetween(rate * CHUNK_SHARE * 0.9, rate * 1.0);
        long bdp = (long) (rate / 8 * 0.05 * CHUNK_SHARE);
        assertThat(r.stats().jumpStartCwnd()).isBetween((long) (bdp * 0.9), (long) (bdp * 1.1));
    }

    @Test
    void theJumpedWindowIsPacedAtTheMeasuredRateNotBurst() {
        Run r = transfer(link(100, RATE), true, 10_000_000, (d, i, p) -> false);
        // The jump happens when the last SACK of the first flight arrives; from then on new TSNs leave paced.
        // Find the longest run of DATA chunks sent at one instant after the first round trip: a burst of the jumped
        // window would put hundreds of packets on the same virtual nanosecond.
        long firstSend = r.dataSends().get(0)[0];
        long pacedStart = firstSend + 100_000_000L; // one RTT later: the first flight has been acknowledged
        long pacedEnd = pacedStart + 100_000_000L;
        int maxSameInstant = 0;
        int sameInstant = 0;
        long lastTime = -1;
        int pacedPackets = 0;
        for (long[] send : r.dataSends()) {
            if (send[0] < pacedStart || send[0] >= pacedEnd) {
                continue;
            }
            pacedPackets++;
            sameInstant = send[0] == lastTime ? sameInstant + 1 : 1;
            lastTime = send[0];
            maxSameInstant = Math.max(maxSameInstant, sameInstant);
        }
        // about one BDP of packets went out in that round trip (1,250,000 B / 1,200 B per packet), none in a burst
        assertThat(pacedPackets).isBetween(900, 1100);
        assertThat(maxSameInstant).isLessThanOrEqualTo(4);
    }

    @Test
    void withoutJumpStartTheSameTransferDoublesFromTheInitialWindow() {
        Run off = transfer(link(100, RATE), false, 10_000_000, (d, i, p) -> false);
        Run on = transfer(link(100, RATE), true, 10_000_000, (d, i, p) -> false);
        assertThat(off.stats().jumpStartRate()).isZero();
        assertThat(off.stats().jumpStartCwnd()).isZero();
        // RFC 9260 slow start needs log2(BDP / 4380 B) = 8 round trips to open the window; the jump needs one
        assertThat(off.seconds() - on.seconds()).isGreaterThan(0.4);
    }

    @Test
    void aLossInTheFirstFlightMeansNoJump() {
        // drop the second packet that carries DATA: part of the first flight
        int[] dataPackets = {0};
        Run r = transfer(link(100, RATE), true, 2_000_000, (d, i, p) -> d == BackToBack.Direction.A_TO_B
                && carriesData(p) && ++dataPackets[0] == 2);
        assertThat(r.finished()).isTrue();
        assertThat(r.stats().fastRetransmits() + r.stats().t3Expiries()).isPositive();
        assertThat(r.stats().jumpStartCwnd()).isZero();
    }

    @Test
    void aFlightTooSmallToMeasureMeansNoJump() {
        // one 100-byte message is the whole first flight: one SACK, no spacing to measure
        SctpPair p = SctpPair.of(SctpPair.config(7), SctpPair.config(8), link(100, RATE), 7);
        p.establish();
        p.a.send(p.now(), 1, 51, ByteBuffer.wrap(new byte[100]), SendOptions.RELIABLE);
        assertThat(p.run(() -> p.a.allDataAcknowledged(), Duration.ofSeconds(5))).isTrue();
        long cwndAfterOne = p.a.stats().cwnd();
        assertThat(p.a.stats().jumpStartCwnd()).isZero();
        assertThat(cwndAfterOne).isLessThanOrEqualTo(p.a.config().initialCwnd());
        // and a bulk transfer after it still works, in slow start
        TransferHarness t = new TransferHarness(p, 1, SendOptions.RELIABLE, 1_000_000, 65536, 65536, 5);
        t.feed();
        assertThat(p.run(t::done, Duration.ofMinutes(1))).isTrue();
        assertThat(t.receivedDigest()).isEqualTo(t.sentDigest());
        assertThat(p.a.stats().jumpStartCwnd()).isZero();
    }

    @Test
    void aSackThatAcknowledgesManyPacketsAtOnceDoesNotFreezeTheWindow() {
        // Jitter that never reorders bunches packets, so B acknowledges whole clumps with one SACK. Max.Burst alone
        // would let 4 packets follow each such SACK and drop the rest of cwnd's room, so cwnd would never be fully
        // used and, in slow start, never grow (it stalled near 230 KB here); the held-back room is paced out instead.
        NetemConfig link = link(100, RATE).withJitter(Duration.ofMillis(1));
        Run r = transfer(link, true, 10_000_000, (d, i, p) -> false);
        assertThat(r.finished()).isTrue();
        long bdp = (long) (RATE / 8 * 0.1 * CHUNK_SHARE);
        assertThat(r.stats().cwnd()).isGreaterThan(bdp * 3 / 4);
    }

    private static boolean carriesData(ByteBuffer packet) {
        return chunks(packet).stream().anyMatch(c -> c instanceof DataChunk);
    }

    private static List<Chunk> chunks(ByteBuffer packet) {
        try {
            return SctpPacket.parse(packet.duplicate()).chunks();
        } catch (Exception e) {
            throw new AssertionError("the core sent a packet that does not parse", e);
        }
    }
}
