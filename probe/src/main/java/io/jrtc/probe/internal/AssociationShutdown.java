package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.TargetControl;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The target closes its PeerConnection (on command): what does its SCTP association send? The graceful close of
 * RFC 9260 §9.2 (SHUTDOWN, jrtc's SHUTDOWN ACK, SHUTDOWN COMPLETE) or the ungraceful one of §9.1 (ABORT) both pass; a
 * SHUTDOWN that never completes fails; nothing at all (the association left to DTLS's close_notify and timers) is a
 * deviation.
 */
final class AssociationShutdown extends Scenario {

    static final long WAIT_MS = 5000;

    @Override
    public String id() {
        return "association-shutdown";
    }

    @Override
    public String clause() {
        return "RFC 9260 §9.1, §9.2";
    }

    @Override
    public String description() {
        return "The target closes its PeerConnection (on command): its association must end with an ABORT (§9.1) or "
                + "the SHUTDOWN / SHUTDOWN ACK / SHUTDOWN COMPLETE sequence (§9.2); a SHUTDOWN that does not complete is "
                + "a FAIL, no SCTP close at all within 5 s a DEVIATION. The evidence records which one the target uses.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        if (s.control().isEmpty()) {
            return outcome(Verdict.NOT_APPLICABLE, "the route cannot ask the target to close its connection", List.of());
        }
        if (!s.connected()) {
            return outcome(Verdict.FAIL, "the connection did not come up", List.of());
        }
        TargetControl control = s.control().orElseThrow();
        // a round trip first, so that both ends have the association fully up
        io.jrtc.datachannel.DataChannel ch = s.openChannel("before-close", io.jrtc.datachannel.DataChannelInit.DEFAULT, 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "a channel did not open before the close", List.of());
        }
        s.send(ch, "before close");
        if (s.receive(ch, 5000) == null) {
            return outcome(Verdict.FAIL, "no echo before the close", List.of());
        }
        int from = s.tap.seen().size();
        long asked = s.tap.millis();
        boolean closed = control.closePeerConnection().get(15, TimeUnit.SECONDS);
        if (!closed) {
            return outcome(Verdict.NOT_APPLICABLE, "the target could not be asked to close its connection", List.of());
        }
        ProbeTap.Seen first = s.tap.await(p -> s.tap.seen().indexOf(p) >= from && p.inbound() && p.packet() != null
                && p.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.ABORT || c.type() == ChunkTypes.SHUTDOWN),
                WAIT_MS);
        List<Evidence> ev = new ArrayList<>();
        ev.add(new Evidence(asked, "note", "the target was asked to close its PeerConnection"));
        if (first == null) {
            ev.addAll(after(s, from));
            return outcome(Verdict.DEVIATION, "the target sent neither ABORT nor SHUTDOWN within " + WAIT_MS / 1000
                    + " s of closing its connection", ev);
        }
        boolean abort = first.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.ABORT);
        if (abort) {
            ev.add(toEvidence(first));
            return outcome(Verdict.PASS, "the target ends the association with an ABORT (ungraceful close, §9.1)", ev);
        }
        ProbeTap.Seen complete = s.tap.await(p -> p.atMillis() >= first.atMillis() && p.inbound() && p.packet() != null
                && p.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.SHUTDOWN_COMPLETE), WAIT_MS);
        ev.addAll(after(s, from));
        if (complete == null) {
            return outcome(Verdict.FAIL, "the target sent SHUTDOWN but no SHUTDOWN COMPLETE followed jrtc's SHUTDOWN ACK", ev);
        }
        return outcome(Verdict.PASS, "the target shuts the association down gracefully: SHUTDOWN, SHUTDOWN ACK, "
                + "SHUTDOWN COMPLETE (§9.2)", ev);
    }

    /** The packets after index {@code from} that carry a closing chunk (or the first few when none does). */
    private static List<Evidence> after(Session s, int from) {
        List<ProbeTap.Seen> all = s.tap.seen();
        List<Evidence> ev = new ArrayList<>();
        for (ProbeTap.Seen p : all.subList(Math.min(from, all.size()), all.size())) {
            if (p.packet() != null && p.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.ABORT
                    || c.type() == ChunkTypes.SHUTDOWN || c.type() == ChunkTypes.SHUTDOWN_ACK
                    || c.type() == ChunkTypes.SHUTDOWN_COMPLETE)) {
                ev.add(toEvidence(p));
            }
        }
        if (ev.isEmpty()) {
            ev.add(Evidence.note("no SCTP packet carried ABORT, SHUTDOWN, SHUTDOWN ACK or SHUTDOWN COMPLETE ("
                    + (all.size() - from) + " packets after the close)"));
        }
        return ev;
    }
}
