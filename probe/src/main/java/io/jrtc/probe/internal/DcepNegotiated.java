package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.ChannelOptions;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.TargetControl;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A channel negotiated out of band (W3C {@code negotiated: true, id: 60}) on both sides: neither side may send a
 * DATA_CHANNEL_OPEN for it (RFC 8832 §6, RFC 8831 §6.5), and data flows both ways on stream 60 at once.
 */
final class DcepNegotiated extends Scenario {

    static final int ID = 60;
    static final String LABEL = "negotiated";
    static final int COUNT = 3;

    @Override
    public String id() {
        return "dcep-negotiated";
    }

    @Override
    public String clause() {
        return "RFC 8831 §6.5, RFC 8832 §6";
    }

    @Override
    public String description() {
        return "jrtc and the target (on command) each create a negotiated channel with id 60: the target sends 3 "
                + "messages on it, jrtc echoes them, and the target must get them back; no DATA_CHANNEL_OPEN may appear "
                + "on stream 60 in either direction (one from the target is a FAIL). Needs TargetControl.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        if (s.control().isEmpty()) {
            return outcome(Verdict.NOT_APPLICABLE, "the route cannot ask the target to create a negotiated channel", List.of());
        }
        TargetControl control = s.control().orElseThrow();
        int from = s.tap.seen().size();
        DataChannel ours = s.openChannel(LABEL, DataChannelInit.builder().negotiated(ID).build(), 5000);
        if (ours == null) {
            return outcome(Verdict.FAIL, "jrtc's negotiated channel did not open", List.of());
        }
        CompletableFuture<Boolean> theirs = control.openAndSend(LABEL, new ChannelOptions(true, null, null, "", ID), COUNT, 16, false);
        int echoed = 0;
        for (int i = 0; i < COUNT; i++) {
            DataChannelMessage m = s.receive(ours, 8000);
            if (m == null) {
                break;
            }
            if (m.isBinary()) {
                s.send(ours, m.toByteArray());
            } else {
                s.send(ours, m.text());
            }
            echoed++;
        }
        boolean targetGotEchoes = Boolean.TRUE.equals(theirs.get(15, TimeUnit.SECONDS));
        List<ProbeTap.Seen> all = s.tap.seen();
        all = all.subList(from, all.size());
        List<Evidence> ev = new ArrayList<>();
        ProbeTap.Seen theirOpen = null;
        ProbeTap.Seen ourOpen = null;
        ProbeTap.Seen firstIn = null;
        ProbeTap.Seen firstOut = null;
        for (ProbeTap.Seen p : all) {
            if (p.packet() == null) {
                continue;
            }
            for (var c : p.packet().chunks()) {
                if (c instanceof DataChunk d && (d.streamId() == ID || (d.ppid() == 50 && Waits.isOpenOf(d, LABEL)))) {
                    boolean open = d.ppid() == 50 && Waits.isOpenOf(d, LABEL);
                    if (open && p.inbound() && theirOpen == null) {
                        theirOpen = p;
                    } else if (open && !p.inbound() && ourOpen == null) {
                        ourOpen = p;
                    } else if (!open && p.inbound() && firstIn == null) {
                        firstIn = p;
                    } else if (!open && !p.inbound() && firstOut == null) {
                        firstOut = p;
                    }
                }
            }
        }
        for (ProbeTap.Seen p : new ProbeTap.Seen[] {ourOpen, theirOpen, firstIn, firstOut}) {
            if (p != null) {
                ev.add(toEvidence(p));
            }
        }
        ev.add(0, Evidence.note("jrtc received and echoed " + echoed + "/" + COUNT + " messages on its negotiated channel "
                + "(stream " + ours.id() + "); the target " + (targetGotEchoes ? "got them back" : "did not get them all back")));
        if (ourOpen != null) {
            return outcome(Verdict.FAIL, "jrtc itself sent a DATA_CHANNEL_OPEN for its negotiated channel", ev);
        }
        if (theirOpen != null && firstIn == null) {
            return outcome(Verdict.NOT_APPLICABLE, "the target's route opened an in-band channel instead (its "
                    + "DATA_CHANNEL_OPEN is in the evidence): it could not be asked for a negotiated one", ev);
        }
        if (theirOpen != null) {
            return outcome(Verdict.FAIL, "the target sent a DATA_CHANNEL_OPEN for a negotiated channel", ev);
        }
        if (echoed < COUNT || !targetGotEchoes) {
            return outcome(Verdict.FAIL, "data did not flow both ways on the negotiated channel: " + echoed + "/" + COUNT
                    + " messages reached jrtc" + (targetGotEchoes ? "" : ", the target did not get its echoes"), ev);
        }
        return outcome(Verdict.PASS, "no DATA_CHANNEL_OPEN either way; " + COUNT + " messages on stream " + ID
                + " reached jrtc and came back to the target", ev);
    }
}
