package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Role;
import io.jrtc.probe.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ICE restart on a live connection, through the route's renegotiation hook: jrtc offers it (jrtc offerer) or the
 * target does (jrtc answerer). The target's new credentials, its checks with them, the data after it, and whether DTLS
 * runs again.
 */
final class IceRestart extends Scenario {

    @Override
    public String id() {
        return "ice-restart";
    }

    @Override
    public String clause() {
        return "RFC 8445 §9; RFC 8839 §4.4.3.1.1; RFC 8842 §5";
    }

    @Override
    public String description() {
        return "Once the first channel is open and a message has been echoed, ICE is restarted through the route: jrtc "
                + "offers new credentials (jrtc offerer) or the target is asked for an ICE-restart offer (jrtc answerer). "
                + "The target's new description MUST carry a new ice-ufrag and ice-pwd (RFC 8839 §4.4.3.1.1), "
                + "its connectivity checks after the restart MUST use the new credentials (USERNAME "
                + "jrtc-new-ufrag:target-new-ufrag, RFC 8445 §9), and messages sent after the restart must be echoed "
                + "byte-exact: any of these broken FAILs. RFC 8842 §5 makes a new DTLS association only when the "
                + "fingerprint or the setup role changes, so a ClientHello after the restart (DTLS run again) is a "
                + "DEVIATION; the evidence shows the hellos and the checks. A route that cannot renegotiate: NOT_APPLICABLE.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        if (!s.connected()) {
            return outcome(Verdict.NOT_APPLICABLE, "the connection did not come up", ev);
        }
        DataChannel ch = s.openChannel("restart", DataChannelInit.builder().build(), 5000);
        if (ch == null || !echoes(s, ch, 0, 2)) {
            return outcome(Verdict.NOT_APPLICABLE, "no echo before the restart: nothing to compare with", ev);
        }
        String oldRemote = s.remoteSdp();
        String oldLocalUfrag = Sdps.value(Sdps.local(s), "ice-ufrag");
        String oldUfrag = Sdps.value(oldRemote, "ice-ufrag");
        String oldPwd = Sdps.value(oldRemote, "ice-pwd");
        int receivedBefore = s.trickle().map(t -> t.received().size()).orElse(0);
        int sentBefore = s.trickle().map(t -> t.sent().size()).orElse(0);
        long mark = s.tap.millis();
        String newRemote;
        try {
            newRemote = s.restartIce(Duration.ofSeconds(10));
        } catch (UnsupportedOperationException e) {
            return outcome(Verdict.NOT_APPLICABLE, e.getMessage(), ev);
        }
        String newUfrag = Sdps.value(newRemote, "ice-ufrag");
        String newPwd = Sdps.value(newRemote, "ice-pwd");
        String newLocalUfrag = Sdps.value(Sdps.local(s), "ice-ufrag");
        String who = s.role == Role.OFFERER ? "jrtc offered the restart" : "the target offered the restart";
        ev.add(Evidence.note(who + "; the target's ice-ufrag " + oldUfrag + " -> " + newUfrag + ", ice-pwd "
                + (Objects.equals(oldPwd, newPwd) ? "unchanged" : "changed") + "; jrtc's ice-ufrag " + oldLocalUfrag
                + " -> " + newLocalUfrag));
        ev.add(Evidence.note("the target's a=setup " + Sdps.value(oldRemote, "setup") + " -> " + Sdps.value(newRemote, "setup")
                + ", a=fingerprint " + (Objects.equals(Sdps.value(oldRemote, "fingerprint"), Sdps.value(newRemote, "fingerprint"))
                ? "unchanged" : "changed")));
        if (newUfrag == null || newPwd == null || newUfrag.equals(oldUfrag) || newPwd.equals(oldPwd)) {
            return outcome(Verdict.FAIL, "the target's description after the restart does not change both ice-ufrag and "
                    + "ice-pwd (RFC 8839 §4.4.3.1.1)", ev);
        }
        boolean lite = Sdps.flag(newRemote, "ice-lite");
        String wanted = newLocalUfrag + ":" + newUfrag;
        ProbeTap.WireSeen newCheck = lite ? null : s.tap.awaitWire(w -> w.atMillis() >= mark && w.inbound()
                && w.has(Wire.Kind.STUN_BINDING_REQUEST) && wanted.equals(username(w)), 5000);
        if (newCheck != null) {
            ev.add(toEvidence(newCheck));
        }
        // the answer to jrtc's first check with the new credentials
        ProbeTap.WireSeen ours = s.tap.awaitWire(w -> w.atMillis() >= mark && !w.inbound()
                && w.has(Wire.Kind.STUN_BINDING_REQUEST) && (newUfrag + ":" + newLocalUfrag).equals(username(w)), 3000);
        if (ours != null) {
            ev.add(toEvidence(ours));
            ProbeTap.WireSeen answer = s.tap.awaitWire(w -> w.inbound() && w.datagram().stun() != null
                    && java.util.Arrays.equals(w.datagram().stun().txid(), ours.datagram().stun().txid()), 3000);
            if (answer != null) {
                ev.add(toEvidence(answer));
            }
        }
        boolean after = echoes(s, ch, 10, 3);
        s.trickle().ifPresent(t -> ev.add(Evidence.note("trickled after the restart: by the target "
                + t.received().subList(receivedBefore, t.received().size()) + ", by jrtc "
                + t.sent().subList(sentBefore, t.sent().size()) + " (\"\" is end-of-candidates)")));
        long oldChecks = s.tap.wire().stream().filter(w -> newCheck != null && w.atMillis() > newCheck.atMillis()
                && w.inbound() && w.has(Wire.Kind.STUN_BINDING_REQUEST) && username(w) != null
                && username(w).startsWith(oldLocalUfrag + ":")).count();
        if (newCheck != null) {
            ev.add(Evidence.note(oldChecks + " Binding request(s) of the target's with the old credentials after its first "
                    + "with the new ones"));
        }
        List<ProbeTap.WireSeen> hellos = s.tap.wire().stream().filter(w -> w.atMillis() >= mark
                && w.has(Wire.Kind.DTLS_CLIENT_HELLO)).toList();
        hellos.stream().limit(2).forEach(w -> ev.add(toEvidence(w)));
        String dtls = hellos.isEmpty() ? "DTLS was not run again (no ClientHello after the restart)"
                : "DTLS was run again: " + hellos.size() + " ClientHello datagram(s) after the restart, the first "
                + (hellos.get(0).inbound() ? "from the target" : "from jrtc");
        if (!lite && newCheck == null) {
            ev.addAll(wireEvidence(s, w -> w.atMillis() >= mark && w.inbound() && w.has(Wire.Kind.STUN_BINDING_REQUEST), 3));
            return outcome(Verdict.FAIL, "no Binding request of the target's with USERNAME " + wanted + " within 5 s of the "
                    + "restart (RFC 8445 §9: the checks after a restart use the new credentials); " + dtls, ev);
        }
        if (!after) {
            ev.add(Evidence.note("after the restart: " + count(s, mark, true, Wire.Kind.DTLS)
                    + " DTLS datagram(s) in, " + count(s, mark, false, Wire.Kind.DTLS_APPLICATION_DATA) + " out; "
                    + count(s, mark, true, Wire.Kind.DTLS_ALERT) + " alert(s) in"));
            ev.addAll(evidence(s, p -> p.atMillis() >= mark, 6));
            return outcome(Verdict.FAIL, "after the restart, messages on the channel were not echoed byte-exact; " + dtls, ev);
        }
        String checks = lite ? "an ICE-lite target (no checks of its own)" : "the target's checks use the new credentials";
        if (!hellos.isEmpty()) {
            return outcome(Verdict.DEVIATION, "new ice-ufrag and ice-pwd, " + checks + ", messages echoed after it; but "
                    + dtls + " (RFC 8842 §5: an ICE restart alone keeps the DTLS association)", ev);
        }
        return outcome(Verdict.PASS, "new ice-ufrag and ice-pwd, " + checks + ", 3 messages echoed byte-exact after it; "
                + dtls, ev);
    }

    /** Sends {@code n} binary messages on {@code ch} and checks each echo, byte for byte, in order. */
    private static boolean echoes(Session s, DataChannel ch, int first, int n) throws InterruptedException {
        for (int i = first; i < first + n; i++) {
            byte[] m = Waits.pattern(i, 200 + 10 * i); // one DATA chunk each, before and after
            s.send(ch, m);
            if (!Waits.sameBytes(s.receive(ch, 5000), m)) {
                return false;
            }
        }
        return true;
    }

    private static long count(Session s, long from, boolean inbound, Wire.Kind kind) {
        return s.tap.wire().stream().filter(w -> w.atMillis() >= from && w.inbound() == inbound && w.has(kind)).count();
    }

    private static String username(ProbeTap.WireSeen w) {
        Wire.Stun st = w.datagram().stun();
        if (st == null || !st.has(Wire.USERNAME)) {
            return null;
        }
        return new String(st.attr(Wire.USERNAME).value(), StandardCharsets.UTF_8);
    }
}
