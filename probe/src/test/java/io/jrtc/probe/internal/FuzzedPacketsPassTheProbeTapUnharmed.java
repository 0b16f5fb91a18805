package io.jrtc.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.SctpPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe's tap sees whatever the target sends: arbitrary bytes must never make it throw, and what it forwards is the
 * packet as received (or, for a fault that rewrites, a packet that parses again with the window rewritten), once,
 * unless a fault drops it. Every packet it recorded decodes to a line of evidence.
 */
class FuzzedPacketsPassTheProbeTapUnharmed {

    @FuzzTest(maxDuration = "30s")
    void packet(byte[] input) throws Exception {
        boolean rewrite = input.length > 0 && (input[input.length - 1] & 1) == 1;
        List<Fault> faults = new ArrayList<>();
        faults.add(Fault.drop(Direction.INBOUND, ChunkTypes.DATA, 2, 0));
        if (rewrite) {
            faults.add(Fault.rewrite("a_rwnd 4 MiB", Direction.INBOUND, -1, Windows.rewrite(w -> 4L << 20)));
        }
        ProbeTap tap = new ProbeTap(faults);
        for (int round = 0; round < 2; round++) {
            List<ByteBuffer> forwarded = new ArrayList<>();
            tap.onSctp(Direction.INBOUND, ByteBuffer.wrap(input), forwarded::add);
            ProbeTap.Seen seen = tap.seen().get(tap.seen().size() - 1);
            assertThat(seen.decoded()).isNotEmpty();
            if (seen.fault() != null && seen.fault().startsWith("drop")) {
                assertThat(forwarded).isEmpty();
                continue;
            }
            assertThat(forwarded).hasSize(1);
            ByteBuffer out = forwarded.get(0);
            if (seen.fault() == null || seen.packet() == null) {
                assertThat(out).isEqualTo(ByteBuffer.wrap(input));
            } else {
                SctpPacket again = SctpPacket.parse(out.duplicate());
                assertThat(again).usingRecursiveComparison().isEqualTo(seen.packet());
            }
        }
        for (ProbeTap.Seen s : tap.seen()) {
            if (s.packet() != null) {
                assertThat(Decode.packet(s.packet())).startsWith("SCTP vtag=");
            }
        }
    }
}
