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

/**
 * jrtc sends messages on a channel right after its DATA_CHANNEL_OPEN, before the target's DATA_CHANNEL_ACK reaches
 * it (the tap holds the inbound packets carrying a DATA_CHANNEL_ACK for 500 ms): RFC 8832 §6 lets the opener send at once, so the
 * target must accept them and echo them, in order.
 */
final class DcepDataBeforeAck extends Scenario {

    static final String LABEL = "before-ack";
    static final int COUNT = 3;
    static final long HOLD_MS = 500;

    @Override
    public String id() {
        return "dcep-data-before-ack";
    }

    @Override
    public String clause() {
        return "RFC 8832 §6";
    }

    @Override
    public String description() {
        return "jrtc opens a channel and sends 3 messages at once, before the target's DATA_CHANNEL_ACK reaches it (the "
                + "tap holds the target's packets that carry a DATA_CHANNEL_ACK for 500 ms): the target must accept the messages that follow "
                + "the DATA_CHANNEL_OPEN and echo all 3, in order. Lost or refused messages are a FAIL.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        int from = s.tap.seen().size();
        // the target's ACK (and whatever follows it for a moment) arrives late: jrtc's messages go before it
        s.tap.add(Fault.delayMatching("inbound DATA_CHANNEL_ACK", Direction.INBOUND, ChunkTypes.DATA,
                p -> p.chunks().stream().anyMatch(c -> c instanceof DataChunk d && Waits.isAck(d)), HOLD_MS));
        DataChannel ch = s.openChannel(LABEL, DataChannelInit.DEFAULT, 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "the channel did not open", List.of());
        }
        for (int i = 0; i < COUNT; i++) {
            s.send(ch, "early " + i);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            DataChannelMessage m = s.receive(ch, 8000);
            if (m == null) {
                break;
            }
            got.add(m.isBinary() ? "(binary)" : m.text());
        }
        List<ProbeTap.Seen> all = s.tap.seen();
        all = all.subList(from, all.size());
        ProbeTap.Seen open = null;
        ProbeTap.Seen firstData = null;
        ProbeTap.Seen ack = null;
        int sid = ch.id();
        for (ProbeTap.Seen p : all) {
            if (p.packet() == null) {
                continue;
            }
            for (var c : p.packet().chunks()) {
                if (c instanceof DataChunk d && d.streamId() == sid) {
                    if (!p.inbound() && open == null && Waits.isOpenOf(d, LABEL)) {
                        open = p;
                    } else if (!p.inbound() && firstData == null && d.ppid() != 50) {
                        firstData = p;
                    } else if (p.inbound() && p.passed() && ack == null && Waits.isAck(d)) {
                        ack = p;
                    }
                }
            }
        }
        List<Evidence> ev = new ArrayList<>();
        for (ProbeTap.Seen p : new ProbeTap.Seen[] {open, firstData, ack}) {
            if (p != null) {
                ev.add(toEvidence(p));
            }
        }
        ev.add(0, Evidence.note("echoes: " + got));
        if (open == null || firstData == null) {
            return outcome(Verdict.NOT_APPLICABLE, "jrtc's DATA_CHANNEL_OPEN or its messages were not seen", ev);
        }
        if (ack != null && ack.atMillis() < firstData.atMillis()) {
            return outcome(Verdict.NOT_APPLICABLE, "the target's DATA_CHANNEL_ACK arrived before jrtc's first message", ev);
        }
        List<String> want = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            want.add("early " + i);
        }
        if (!got.equals(want)) {
            return outcome(Verdict.FAIL, "messages sent after the DATA_CHANNEL_OPEN and before the ACK were not all echoed "
                    + "in order: " + got, ev);
        }
        return outcome(Verdict.PASS, "the " + COUNT + " messages sent before the target's DATA_CHANNEL_ACK arrived were "
                + "accepted and echoed in order" + (ack == null ? " (no ACK seen)" : ""), ev);
    }
}
