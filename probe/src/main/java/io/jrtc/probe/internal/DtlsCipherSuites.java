package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;

/** The cipher suites the target offers (as DTLS client) or picks from jrtc's offer (as server). */
final class DtlsCipherSuites extends Scenario {

    static final int MANDATORY = 0xC02B; // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256

    @Override
    public String id() {
        return "dtls-cipher-suites";
    }

    @Override
    public String clause() {
        return "RFC 8827 §6.5";
    }

    @Override
    public String description() {
        return "From the target's ClientHello (it is the DTLS client) or ServerHello (server), decoded: DTLS 1.2 or later; "
                + "as client it offers TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (MUST support) and puts forward-secret suites "
                + "first (MUST favor PFS), AEAD first (SHOULD: else DEVIATION); as server it picks a forward-secret suite "
                + "(else FAIL), AEAD (else DEVIATION).";
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
        if (targetClient) {
            ev.add(toEvidence(in));
            if (out != null) {
                ev.add(toEvidence(out));
            }
        } else {
            if (out != null) {
                ev.add(toEvidence(out));
            }
            ev.add(toEvidence(in));
        }
        Wire.Hello h = in.datagram().hello(targetClient);
        List<Integer> suites = h.cipherSuites().stream().filter(x -> x != 0x00FF && x != 0x5600).toList();
        String version = h.version() == 0xFEFD ? "DTLS 1.2" : h.version() == 0xFEFF ? "DTLS 1.0" : String.format("0x%04x", h.version());
        if (h.version() == 0xFEFF && !h.extensions().contains(43)) {
            return outcome(Verdict.FAIL, "the target's " + (targetClient ? "ClientHello" : "ServerHello") + " says " + version
                    + "; RFC 8827 §6.5 requires DTLS 1.2", ev);
        }
        if (targetClient) {
            if (!suites.contains(MANDATORY)) {
                return outcome(Verdict.FAIL, "the target does not offer TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", ev);
            }
            if (suites.isEmpty() || !Wire.pfs(suites.get(0))) {
                return outcome(Verdict.FAIL, "the target's first suite " + (suites.isEmpty() ? "(none)" : Wire.suiteName(suites.get(0)))
                        + " is not forward-secret; RFC 8827 §6.5: MUST favor PFS", ev);
            }
            int firstNonPfs = -1;
            for (int i = 0; i < suites.size(); i++) {
                if (!Wire.pfs(suites.get(i))) {
                    firstNonPfs = i;
                    break;
                }
            }
            if (firstNonPfs >= 0 && suites.subList(firstNonPfs, suites.size()).stream().anyMatch(Wire::pfs)) {
                return outcome(Verdict.FAIL, "the target offers " + Wire.suiteName(suites.get(firstNonPfs))
                        + " (no PFS) before forward-secret suites; RFC 8827 §6.5: MUST favor PFS", ev);
            }
            String detail = version + ", " + suites.size() + " suites, first " + Wire.suiteName(suites.get(0));
            if (!Wire.aead(suites.get(0))) {
                return outcome(Verdict.DEVIATION, detail + ": not AEAD (RFC 8827 §6.5: SHOULD favor AEAD)", ev);
            }
            return outcome(Verdict.PASS, detail, ev);
        }
        int chosen = suites.isEmpty() ? -1 : suites.get(0);
        String detail = version + ", the target picked " + Wire.suiteName(chosen);
        if (!Wire.pfs(chosen)) {
            return outcome(Verdict.FAIL, detail + ": not forward-secret (RFC 8827 §6.5: MUST favor PFS)", ev);
        }
        if (!Wire.aead(chosen)) {
            return outcome(Verdict.DEVIATION, detail + ": not AEAD (RFC 8827 §6.5: SHOULD favor AEAD)", ev);
        }
        return outcome(Verdict.PASS, detail, ev);
    }
}
