package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ForwardTsnChunk;
import io.jrtc.sctp.packet.SackChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * FORWARD TSN on an ordered channel with maxRetransmits=0, both ways: jrtc drops one of its own DATA packets (it
 * abandons the message and sends FORWARD TSN: the target's cumulative TSN ack must move past it and the later messages
 * be delivered) and one of the target's (the target must abandon it too, with a FORWARD TSN, and not retransmit).
 */
final class ForwardTsnPartialReliability extends Scenario {

    static final int COUNT = 12;
    static final int SIZE = 1000;
    static final int DROP = 3;

    @Override
    public String id() {
        return "forward-tsn";
    }

    @Override
    public String clause() {
        return "RFC 3758 §3.5, §3.6; RFC 8831 §6.6";
    }

    @Override
    public String description() {
        return "On an ordered channel with maxRetransmits=0, jrtc sends 12 messages of 1,000 bytes, drops its own 3rd "
                + "DATA packet and the target's 3rd (an echo). Outbound: jrtc abandons its message and sends FORWARD TSN; "
                + "the target's SACK cumulative TSN must move past the lost TSN and every later message be echoed. "
                + "Inbound: the target must abandon its lost echo with a FORWARD TSN (retransmitting it instead is a "
                + "DEVIATION), and jrtc must receive every other echo, in order. A stuck stream is a FAIL.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        DataChannel ch = s.openChannel("partial", DataChannelInit.builder().ordered(true).maxRetransmits(0).build(), 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "the channel did not open", List.of());
        }
        int sid = ch.id();
        s.tap.add(Fault.drop(Direction.OUTBOUND, ChunkTypes.DATA, DROP, 0));
        s.tap.add(Fault.drop(Direction.INBOUND, ChunkTypes.DATA, DROP, 0));
        for (int i = 0; i < COUNT; i++) {
            s.send(ch, Waits.pattern(i, SIZE));
        }
        // what the drops took, from the packets themselves
        ProbeTap.Seen outDrop = s.tap.await(p -> !p.inbound() && !p.passed() && p.packet() != null, 5000);
        ProbeTap.Seen inDrop = s.tap.await(p -> p.inbound() && !p.passed() && p.packet() != null, 5000);
        List<Evidence> ev = new ArrayList<>();
        if (outDrop == null || inDrop == null) {
            return outcome(Verdict.NOT_APPLICABLE, "too few DATA packets for the drops to act", ev);
        }
        Set<Integer> lostOut = messages(outDrop, sid);
        Set<Integer> lostIn = messages(inDrop, sid);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            if (!lostOut.contains(i) && !lostIn.contains(i)) {
                expected.add(i);
            }
        }
        List<Integer> got = new ArrayList<>();
        while (got.size() < expected.size()) {
            DataChannelMessage m = s.receive(ch, 8000);
            if (m == null) {
                break;
            }
            ByteBuffer d = m.data().duplicate();
            got.add(d.remaining() >= 4 ? d.getInt() : -1);
        }
        // anything more (a retransmitted echo arriving late, say) is evidence too
        DataChannelMessage extra = s.receive(ch, 300);
        if (extra != null) {
            got.add(extra.data().duplicate().getInt());
        }
        long lostOutTsn = maxTsn(outDrop, sid);
        long lostInTsn = maxTsn(inDrop, sid);
        List<ProbeTap.Seen> all = s.tap.seen();
        ProbeTap.Seen ourFwd = firstAfter(all, outDrop, false, p -> p.packet().chunks().stream()
                .anyMatch(c -> c instanceof ForwardTsnChunk f && covers(f.newCumulativeTsn(), lostOutTsn)));
        ProbeTap.Seen sackPast = firstAfter(all, outDrop, true, p -> p.packet().chunks().stream()
                .anyMatch(c -> c instanceof SackChunk k && covers(k.cumulativeTsnAck(), lostOutTsn)));
        ProbeTap.Seen theirFwd = firstAfter(all, inDrop, true, p -> p.packet().chunks().stream()
                .anyMatch(c -> c instanceof ForwardTsnChunk f && covers(f.newCumulativeTsn(), lostInTsn)));
        ProbeTap.Seen theirRetransmit = firstAfter(all, inDrop, true, p -> p.packet().chunks().stream()
                .anyMatch(c -> c instanceof DataChunk d && d.tsn() == lostInTsn));
        ev.add(Evidence.note("lost outbound messages " + lostOut + " (TSN " + lostOutTsn + "), lost echoes " + lostIn
                + " (TSN " + lostInTsn + "); echoes expected " + expected + ", received " + got));
        ev.add(toEvidence(outDrop));
        for (ProbeTap.Seen p : new ProbeTap.Seen[] {ourFwd, sackPast, inDrop, theirFwd, theirRetransmit}) {
            if (p != null && p != outDrop) {
                ev.add(toEvidence(p));
            }
        }
        if (sackPast == null) {
            return outcome(Verdict.FAIL, "the target's cumulative TSN ack never moved past the abandoned TSN " + lostOutTsn
                    + (ourFwd == null ? " (jrtc sent no FORWARD TSN)" : " after jrtc's FORWARD TSN"), ev);
        }
        List<Integer> withRetransmit = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            if (!lostOut.contains(i)) {
                withRetransmit.add(i);
            }
        }
        if (theirRetransmit != null && (got.equals(expected) || got.equals(withRetransmit))) {
            return outcome(Verdict.DEVIATION, "the target retransmitted its lost echo (TSN " + lostInTsn + ") on a "
                    + "maxRetransmits=0 channel instead of abandoning it; otherwise every echo arrived in order", ev);
        }
        if (!got.equals(expected)) {
            return outcome(Verdict.FAIL, "the echoes did not all arrive, in order: expected " + expected + ", received " + got, ev);
        }
        if (theirFwd == null) {
            return outcome(Verdict.FAIL, "the target sent no FORWARD TSN past its lost TSN " + lostInTsn, ev);
        }
        return outcome(Verdict.PASS, "the target moved its cumulative TSN past jrtc's abandoned message, delivered the "
                + "later ones, and abandoned its own lost echo with a FORWARD TSN; every other echo arrived in order", ev);
    }

    /** The message indexes (first 4 bytes of a beginning fragment) of the DATA on {@code sid} in a packet. */
    private static Set<Integer> messages(ProbeTap.Seen p, int sid) {
        Set<Integer> out = new LinkedHashSet<>();
        for (var c : p.packet().chunks()) {
            if (c instanceof DataChunk d && d.streamId() == sid && d.beginning() && d.payload().length >= 4) {
                out.add(ByteBuffer.wrap(d.payload()).getInt());
            }
        }
        return new TreeSet<>(out);
    }

    private static long maxTsn(ProbeTap.Seen p, int sid) {
        long tsn = -1;
        for (var c : p.packet().chunks()) {
            if (c instanceof DataChunk d && (tsn < 0 || covers(d.tsn(), tsn))) {
                tsn = d.tsn();
            }
        }
        return tsn;
    }

    /** Whether serial number {@code a} is at or past {@code b} (RFC 1982, 32 bits). */
    static boolean covers(long a, long b) {
        return ((a - b) & 0xFFFF_FFFFL) < 0x8000_0000L;
    }

    private static ProbeTap.Seen firstAfter(List<ProbeTap.Seen> all, ProbeTap.Seen from, boolean inbound,
            java.util.function.Predicate<ProbeTap.Seen> match) {
        for (int i = all.indexOf(from) + 1; i > 0 && i < all.size(); i++) {
            ProbeTap.Seen p = all.get(i);
            if (p.inbound() == inbound && p.passed() && p.packet() != null && match.test(p)) {
                return p;
            }
        }
        return null;
    }
}
