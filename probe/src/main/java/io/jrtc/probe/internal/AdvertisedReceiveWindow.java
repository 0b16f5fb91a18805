package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import java.util.List;

/** The receive window the target advertises in its INIT or INIT ACK. */
final class AdvertisedReceiveWindow extends Scenario {

    static final long SMALL = 64 * 1024;

    @Override
    public String id() {
        return "advertised-receive-window";
    }

    @Override
    public String clause() {
        return "RFC 9260 §3.3.2, §6.2";
    }

    @Override
    public String description() {
        return "Reads a_rwnd from the target's INIT / INIT ACK. DEVIATION when it is 64 KiB or less, or smaller than the "
                + "target's own a=max-message-size: such a window caps throughput at one window per round trip (5 Mbit/s "
                + "at 100 ms) and cannot hold one maximum-size message; browsers advertise 1 MiB or more.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        ProbeTap.Seen seen = s.tap.await(Chunks.has(Direction.INBOUND, c -> c.type() == ChunkTypes.INIT || c.type() == ChunkTypes.INIT_ACK), 5000);
        if (seen == null) {
            return outcome(Verdict.FAIL, "the target sent neither INIT nor INIT ACK", List.of());
        }
        long arwnd = seen.packet().chunks().stream().mapToLong(c -> c instanceof InitChunk i ? i.advertisedReceiverWindowCredit()
                : c instanceof InitAckChunk a ? a.advertisedReceiverWindowCredit() : -1).max().orElse(-1);
        long mms = MaxMessageSize.advertised(s.remoteSdp());
        List<Evidence> ev = List.of(toEvidence(seen), Evidence.note("the target's a=max-message-size: " + mms));
        if (arwnd <= SMALL) {
            return outcome(Verdict.DEVIATION, "the target advertises a_rwnd=" + arwnd + " (64 KiB or less)", ev);
        }
        if (mms > 0 && arwnd < mms) {
            return outcome(Verdict.DEVIATION, "a_rwnd=" + arwnd + " cannot hold one message of the advertised maximum " + mms, ev);
        }
        return outcome(Verdict.PASS, "a_rwnd=" + arwnd, ev);
    }
}
