package io.jrtc.probe.internal;

import io.jrtc.probe.Evidence;
import io.jrtc.probe.Role;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Binding request that claims the target's own role, with a tie-breaker the target loses: it must answer 487. */
final class IceRoleConflict extends Scenario {

    @Override
    public String id() {
        return "ice-role-conflict";
    }

    @Override
    public String clause() {
        return "RFC 8445 §7.3.1.1";
    }

    @Override
    public String description() {
        return "Once connected, the probe sends the target one extra Binding request (a new transaction, jrtc's USERNAME "
                + "and PRIORITY, signed with the target's ice-pwd) claiming the target's own role: ICE-CONTROLLING with "
                + "tie-breaker 0 to a controlling target, ICE-CONTROLLED with 2^64-1 to a controlled one. Either way the "
                + "target keeps its role and MUST answer with a 487 (Role Conflict) error; a success response or none "
                + "FAILs. jrtc's own agent never sees the answer (an unknown transaction), so the connection stays up.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        if (Sdps.flag(s.remoteSdp(), "ice-lite")) {
            return outcome(Verdict.NOT_APPLICABLE, "an ICE-lite target is always controlled and never checks", ev);
        }
        String pwd = Sdps.value(s.remoteSdp(), "ice-pwd");
        ProbeTap.WireSeen template = s.tap.awaitWire(w -> !w.inbound() && w.has(Wire.Kind.STUN_BINDING_REQUEST)
                && w.datagram().stun().has(Wire.USERNAME), 3000);
        if (pwd == null || template == null || !s.connected()) {
            return outcome(Verdict.NOT_APPLICABLE, "no connection, no ice-pwd or no check of jrtc's to copy", ev);
        }
        boolean targetControlling = s.role == Role.ANSWERER;
        Wire.Stun t = template.datagram().stun();
        byte[] txid = new byte[12];
        new java.security.SecureRandom().nextBytes(txid);
        List<Wire.Attr> attrs = new ArrayList<>();
        attrs.add(t.attr(Wire.USERNAME));
        if (t.has(Wire.PRIORITY)) {
            attrs.add(t.attr(Wire.PRIORITY));
        }
        attrs.add(targetControlling ? new Wire.Attr(Wire.ICE_CONTROLLING, StunForge.u64(0))
                : new Wire.Attr(Wire.ICE_CONTROLLED, StunForge.u64(-1L)));
        byte[] forged = StunForge.message(0x0001, txid, attrs, pwd);
        if (!s.tap.inject(forged, "a role conflict")) {
            return outcome(Verdict.NOT_APPLICABLE, "jrtc has sent no datagram yet", ev);
        }
        ev.addAll(wireEvidence(s, w -> w.fault() != null && w.fault().startsWith("inject"), 1));
        ProbeTap.WireSeen answer = s.tap.awaitWire(w -> w.inbound() && w.datagram().stun() != null
                && Arrays.equals(w.datagram().stun().txid(), txid), 3000);
        if (answer == null) {
            return outcome(Verdict.FAIL, "no answer to the conflicting request within 3 s (RFC 8445 §7.3.1.1: 487)", ev);
        }
        ev.add(toEvidence(answer));
        // the target's own requests after the conflict still claim its role
        ProbeTap.WireSeen later = s.tap.awaitWire(w -> w.inbound() && w.atMillis() > answer.atMillis()
                && w.has(Wire.Kind.STUN_BINDING_REQUEST), 1500);
        if (later != null) {
            ev.add(toEvidence(later));
        }
        int code = answer.datagram().stun().errorCode();
        if (answer.has(Wire.Kind.STUN_BINDING_ERROR) && code == 487) {
            if (later != null && later.datagram().stun().has(targetControlling ? Wire.ICE_CONTROLLED : Wire.ICE_CONTROLLING)) {
                return outcome(Verdict.FAIL, "487, but the target then switched its role", ev);
            }
            return outcome(Verdict.PASS, "487 Role Conflict; the target kept its role ("
                    + (targetControlling ? "controlling" : "controlled") + ")", ev);
        }
        return outcome(Verdict.FAIL, "the target answered the conflicting request with "
                + (answer.has(Wire.Kind.STUN_BINDING_SUCCESS) ? "a success response" : "an error " + code) + ", not 487", ev);
    }
}
