package io.jrtc.probe.internal;

import io.jrtc.probe.Evidence;
import io.jrtc.probe.Role;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;

/** The target's connectivity checks and its answers to jrtc's, attribute by attribute. */
final class IceConnectivityChecks extends Scenario {

    @Override
    public String id() {
        return "ice-connectivity-checks";
    }

    @Override
    public String clause() {
        return "RFC 8445 §7.1.1-§7.1.3, §7.2.2, §7.3, §8.1.1";
    }

    @Override
    public String description() {
        return "Every STUN Binding request the target sends until the connection is up (plus 1 s): USERNAME is jrtc's "
                + "ufrag ':' the target's, with MESSAGE-INTEGRITY, FINGERPRINT and PRIORITY, and exactly one of "
                + "ICE-CONTROLLING / ICE-CONTROLLED, the one of its role (the offerer controls); a controlling target "
                + "nominates (USE-CANDIDATE on at least one request) a pair it validated first (regular nomination; a "
                + "USE-CANDIDATE on an unvalidated pair, RFC 5245's aggressive nomination, is a DEVIATION), a controlled one never sends USE-CANDIDATE. Its "
                + "success responses to jrtc's checks carry XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT. "
                + "An ICE-lite target sends no checks: NOT_APPLICABLE for that part.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        s.tap.awaitWire(w -> false, 1000); // a second more of checks after the channel opened
        String localUfrag = Sdps.value(Sdps.local(s), "ice-ufrag");
        String remoteUfrag = Sdps.value(s.remoteSdp(), "ice-ufrag");
        boolean lite = Sdps.flag(s.remoteSdp(), "ice-lite");
        boolean targetControlling = !lite && s.role == Role.ANSWERER;
        List<ProbeTap.WireSeen> requests = s.tap.wire().stream().filter(w -> w.inbound() && w.has(Wire.Kind.STUN_BINDING_REQUEST)).toList();
        List<ProbeTap.WireSeen> responses = s.tap.wire().stream().filter(w -> w.inbound() && w.has(Wire.Kind.STUN_BINDING_SUCCESS)).toList();
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.note("jrtc ufrag " + localUfrag + ", target ufrag " + remoteUfrag + (lite ? ", target is ICE-lite" : "")
                + "; " + requests.size() + " Binding requests and " + responses.size() + " success responses from the target"));
        List<String> problems = new ArrayList<>();
        boolean nominated = false;
        for (ProbeTap.WireSeen w : requests) {
            Wire.Stun m = w.datagram().stun();
            List<String> wrong = new ArrayList<>();
            Wire.Attr user = m.attr(Wire.USERNAME);
            String u = user == null ? null : new String(user.value(), java.nio.charset.StandardCharsets.UTF_8);
            if (u == null || !u.equals(localUfrag + ":" + remoteUfrag)) {
                wrong.add("USERNAME " + (u == null ? "missing" : "'" + u + "'"));
            }
            for (int a : new int[] {Wire.MESSAGE_INTEGRITY, Wire.FINGERPRINT, Wire.PRIORITY}) {
                if (!m.has(a)) {
                    wrong.add(a == Wire.PRIORITY ? "no PRIORITY" : a == Wire.FINGERPRINT ? "no FINGERPRINT" : "no MESSAGE-INTEGRITY");
                }
            }
            boolean ctl = m.has(Wire.ICE_CONTROLLING);
            boolean ctd = m.has(Wire.ICE_CONTROLLED);
            if (ctl == ctd) {
                wrong.add(ctl ? "both ICE-CONTROLLING and ICE-CONTROLLED" : "neither ICE-CONTROLLING nor ICE-CONTROLLED");
            } else if (ctl != targetControlling) {
                wrong.add((ctl ? "ICE-CONTROLLING" : "ICE-CONTROLLED") + " although the target is " + (targetControlling ? "controlling" : "controlled"));
            }
            if (m.has(Wire.USE_CANDIDATE)) {
                nominated = true;
                if (!targetControlling) {
                    wrong.add("USE-CANDIDATE from the controlled agent");
                }
            }
            if (!wrong.isEmpty() && problems.size() < 4) {
                problems.add(String.join(", ", wrong));
                ev.add(toEvidence(w));
            }
        }
        for (ProbeTap.WireSeen w : responses) {
            Wire.Stun m = w.datagram().stun();
            if (!(m.has(Wire.XOR_MAPPED_ADDRESS) && m.has(Wire.MESSAGE_INTEGRITY) && m.has(Wire.FINGERPRINT)) && problems.size() < 4) {
                problems.add("a success response without XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY or FINGERPRINT");
                ev.add(toEvidence(w));
            }
        }
        // typical ones: the first request, the first nominating one, the first response
        requests.stream().findFirst().ifPresent(w -> ev.add(toEvidence(w)));
        requests.stream().filter(w -> w.datagram().stun().has(Wire.USE_CANDIDATE)).findFirst().ifPresent(w -> ev.add(toEvidence(w)));
        responses.stream().findFirst().ifPresent(w -> ev.add(toEvidence(w)));
        if (requests.isEmpty()) {
            return lite ? outcome(Verdict.NOT_APPLICABLE, "an ICE-lite target sends no checks", ev)
                    : outcome(Verdict.FAIL, "the target sent no Binding request (a full agent checks too, RFC 8445 §6.1.4)", ev);
        }
        if (!problems.isEmpty()) {
            return outcome(Verdict.FAIL, String.join("; ", problems), ev);
        }
        if (targetControlling && !nominated) {
            return outcome(Verdict.FAIL, "the controlling target never sent USE-CANDIDATE", ev);
        }
        if (responses.isEmpty()) {
            return outcome(Verdict.FAIL, "the target never answered jrtc's checks with a success response", ev);
        }
        if (targetControlling && !validatedBeforeNominating(s, requests)) {
            return outcome(Verdict.DEVIATION, "aggressive nomination: the target's USE-CANDIDATE came on a check of a pair "
                    + "it had not validated (RFC 5245's aggressive nomination; RFC 8445 §8.1.1 nominates a valid pair, "
                    + "by repeating its check with USE-CANDIDATE)", ev);
        }
        return outcome(Verdict.PASS, requests.size() + " checks, attributes as RFC 8445 wants; the target is "
                + (targetControlling ? "controlling and nominated a validated pair" : "controlled, no USE-CANDIDATE"), ev);
    }

    /**
     * Whether, before the target's first USE-CANDIDATE, jrtc had answered one of its earlier checks (a request without
     * USE-CANDIDATE) with a success response: regular nomination (RFC 8445 §8.1.1).
     */
    static boolean validatedBeforeNominating(Session s, List<ProbeTap.WireSeen> requests) {
        ProbeTap.WireSeen nominating = requests.stream().filter(w -> w.datagram().stun().has(Wire.USE_CANDIDATE)).findFirst().orElse(null);
        if (nominating == null) {
            return false;
        }
        java.util.Set<String> earlier = new java.util.HashSet<>();
        for (ProbeTap.WireSeen w : requests) {
            if (w.atMillis() <= nominating.atMillis() && !w.datagram().stun().has(Wire.USE_CANDIDATE)) {
                earlier.add(w.datagram().stun().txidHex());
            }
        }
        return s.tap.wire().stream().anyMatch(w -> !w.inbound() && w.has(Wire.Kind.STUN_BINDING_SUCCESS)
                && w.atMillis() <= nominating.atMillis() && earlier.contains(w.datagram().stun().txidHex()));
    }
}
