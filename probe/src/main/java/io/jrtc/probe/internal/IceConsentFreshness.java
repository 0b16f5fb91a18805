package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Long (about 35 s): jrtc stops answering the target's consent checks while the target echoes a message every 250 ms;
 * the target must stop sending when its consent expires.
 */
final class IceConsentFreshness extends Scenario {

    static final long EXPIRY_MS = 30_000;
    static final long LATE_MS = 40_000;

    @Override
    public String id() {
        return "ice-consent-freshness";
    }

    @Override
    public String clause() {
        return "RFC 7675 §5.1";
    }

    @Override
    public String description() {
        return "LONG (up to 45 s; run only with --only). Once connected, the tap drops every STUN Binding request of the "
                + "target's (jrtc no longer answers its consent checks) while jrtc sends a message every 250 ms that the "
                + "target echoes. Consent expires 30 s after the last answer: the target must stop sending (no datagram "
                + "but STUN). Stopped within 31 s: PASS (sooner, e.g. when ICE disconnects, is allowed); within 40 s: "
                + "DEVIATION (late); still sending after 40 s: FAIL.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        DataChannel ch = s.connected() ? s.openChannel("consent", DataChannelInit.builder().build(), 5000) : null;
        if (ch == null) {
            return outcome(Verdict.NOT_APPLICABLE, "no connection or no channel", ev);
        }
        long t0 = s.tap.millis();
        s.tap.add(Fault.onWire(Fault.Action.DROP, Direction.INBOUND, Wire.Kind.STUN_BINDING_REQUEST, 1, 1, 0));
        long lastIn = t0;
        int k = 0;
        while (s.tap.millis() - t0 < LATE_MS + 5000) {
            s.send(ch, Waits.pattern(k++, 100));
            Thread.sleep(250);
            for (ProbeTap.WireSeen w : s.tap.wire()) {
                if (w.inbound() && w.datagram().stun() == null && w.atMillis() > lastIn) {
                    lastIn = w.atMillis();
                }
            }
            if (s.tap.millis() - lastIn > 5000) {
                break;
            }
        }
        long stoppedAfter = lastIn - t0;
        final long last = lastIn;
        ev.addAll(wireEvidence(s, w -> w.inbound() && w.fault() != null, 1));
        s.tap.wire().stream().filter(w -> w.inbound() && w.datagram().stun() == null && w.atMillis() == last).findFirst()
                .ifPresent(w -> ev.add(toEvidence(w)));
        long dropped = s.tap.wire().stream().filter(w -> w.inbound() && w.fault() != null).count();
        ev.add(Evidence.note(dropped + " consent checks of the target's dropped; jrtc sent " + k + " messages"));
        if (s.tap.millis() - lastIn <= 5000) {
            return outcome(Verdict.FAIL, "the target still sent " + (s.tap.millis() - t0) / 1000
                    + " s after jrtc stopped answering its consent checks (RFC 7675: stop at 30 s)", ev);
        }
        String detail = "the target stopped sending " + stoppedAfter + " ms after jrtc stopped answering its consent checks";
        if (stoppedAfter <= EXPIRY_MS + 1000) {
            return outcome(Verdict.PASS, detail, ev);
        }
        return stoppedAfter <= LATE_MS ? outcome(Verdict.DEVIATION, detail + " (later than 30 s)", ev)
                : outcome(Verdict.FAIL, detail + " (more than 40 s)", ev);
    }
}
