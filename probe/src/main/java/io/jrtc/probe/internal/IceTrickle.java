package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.ProbeTarget;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Trickle ICE: jrtc's description reaches the target with no candidate at all, every candidate of jrtc's comes by
 * trickle after it, then jrtc's end-of-candidates; the target must take them and connect, and is judged on announcing
 * trickle and on signalling its own end of candidates.
 */
final class IceTrickle extends Scenario {

    /** How long the target gets to signal its end-of-candidates once connected. */
    private static final long END_WAIT_MS = 3000;

    @Override
    public String id() {
        return "ice-trickle";
    }

    @Override
    public String clause() {
        return "RFC 8838 §3, §11, §13, §14; RFC 8840 §4.1.1, §4.1.4; RFC 8839 §5.6";
    }

    @Override
    public String description() {
        return "jrtc's session description reaches the target with every a=candidate and a=end-of-candidates line taken "
                + "out, so all of jrtc's candidates arrive by trickle after it, then jrtc's end-of-candidates (the route's "
                + "form: an empty candidate, as W3C addIceCandidate). The connection must come up and a message be echoed "
                + "(else FAIL, when the target announced trickle). The target's own description should carry "
                + "a=ice-options:trickle, and the target should signal the end of its candidates (a=end-of-candidates "
                + "or an empty trickled candidate): either missing is a DEVIATION. A trickled candidate that is not a "
                + "candidate attribute FAILs. Needs a route that trickles.";
    }

    @Override
    public UnaryOperator<String> localSdpRewrite() {
        return IceTrickle::withoutCandidates;
    }

    /** {@code sdp} without its a=candidate and a=end-of-candidates lines (the line ending kept). */
    static String withoutCandidates(String sdp) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        return sdp.lines().filter(l -> !l.startsWith("a=candidate:") && !l.equals("a=end-of-candidates"))
                .collect(Collectors.joining(eol, "", eol));
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        Optional<ProbeTarget.Trickle> t = s.trickle();
        if (t.isEmpty()) {
            return outcome(Verdict.NOT_APPLICABLE, "the route exchanges whole descriptions: nothing trickles", ev);
        }
        ProbeTarget.Trickle trickle = t.get();
        String remote = s.remoteSdp();
        boolean announces = Sdps.values(remote, "ice-options").stream()
                .anyMatch(v -> List.of(v.split("\\s+")).contains("trickle"));
        List<String> remoteCandidateLines = Sdps.values(remote, "candidate");
        boolean remoteEndInSdp = Sdps.flag(remote, "end-of-candidates");
        ev.add(Evidence.note("the target's description: " + (announces ? "a=ice-options:" + Sdps.value(remote, "ice-options")
                : "no a=ice-options:trickle") + ", " + remoteCandidateLines.size() + " a=candidate line(s)"
                + (remoteEndInSdp ? ", a=end-of-candidates" : "")));
        ev.add(Evidence.note("jrtc's description as the target got it: 0 a=candidate lines (taken out by the scenario)"));
        if (!s.connected()) {
            ev.add(Evidence.note("jrtc trickled: " + trickle.sent()));
            ev.addAll(wireEvidence(s, w -> w.has(Wire.Kind.STUN_BINDING_REQUEST), 4));
            return outcome(announces ? Verdict.FAIL : Verdict.DEVIATION, "no connection with jrtc's candidates trickled only"
                    + (announces ? " although the target announced trickle (RFC 8838 §11: trickled candidates are paired and checked)"
                    : "; the target does not announce trickle (RFC 8840 §4.1.1), so it may not take them"), ev);
        }
        DataChannel ch = s.openChannel("trickle", DataChannelInit.builder().build(), 5000);
        byte[] msg = Waits.pattern(1, 600);
        boolean echoed = false;
        if (ch != null) {
            s.send(ch, msg);
            echoed = Waits.sameBytes(s.receive(ch, 5000), msg);
        }
        trickle.awaitBothEnds(END_WAIT_MS);
        List<String> sent = trickle.sent();
        List<String> received = trickle.received();
        ev.add(Evidence.note("jrtc trickled " + describe(sent)));
        ev.add(Evidence.note("the target trickled " + describe(received)));
        // the first check each way, and the target's first success response
        for (java.util.function.Predicate<ProbeTap.WireSeen> p : List.<java.util.function.Predicate<ProbeTap.WireSeen>>of(
                w -> !w.inbound() && w.has(Wire.Kind.STUN_BINDING_REQUEST), w -> w.inbound() && w.has(Wire.Kind.STUN_BINDING_REQUEST),
                w -> w.inbound() && w.has(Wire.Kind.STUN_BINDING_SUCCESS))) {
            s.tap.wire().stream().filter(p).findFirst().ifPresent(w -> ev.add(toEvidence(w)));
        }
        List<String> malformed = received.stream().filter(c -> !c.isEmpty() && !c.startsWith("candidate:")).toList();
        if (!malformed.isEmpty()) {
            return outcome(Verdict.FAIL, "the target trickled something that is not a candidate attribute (RFC 8839 §5.1): "
                    + malformed.get(0), ev);
        }
        if (!echoed) {
            return outcome(Verdict.FAIL, "connected on trickled candidates, but a message on a new channel did not come back "
                    + "intact" + (ch == null ? " (the channel did not open)" : ""), ev);
        }
        boolean jrtcEnd = sent.contains("");
        boolean targetEnd = received.contains("") || remoteEndInSdp;
        String jrtcSide = "jrtc's " + sent.stream().filter(c -> !c.isEmpty()).count() + " candidate(s) came by trickle only"
                + (jrtcEnd ? ", then its end-of-candidates," : " (jrtc sent no end-of-candidates),")
                + " and the connection came up and echoed a message";
        List<String> deviations = new ArrayList<>();
        if (!announces) {
            deviations.add("the target's description has no a=ice-options:trickle (RFC 8840 §4.1.1, RFC 8839 §5.6), yet "
                    + (received.stream().anyMatch(c -> !c.isEmpty()) ? "it trickles candidates" : "it trickled nothing"));
        }
        if (!targetEnd) {
            deviations.add("the target signalled no end of its candidates within " + END_WAIT_MS
                    + " ms of connecting (RFC 8838 §13; neither a=end-of-candidates nor an empty candidate)");
        }
        if (!deviations.isEmpty()) {
            return outcome(Verdict.DEVIATION, jrtcSide + "; but " + String.join("; ", deviations), ev);
        }
        return outcome(Verdict.PASS, jrtcSide + "; the target announces trickle and signalled its end-of-candidates ("
                + (received.contains("") ? "an empty trickled candidate" : "a=end-of-candidates") + ")", ev);
    }

    /** The candidates in order, the end-of-candidates shown as {@code (end-of-candidates)}. */
    private static String describe(List<String> candidates) {
        if (candidates.isEmpty()) {
            return "nothing";
        }
        return candidates.size() + ": " + candidates.stream().map(c -> c.isEmpty() ? "(end-of-candidates)" : c)
                .collect(Collectors.joining(" | "));
    }
}
