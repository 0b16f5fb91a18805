package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;

/** RFC 7627's extended master secret, and DTLS-SRTP's use_srtp, in the target's hello. */
final class DtlsExtendedMasterSecret extends Scenario {

    @Override
    public String id() {
        return "dtls-extended-master-secret";
    }

    @Override
    public String clause() {
        return "RFC 7627 §5.1, §5.2";
    }

    @Override
    public String description() {
        return "The target's ClientHello carries extended_master_secret (23), or as server its ServerHello echoes it to "
                + "jrtc's ClientHello (which offers it). Missing: a DEVIATION (RFC 7627: SHOULD; without it a DTLS session "
                + "is open to the triple-handshake attack, RFC 8827 relies on unique keys). The note records use_srtp "
                + "(RFC 5764) and its profiles.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        Boolean targetClient = DtlsHellos.targetIsClient(s, 5000);
        List<Evidence> ev = new ArrayList<>();
        if (targetClient == null) {
            return outcome(Verdict.FAIL, "no ClientHello or ServerHello from the target within 5 s", ev);
        }
        ProbeTap.WireSeen in = DtlsHellos.first(s, Direction.INBOUND, targetClient, 10);
        ProbeTap.WireSeen out = DtlsHellos.first(s, Direction.OUTBOUND, !targetClient, 2000);
        Wire.Hello theirs = in.datagram().hello(targetClient);
        Wire.Hello ours = out == null ? null : out.datagram().hello(!targetClient);
        if (ours != null && !targetClient) {
            ev.add(toEvidence(out));
        }
        ev.add(toEvidence(in));
        if (ours != null && targetClient) {
            ev.add(toEvidence(out));
        }
        ev.add(Evidence.note("use_srtp: " + (theirs.extensions().contains(Wire.EXT_USE_SRTP)
                ? "yes, profiles " + theirs.srtpProfiles().stream().map(p -> String.format("0x%04x", p)).toList() : "no")));
        boolean ems = theirs.extensions().contains(Wire.EXT_EXTENDED_MASTER_SECRET);
        if (!targetClient && ours != null && !ours.extensions().contains(Wire.EXT_EXTENDED_MASTER_SECRET)) {
            return outcome(Verdict.NOT_APPLICABLE, "jrtc's ClientHello did not offer extended_master_secret", ev);
        }
        String where = targetClient ? "ClientHello" : "ServerHello";
        return ems ? outcome(Verdict.PASS, "the target's " + where + " carries extended_master_secret", ev)
                : outcome(Verdict.DEVIATION, "the target's " + where + " has no extended_master_secret (RFC 7627: SHOULD)", ev);
    }
}
