package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The target's first DTLS flight is lost: it must retransmit it (RFC 6347's timer), and the handshake completes. */
final class DtlsLostFlight extends Scenario {

    @Override
    public String id() {
        return "dtls-lost-flight";
    }

    @Override
    public String clause() {
        return "RFC 6347 §4.2.4, §4.2.4.1";
    }

    @Override
    public String description() {
        return "The tap drops the target's first datagram with a ClientHello or ServerHello (its first flight, or the "
                + "start of it): the target must send the same handshake message again when its retransmission timer "
                + "fires (RFC 6347 recommends 1 s at first; the delay is in the detail) and the connection must come up. "
                + "No retransmission within 10 s FAILs.";
    }

    @Override
    public List<Fault> faults() {
        return List.of(Fault.onWire(Fault.Action.DROP, Direction.INBOUND, Wire.Kind.DTLS, 1, 0, 0,
                g -> g.has(Wire.Kind.DTLS_CLIENT_HELLO) || g.has(Wire.Kind.DTLS_SERVER_HELLO), "ClientHello/ServerHello"));
    }

    /** The first record's handshake message (its header and body, without the record header). */
    static byte[] firstMessage(byte[] datagram) {
        if (datagram == null || datagram.length < 13) {
            return new byte[0];
        }
        int rlen = ((datagram[11] & 0xFF) << 8) | (datagram[12] & 0xFF);
        return Arrays.copyOfRange(datagram, 13, Math.min(datagram.length, 13 + rlen));
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        ProbeTap.WireSeen dropped = s.tap.awaitWire(w -> w.inbound() && w.fault() != null && w.fault().startsWith("drop"), 5000);
        if (dropped == null) {
            return outcome(Verdict.NOT_APPLICABLE, "no ClientHello or ServerHello from the target within 5 s", ev);
        }
        ev.add(toEvidence(dropped));
        byte[] lost = firstMessage(dropped.bytes());
        ProbeTap.WireSeen again = s.tap.awaitWire(w -> w.inbound() && w.fault() == null && w.bytes() != null
                && Arrays.equals(firstMessage(w.bytes()), lost), 10_000);
        if (again == null) {
            ev.addAll(wireEvidence(s, w -> w.inbound() && w.has(Wire.Kind.DTLS), 4));
            return outcome(Verdict.FAIL, "the target did not retransmit its lost flight within 10 s", ev);
        }
        ev.add(toEvidence(again));
        long after = again.atMillis() - dropped.atMillis();
        if (!s.connected()) {
            return outcome(Verdict.FAIL, "the target retransmitted after " + after + " ms, but the connection did not come up", ev);
        }
        return outcome(Verdict.PASS, "the target retransmitted the lost message after " + after + " ms; the connection came up", ev);
    }
}
