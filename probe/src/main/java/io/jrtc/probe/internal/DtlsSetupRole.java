package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Role;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;

/** The DTLS role follows a=setup: the offerer says actpass, the answerer picks, and each side acts on the wire so. */
final class DtlsSetupRole extends Scenario {

    @Override
    public String id() {
        return "dtls-setup-role";
    }

    @Override
    public String clause() {
        return "RFC 8842 §5.2, §5.3; RFC 5763 §5";
    }

    @Override
    public String description() {
        return "The target's a=setup: actpass in an offer (anything else FAILs); active or passive in an answer (passive "
                + "is a DEVIATION: RFC 5763 recommends active, it saves a round trip). On the wire the side that is active "
                + "sends the ClientHello and the other answers with a ServerHello; a target acting against its own or "
                + "jrtc's a=setup FAILs. The evidence has both a=setup lines and the first hellos, decoded.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        String remote = Sdps.value(s.remoteSdp(), "setup");
        String local = Sdps.value(Sdps.local(s), "setup");
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.note("target a=setup:" + remote + ", jrtc a=setup:" + local + " (jrtc " + s.role.label() + ")"));
        Boolean targetClient = DtlsHellos.targetIsClient(s, 5000);
        ProbeTap.WireSeen in = s.tap.awaitWire(DtlsHellos.hello(Direction.INBOUND, true).or(DtlsHellos.hello(Direction.INBOUND, false)), 10);
        ProbeTap.WireSeen out = s.tap.awaitWire(DtlsHellos.hello(Direction.OUTBOUND, true).or(DtlsHellos.hello(Direction.OUTBOUND, false)), 10);
        if (out != null) {
            ev.add(toEvidence(out));
        }
        if (in != null) {
            ev.add(toEvidence(in));
        }
        if (remote == null) {
            return outcome(Verdict.FAIL, "the target's description has no a=setup (RFC 8842 §5.2 requires it)", ev);
        }
        // what the target should be on the wire, from the answerer's a=setup
        String answerSetup = s.role == Role.OFFERER ? remote : local;
        if (s.role == Role.ANSWERER && !remote.equals("actpass")) {
            return outcome(Verdict.FAIL, "the target offered a=setup:" + remote + "; an offer MUST say actpass (RFC 8842 §5.2)", ev);
        }
        if (s.role == Role.OFFERER && !remote.equals("active") && !remote.equals("passive")) {
            return outcome(Verdict.FAIL, "the target answered a=setup:" + remote + "; an answer MUST say active or passive (RFC 8842 §5.3)", ev);
        }
        boolean wantTargetClient = s.role == Role.OFFERER ? remote.equals("active") : answerSetup.equals("passive");
        if (targetClient == null) {
            return outcome(Verdict.FAIL, "no ClientHello or ServerHello from the target within 5 s", ev);
        }
        if (targetClient != wantTargetClient) {
            return outcome(Verdict.FAIL, "the target acted as DTLS " + (targetClient ? "client" : "server") + " although "
                    + "the answer's a=setup:" + answerSetup + " makes it the " + (wantTargetClient ? "client" : "server"), ev);
        }
        String detail = "the target is the DTLS " + (targetClient ? "client" : "server") + " as a=setup:" + answerSetup + " says";
        if (s.role == Role.OFFERER && remote.equals("passive")) {
            return outcome(Verdict.DEVIATION, detail + "; it answered passive, RFC 5763 §5 recommends active", ev);
        }
        return outcome(Verdict.PASS, detail, ev);
    }
}
