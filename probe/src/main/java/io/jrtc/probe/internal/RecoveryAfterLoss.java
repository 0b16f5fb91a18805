package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayList;
import java.util.List;

/** The target's DATA is lost (the 3rd packet, then every 10th): it must retransmit, and every echo must arrive. */
final class RecoveryAfterLoss extends Scenario {

    static final int COUNT = 40;
    static final int SIZE = 1000;

    @Override
    public String id() {
        return "recovery-after-loss";
    }

    @Override
    public String clause() {
        return "RFC 9260 §6.3.3, §7.2.4";
    }

    @Override
    public String description() {
        return "jrtc drops the target's 3rd DATA packet and every 10th after it, while the target echoes 40 messages of "
                + "1,000 bytes: each lost TSN must be retransmitted (T3-rtx or fast retransmit) and every echo arrive, "
                + "in order and intact.";
    }

    @Override
    public List<Fault> faults() {
        return List.of(Fault.drop(Direction.INBOUND, ChunkTypes.DATA, 3, 10));
    }

    @Override
    public Outcome run(Session s) throws Exception {
        DataChannel ch = s.openChannel("lossy", DataChannelInit.DEFAULT, 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "the channel did not open", List.of());
        }
        for (int i = 0; i < COUNT; i++) {
            s.send(ch, Waits.pattern(i, SIZE));
        }
        int intact = 0;
        for (int i = 0; i < COUNT; i++) {
            DataChannelMessage m = s.receive(ch, 15_000);
            if (m == null) {
                break;
            }
            intact += Waits.sameBytes(m, Waits.pattern(i, SIZE)) ? 1 : 0;
        }
        List<Evidence> ev = new ArrayList<>();
        int[] counts = judge(s.tap.seen(), ev);
        int dropped = counts[0];
        int recovered = counts[1];
        ev.add(0, Evidence.note(dropped + " DATA packets dropped, " + recovered + " retransmitted; " + intact + "/" + COUNT
                + " echoes intact and in order"));
        if (dropped == 0) {
            return outcome(Verdict.NOT_APPLICABLE, "the target sent too few DATA packets for the fault to act", ev);
        }
        if (intact < COUNT || recovered < dropped) {
            return outcome(Verdict.FAIL, "the target did not recover from the loss: " + intact + "/" + COUNT + " echoes, "
                    + recovered + "/" + dropped + " lost packets retransmitted", ev);
        }
        return outcome(Verdict.PASS, "every lost DATA retransmitted, all " + COUNT + " echoes intact", ev);
    }

    /**
     * Counts the dropped inbound DATA packets and those recovered, adding the evidence: a dropped packet is recovered
     * when a later packet that passed carries its first DATA chunk's TSN, or when every TSN in it had already passed
     * (a retransmission the target sent before jrtc's SACK reached it: nothing is left to recover). Returns
     * {dropped, recovered}.
     */
    static int[] judge(List<ProbeTap.Seen> seen, List<Evidence> ev) {
        int dropped = 0;
        int recovered = 0;
        java.util.Set<Long> delivered = new java.util.HashSet<>();
        for (int i = 0; i < seen.size(); i++) {
            ProbeTap.Seen p = seen.get(i);
            if (!p.inbound() || p.packet() == null) {
                continue;
            }
            if (p.passed()) {
                for (var c : p.packet().chunks()) {
                    if (c instanceof DataChunk d) {
                        delivered.add(d.tsn());
                    }
                }
                continue;
            }
            dropped++;
            ev.add(toEvidence(p));
            DataChunk lost = null;
            boolean anyData = false;
            for (var c : p.packet().chunks()) {
                if (c instanceof DataChunk d) {
                    anyData = true;
                    if (!delivered.contains(d.tsn())) {
                        lost = d;
                        break;
                    }
                }
            }
            if (lost == null) {
                if (anyData) {
                    recovered++;
                    ev.add(Evidence.note("every TSN of that packet had already arrived: a retransmission, nothing to recover"));
                }
                continue;
            }
            long tsn = lost.tsn();
            ProbeTap.Seen again = seen.subList(i + 1, seen.size()).stream().filter(q -> q.inbound() && q.passed()
                    && q.packet() != null && q.packet().chunks().stream().anyMatch(x -> x instanceof DataChunk e && e.tsn() == tsn))
                    .findFirst().orElse(null);
            if (again != null) {
                recovered++;
                ev.add(new Evidence(again.atMillis(), "in", "retransmitted after " + (again.atMillis() - p.atMillis())
                        + " ms: " + again.decoded()));
            }
        }
        return new int[] {dropped, recovered};
    }
}
