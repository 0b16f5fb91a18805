package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;

/** jrtc's first datagram with its Finished is lost: the handshake must still complete. */
final class DtlsLostFinished extends Scenario {

    @Override
    public String id() {
        return "dtls-lost-finished";
    }

    @Override
    public String clause() {
        return "RFC 6347 §4.2.4; RFC 5246 §7.4.9";
    }

    @Override
    public String description() {
        return "The tap drops jrtc's first datagram carrying its (encrypted) Finished. jrtc as DTLS server: its last "
                + "flight is lost, so the target (client) must retransmit its own last flight (a second Finished from it "
                + "appears) and the connection comes up; a target that completes without ever receiving jrtc's Finished (it sends "
                + "application data although no Finished of jrtc's reached it) FAILs: it did not verify the server's "
                + "Finished. jrtc as client: jrtc retransmits its flight and the target must "
                + "answer it with its ChangeCipherSpec and Finished. Either way, no connection within the connect timeout "
                + "FAILs.";
    }

    @Override
    public List<Fault> faults() {
        return List.of(Fault.onWire(Fault.Action.DROP, Direction.OUTBOUND, Wire.Kind.DTLS_FINISHED, 1, 0, 0));
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        ProbeTap.WireSeen dropped = s.tap.awaitWire(w -> !w.inbound() && w.fault() != null && w.fault().startsWith("drop"), 5000);
        if (dropped == null) {
            return outcome(s.connected() ? Verdict.NOT_APPLICABLE : Verdict.FAIL, "jrtc sent no Finished within 5 s", ev);
        }
        boolean jrtcClient = s.tap.wire().stream().anyMatch(w -> !w.inbound() && w.has(Wire.Kind.DTLS_CLIENT_HELLO));
        ev.add(toEvidence(dropped));
        List<ProbeTap.WireSeen> finishedIn = s.tap.wire().stream().filter(w -> w.inbound() && w.has(Wire.Kind.DTLS_FINISHED)).toList();
        List<ProbeTap.WireSeen> finishedOut = s.tap.wire().stream().filter(w -> !w.inbound() && w.has(Wire.Kind.DTLS_FINISHED)).toList();
        ev.addAll(wireEvidence(s, w -> w.has(Wire.Kind.DTLS_FINISHED) && w != dropped, 6));
        if (!s.connected()) {
            return outcome(Verdict.FAIL, "the connection did not come up after jrtc's Finished was lost ("
                    + finishedIn.size() + " Finished from the target, " + finishedOut.size() + " from jrtc)", ev);
        }
        if (jrtcClient) {
            long resent = finishedOut.stream().filter(w -> w.fault() == null).count();
            return outcome(Verdict.PASS, "jrtc (client) retransmitted its flight (" + resent + " more Finished) and the target "
                    + "answered with its Finished: the connection came up", ev);
        }
        // a Finished held back by a --fault delay (or duplicated) still reaches the target: only a dropped one does not
        long delivered = finishedOut.stream().filter(w -> w.fault() == null || !w.fault().startsWith("drop")).count();
        if (delivered == 0) {
            ev.addAll(wireEvidence(s, w -> w.inbound() && w.has(Wire.Kind.DTLS_APPLICATION_DATA), 1));
            return outcome(Verdict.FAIL, "no Finished of jrtc's (the server's) ever reached the target (the only one was "
                    + "dropped, and the target never retransmitted its flight to get it again), yet the target completed the "
                    + "handshake and sent application data: it did not wait for and verify the server's Finished", ev);
        }
        if (finishedIn.size() < 2) {
            long resent = delivered;
            return outcome(Verdict.PASS, "the connection came up: jrtc (server) retransmitted its last flight on its own ("
                    + resent + " more Finished) before the target retransmitted its flight, so the target's retransmission "
                    + "was not needed (not observed)", ev);
        }
        long after = finishedIn.get(1).atMillis() - finishedIn.get(0).atMillis();
        return outcome(Verdict.PASS, "the target (client) retransmitted its last flight " + after + " ms after the first "
                + "and the connection came up", ev);
    }
}
