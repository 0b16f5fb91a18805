package io.jrtc.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
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
        int[] r = RecoveryAfterLoss.judge(seen, ev);
        assertThat(r).containsExactly(2, 2);
        assertThat(ev).anyMatch(e -> e.decoded().startsWith("retransmitted after 3 ms"))
                .anyMatch(e -> e.decoded().startsWith("retransmitted after 6 ms") && e.decoded().contains("tsn=797"));
    }

    @Test
    void aPacketOfOnlyAlreadyArrivedTsnsIsRecoveredWithANote() {
        List<Evidence> ev = new ArrayList<>();
        int[] r = RecoveryAfterLoss.judge(List.of(in(1, null, 10, 11), in(2, DROP, 10, 11)), ev);
        assertThat(r).containsExactly(1, 1);
        assertThat(ev).anyMatch(e -> e.decoded().contains("had already arrived"));
    }

    @Test
    void aTsnThatNeverArrivesAgainIsALoss() {
        List<Evidence> ev = new ArrayList<>();
        // 20 is lost and never comes again; 22 is lost and retransmitted
        int[] r = RecoveryAfterLoss.judge(List.of(in(1, DROP, 20), in(2, null, 21), in(3, DROP, 22), in(4, null, 22)), ev);
        assertThat(r).containsExactly(2, 1);
    }
}
