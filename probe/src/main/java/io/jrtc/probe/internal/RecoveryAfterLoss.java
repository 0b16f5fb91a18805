package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SctpPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The target's DATA is lost: in the middle of a stream (the 3rd packet, then every 10th), where jrtc's SACKs report
 * the gap and the target should fast-retransmit (RFC 9260 §7.2.4: on the third miss indication), and at the tail (the
 * echo of a last, lone message), where nothing reports the gap and only the T3-rtx timer (§6.3.3) can recover it.
 * Every lost TSN must come again and every echo arrive intact and in order.
 */
final class RecoveryAfterLoss extends Scenario {

    static final int COUNT = 40;
    static final int SIZE = 1000;
    /** A retransmission this soon after the third miss indication is the fast retransmit, not the timer. */
    static final long FAST_WITHIN_MS = 200;
    private static final byte[] TAIL = "the tail: the last message, alone".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** How each lost packet came back: by fast retransmit, by the timer, or not at all. */
    record Judged(int dropped, int recovered, int fast, int timer, int fastPossible) {
    }

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
                + "1,000 bytes (jrtc's SACKs report each gap: the target should fast-retransmit on the third miss "
                + "indication), then the echo of one last message alone (no later DATA, no gap report: only the T3-rtx "
                + "timer recovers it): each lost TSN must be retransmitted and every echo arrive, in order and intact. "
                + "Recovering the mid-stream losses only by the timer is a DEVIATION.";
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
        // the tail: the first copy of the target's echo of TAIL is cut out (the packet is dropped if nothing else is in it)
        AtomicBoolean tailCut = new AtomicBoolean();
        s.tap.add(Fault.rewrite("drop the tail DATA in (first)", Direction.INBOUND, ChunkTypes.DATA, p -> {
            if (tailCut.get() || p.chunks().stream().noneMatch(RecoveryAfterLoss::isTail)) {
                return p;
            }
            tailCut.set(true);
            return new SctpPacket(p.sourcePort(), p.destinationPort(), p.verificationTag(),
                    p.chunks().stream().filter(c -> !isTail(c)).toList());
        }));
        s.send(ch, TAIL);
        DataChannelMessage tail = s.receive(ch, 15_000);
        boolean tailBack = tail != null && Waits.sameBytes(tail, TAIL);
        List<Evidence> ev = new ArrayList<>();
        Judged j = judge(s.tap.seen(), ev);
        Long tailAfter = tailRecovery(s.tap.seen(), ev);
        ev.add(0, Evidence.note(j.dropped() + " DATA packets dropped mid-stream, " + j.recovered() + " retransmitted ("
                + j.fast() + " by fast retransmit, " + j.timer() + " by the timer); " + intact + "/" + COUNT
                + " echoes intact and in order; the tail " + (tailCut.get() ? "was cut and " : "was not seen and ")
                + (tailBack ? "its echo arrived" + (tailAfter == null ? "" : ", retransmitted after " + tailAfter + " ms")
                        : "its echo never arrived")));
        if (j.dropped() == 0 || !tailCut.get()) {
            return outcome(Verdict.NOT_APPLICABLE, "the target sent too few DATA packets for the faults to act", ev);
        }
        if (intact < COUNT || j.recovered() < j.dropped()) {
            return outcome(Verdict.FAIL, "the target did not recover from the loss: " + intact + "/" + COUNT + " echoes, "
                    + j.recovered() + "/" + j.dropped() + " lost packets retransmitted", ev);
        }
        if (!tailBack) {
            return outcome(Verdict.FAIL, "the target never retransmitted its lost last DATA (T3-rtx, RFC 9260 §6.3.3): "
                    + "no echo of the tail within 15 s", ev);
        }
        String tailText = "the tail loss by the T3-rtx timer" + (tailAfter == null ? "" : " after " + tailAfter + " ms");
        if (j.fast() == 0 && j.fastPossible() > 0) {
            return outcome(Verdict.DEVIATION, "every loss recovered, but no fast retransmit: " + j.fastPossible()
                    + " lost TSNs were reported missing by 3 or more of jrtc's SACKs and still came again only by the "
                    + "timer (RFC 9260 §7.2.4); " + tailText, ev);
        }
        return outcome(Verdict.PASS, "every lost DATA retransmitted, all " + COUNT + " echoes intact: " + j.fast()
                + " mid-stream losses by fast retransmit" + (j.timer() > 0 ? ", " + j.timer() + " by the timer" : "")
                + "; " + tailText, ev);
    }

    private static boolean isTail(io.jrtc.sctp.packet.Chunk c) {
        return c instanceof DataChunk d && Arrays.equals(d.payload(), TAIL);
    }

    /** Milliseconds from the cut tail to its retransmission, with the evidence; null when it did not come again. */
    private static Long tailRecovery(List<ProbeTap.Seen> seen, List<Evidence> ev) {
        Long cutAt = null;
        for (ProbeTap.Seen p : seen) {
            if (!p.inbound() || p.packet() == null) {
                continue;
            }
            if (cutAt == null && p.fault() != null && p.fault().endsWith("drop the tail DATA in (first)")) {
                cutAt = p.atMillis();
                ev.add(toEvidence(p));
            } else if (cutAt != null && p.passed() && p.packet().chunks().stream().anyMatch(RecoveryAfterLoss::isTail)) {
                ev.add(new Evidence(p.atMillis(), "in", "the tail retransmitted after " + (p.atMillis() - cutAt)
                        + " ms: " + p.decoded()));
                return p.atMillis() - cutAt;
            }
        }
        return null;
    }

    /**
     * Judges the packets dropped by the mid-stream fault, adding the evidence: a dropped packet is recovered when a
     * later packet that passed carries its first DATA chunk's TSN, or when every TSN in it had already passed (a
     * retransmission the target sent before jrtc's SACK reached it: nothing is left to recover). A recovery is a fast
     * retransmit when it came within {@link #FAST_WITHIN_MS} of the third of jrtc's SACKs that reported the TSN missing
     * (a miss indication: the TSN above the cumulative ack and below the highest TSN a gap block acks), else the timer's.
     */
    static Judged judge(List<ProbeTap.Seen> seen, List<Evidence> ev) {
        int dropped = 0;
        int recovered = 0;
        int fast = 0;
        int timer = 0;
        int fastPossible = 0;
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
            if (p.fault() != null && p.fault().endsWith("drop the tail DATA in (first)")) {
                continue; // the tail is judged on its own
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
            int again = -1;
            for (int k = i + 1; k < seen.size(); k++) {
                ProbeTap.Seen q = seen.get(k);
                if (q.inbound() && q.passed() && q.packet() != null
                        && q.packet().chunks().stream().anyMatch(x -> x instanceof DataChunk e && e.tsn() == tsn)) {
                    again = k;
                    break;
                }
            }
            if (again < 0) {
                continue;
            }
            recovered++;
            ProbeTap.Seen back = seen.get(again);
            long third = thirdMissIndication(seen.subList(i + 1, again), tsn);
            boolean isFast = third >= 0 && back.atMillis() - third <= FAST_WITHIN_MS;
            if (third >= 0) {
                fastPossible++;
            }
            if (isFast) {
                fast++;
            } else {
                timer++;
            }
            ev.add(new Evidence(back.atMillis(), "in", "retransmitted after " + (back.atMillis() - p.atMillis()) + " ms"
                    + (isFast ? " (fast retransmit, " + (back.atMillis() - third) + " ms after the third miss indication)"
                            : third >= 0 ? " (by the timer: " + (back.atMillis() - third) + " ms after the third miss indication)"
                            : " (by the timer: fewer than 3 miss indications)") + ": " + back.decoded()));
        }
        return new Judged(dropped, recovered, fast, timer, fastPossible);
    }

    /** When jrtc's third SACK reporting {@code tsn} missing went out, or -1 if fewer than three did. */
    private static long thirdMissIndication(List<ProbeTap.Seen> between, long tsn) {
        int n = 0;
        for (ProbeTap.Seen q : between) {
            if (q.inbound() || q.packet() == null) {
                continue;
            }
            for (var c : q.packet().chunks()) {
                if (c instanceof io.jrtc.sctp.packet.SackChunk sack && missing(sack, tsn) && ++n == 3) {
                    return q.atMillis();
                }
            }
        }
        return -1;
    }

    /** Whether {@code sack} reports {@code tsn} missing: above its cumulative ack, below a TSN a gap block acks. */
    static boolean missing(io.jrtc.sctp.packet.SackChunk sack, long tsn) {
        long above = (tsn - sack.cumulativeTsnAck()) & 0xFFFFFFFFL;
        if (above == 0 || above >= 0x80000000L) {
            return false;
        }
        boolean higherAcked = false;
        for (var b : sack.gapAckBlocks()) {
            if (b.start() <= above && above <= b.end()) {
                return false; // acked by this block
            }
            higherAcked |= b.end() > above;
        }
        return higherAcked;
    }
}
