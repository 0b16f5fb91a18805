package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SackChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * jrtc advertises a small receive window (8 KiB, rewritten into its INIT / INIT ACK and every SACK) and makes the
 * target send 64,000 bytes (the echo of four 16,000-byte messages): the target's data in flight must stay within the
 * window, give or take one DATA chunk.
 */
final class ReceiveWindowRespected extends Scenario {

    static final long WINDOW = 8192;
    /** One DATA chunk may exceed what is left of the window (RFC 9260 §6.1 rule A's one-packet allowance). */
    static final long SLACK = 1200;

    @Override
    public String id() {
        return "receive-window-respected";
    }

    @Override
    public String clause() {
        return "RFC 9260 §6.1";
    }

    @Override
    public String description() {
        return "jrtc advertises a_rwnd=8192 (INIT / INIT ACK and every SACK, each SACK held 30 ms) and makes the target send 64,000 bytes; "
                + "the target's bytes in flight (DATA above jrtc's last cumulative TSN ack) must never exceed the window "
                + "by more than one chunk, and the transfer must complete.";
    }

    @Override
    public List<Fault> faults() {
        // SACKs held 30 ms: the target cannot have heard of a SACK before the probe lets it go, so counting in flight
        // from the SACKs let go never overstates what the target had in flight
        return List.of(Fault.rewrite("a_rwnd=" + WINDOW, Direction.OUTBOUND, -1, Windows.rewrite(w -> Math.min(w, WINDOW))),
                Fault.delay(Direction.OUTBOUND, io.jrtc.sctp.packet.ChunkTypes.SACK, 1, 1, 30));
    }

    @Override
    public Outcome run(Session s) throws Exception {
        DataChannel ch = s.openChannel("small-window", DataChannelInit.DEFAULT, 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "the channel did not open under an 8 KiB window", List.of());
        }
        int count = 4;
        int size = 16_000;
        int intact = 0;
        for (int i = 0; i < count; i++) {
            s.send(ch, Waits.pattern(i, size));
        }
        for (int i = 0; i < count; i++) {
            DataChannelMessage m = s.receive(ch, 20_000);
            if (m == null) {
                break;
            }
            intact += Waits.sameBytes(m, Waits.pattern(i, size)) ? 1 : 0;
        }
        // walk the packets in order: bytes the target has in flight when it sends each new DATA chunk
        long cum = -1;
        Map<Long, Integer> inFlight = new HashMap<>();
        long max = 0;
        ProbeTap.Seen worst = null;
        int dataChunks = 0;
        for (ProbeTap.Seen p : s.tap.seen()) {
            if (p.packet() == null || !p.passed()) {
                continue;
            }
            for (Chunk c : p.packet().chunks()) {
                if (!p.inbound() && c instanceof SackChunk sack) {
                    cum = sack.cumulativeTsnAck();
                    long ack = cum;
                    inFlight.keySet().removeIf(t -> (int) (t - ack) <= 0);
                } else if (p.inbound() && c instanceof DataChunk d && (cum < 0 || (int) (d.tsn() - cum) > 0)) {
                    dataChunks++;
                    inFlight.put(d.tsn(), d.payload().length);
                    long sum = inFlight.values().stream().mapToLong(Integer::longValue).sum();
                    if (sum > max) {
                        max = sum;
                        worst = p;
                    }
                }
            }
        }
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.note("jrtc advertised a_rwnd=" + WINDOW + "; the target sent " + dataChunks
                + " DATA chunks; at most " + max + " bytes in flight; " + intact + "/" + count + " echoes intact"));
        ev.addAll(evidence(s, p -> !p.inbound() && p.fault() != null && p.fault().startsWith("rewrite"), 2));
        if (worst != null) {
            ev.add(toEvidence(worst));
        }
        if (max > WINDOW + SLACK) {
            return outcome(Verdict.FAIL, "the target had " + max + " bytes in flight against an advertised window of "
                    + WINDOW, ev);
        }
        if (intact < count) {
            return outcome(Verdict.FAIL, "the transfer under an 8 KiB window did not complete (" + intact + "/" + count + ")", ev);
        }
        return outcome(Verdict.PASS, "at most " + max + " bytes in flight against a window of " + WINDOW, ev);
    }
}
