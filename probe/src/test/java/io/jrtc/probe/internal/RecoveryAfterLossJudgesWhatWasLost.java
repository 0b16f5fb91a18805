package io.jrtc.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SctpPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code recovery-after-loss} judges the dropped packets: the sequence Firefox ESR 153 produced in one run (a second,
 * spurious retransmission of a TSN that had already arrived was the packet dropped) must count as recovered; a TSN
 * that never arrives after its loss must not.
 */
class RecoveryAfterLossJudgesWhatWasLost {

    private static final String DROP = "drop DATA in (nth=3, every=10)";

    private static DataChunk data(long tsn) {
        return new DataChunk(tsn, 0, (int) (tsn % 100), 53, new byte[8], false, true, true, false);
    }

    private static ProbeTap.Seen in(long at, String fault, long... tsns) {
        List<Chunk> chunks = new ArrayList<>();
        for (long t : tsns) {
            chunks.add(data(t));
        }
        return new ProbeTap.Seen(at, Direction.INBOUND, fault, new SctpPacket(5000, 5000, 0x8610abb6L, chunks), false);
    }

    @Test
    void aDroppedRetransmissionOfTsnsThatAlreadyArrivedIsNotALoss() {
        List<ProbeTap.Seen> seen = List.of(
                in(5096, DROP, 775),        // lost
                in(5099, null, 775),        // retransmitted: arrives
                in(5103, DROP, 775, 797),   // the target retransmits 775 again (and 797, new), and this one is dropped
                in(5109, null, 797));       // 797 arrives
        List<Evidence> ev = new ArrayList<>();
        RecoveryAfterLoss.Judged r = RecoveryAfterLoss.judge(seen, ev);
        assertThat(new int[] {r.dropped(), r.recovered()}).containsExactly(2, 2);
        assertThat(ev).anyMatch(e -> e.decoded().startsWith("retransmitted after 3 ms"))
                .anyMatch(e -> e.decoded().startsWith("retransmitted after 6 ms") && e.decoded().contains("tsn=797"));
    }

    @Test
    void aPacketOfOnlyAlreadyArrivedTsnsIsRecoveredWithANote() {
        List<Evidence> ev = new ArrayList<>();
        RecoveryAfterLoss.Judged r = RecoveryAfterLoss.judge(List.of(in(1, null, 10, 11), in(2, DROP, 10, 11)), ev);
        assertThat(new int[] {r.dropped(), r.recovered()}).containsExactly(1, 1);
        assertThat(ev).anyMatch(e -> e.decoded().contains("had already arrived"));
    }

    @Test
    void aTsnThatNeverArrivesAgainIsALoss() {
        List<Evidence> ev = new ArrayList<>();
        // 20 is lost and never comes again; 22 is lost and retransmitted
        RecoveryAfterLoss.Judged r = RecoveryAfterLoss.judge(List.of(in(1, DROP, 20), in(2, null, 21), in(3, DROP, 22), in(4, null, 22)), ev);
        assertThat(new int[] {r.dropped(), r.recovered()}).containsExactly(2, 1);
    }

    private static ProbeTap.Seen sack(long at, long cum, int gapStart, int gapEnd) {
        return new ProbeTap.Seen(at, Direction.OUTBOUND, null, new SctpPacket(5000, 5000, 0x1234L, List.of(new SackChunk(cum,
                100_000, List.of(new SackChunk.GapAckBlock(gapStart, gapEnd)), List.of()))), false);
    }

    @Test
    void aRetransmissionSoonAfterTheThirdMissIndicationIsAFastRetransmit() {
        // 31 lost; jrtc's SACKs (cum 30, gap acking 32.., i.e. offsets 2..) report it missing three times; it comes at once
        List<ProbeTap.Seen> seen = List.of(in(100, DROP, 31), in(101, null, 32), sack(102, 30, 2, 2), in(103, null, 33),
                sack(104, 30, 2, 3), in(105, null, 34), sack(106, 30, 2, 4), in(110, null, 31));
        List<Evidence> ev = new ArrayList<>();
        RecoveryAfterLoss.Judged r = RecoveryAfterLoss.judge(seen, ev);
        assertThat(r).isEqualTo(new RecoveryAfterLoss.Judged(1, 1, 1, 0, 1));
        assertThat(ev).anyMatch(e -> e.decoded().contains("fast retransmit, 4 ms after the third miss indication"));
    }

    @Test
    void aRetransmissionLongAfterTheMissIndicationsOrWithoutThemIsTheTimers() {
        // 31: three miss indications, but it comes a second later (the timer); 41: lost at the end, no SACK reports it
        List<ProbeTap.Seen> seen = List.of(in(100, DROP, 31), in(101, null, 32), sack(102, 30, 2, 2), in(103, null, 33),
                sack(104, 30, 2, 3), in(105, null, 34), sack(106, 30, 2, 4), in(1106, null, 31),
                in(1200, DROP, 41), in(2201, null, 41));
        List<Evidence> ev = new ArrayList<>();
        RecoveryAfterLoss.Judged r = RecoveryAfterLoss.judge(seen, ev);
        assertThat(r).isEqualTo(new RecoveryAfterLoss.Judged(2, 2, 0, 2, 1));
        assertThat(ev).anyMatch(e -> e.decoded().contains("by the timer: 1000 ms after the third miss indication"))
                .anyMatch(e -> e.decoded().contains("by the timer: fewer than 3 miss indications"));
    }

    @Test
    void aTsnInsideAGapBlockIsNotMissing() {
        SackChunk s = new SackChunk(30, 100_000, List.of(new SackChunk.GapAckBlock(2, 4)), List.of());
        assertThat(RecoveryAfterLoss.missing(s, 31)).isTrue();
        assertThat(RecoveryAfterLoss.missing(s, 33)).isFalse();
        assertThat(RecoveryAfterLoss.missing(s, 30)).isFalse();
        assertThat(RecoveryAfterLoss.missing(s, 35)).isFalse();
    }
}
