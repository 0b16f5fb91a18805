package io.jrtc.probe.internal;

import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * jrtc's description tells the target a SHA-256 fingerprint that does not match jrtc's certificate: the target must
 * not accept the peer (no application data, no channel), and should say so with a fatal alert.
 */
final class DtlsFingerprintMismatch extends Scenario {

    /** jrtc's a=fingerprint value and the one the target was told, of the last rewrite. */
    private volatile String real;
    private volatile String told;

    @Override
    public String id() {
        return "dtls-fingerprint-mismatch";
    }

    @Override
    public String clause() {
        return "RFC 8122 §5; RFC 5763 §5; RFC 8827 §6.5; RFC 5246 §7.2";
    }

    @Override
    public String description() {
        return "jrtc's description (as the target gets it) carries a well-formed sha-256 a=fingerprint that does not "
                + "match the certificate jrtc presents in DTLS. The certificate must match the fingerprint (RFC 8122 §5, "
                + "RFC 5763 §5; RFC 8827 §6.5: the peer is authenticated by it), so the target must not complete the "
                + "connection: a channel that opens, or any DTLS application data (content type 23) from the target, "
                + "FAILs. As DTLS client the target checks jrtc's Certificate in the server's flight (ServerHello, "
                + "Certificate, ...); as server, in the client's last flight. Refusing with a fatal alert (RFC 5246 "
                + "§7.2: bad_certificate) PASSes; refusing in silence (no alert, its DTLS stops) is a DEVIATION. A "
                + "plaintext alert is decoded; an encrypted one (after the target's ChangeCipherSpec) shows only its "
                + "epoch. The evidence: the fingerprint line as rewritten and the DTLS datagrams, decoded.";
    }

    @Override
    public Duration connectTimeout(Duration probeDefault) {
        // the connection is not expected to come up: a refusal shows on the wire within milliseconds on loopback
        Duration mine = Duration.ofSeconds(6);
        return probeDefault.compareTo(mine) < 0 ? probeDefault : mine;
    }

    @Override
    public UnaryOperator<String> localSdpRewrite() {
        return sdp -> DtlsRefusal.rewriteFingerprints(sdp, value -> {
            real = value;
            told = "sha-256 " + DtlsRefusal.fingerprintValue("SHA-256",
                    ("not jrtc's certificate: " + value).getBytes(StandardCharsets.UTF_8));
            return "a=fingerprint:" + told;
        });
    }

    @Override
    public Outcome run(Session s) throws Exception {
        // let a target that refused late (after the handshake) be seen doing so
        s.tap.awaitWire(w -> w.inbound() && w.datagram().has(Wire.Kind.DTLS_ALERT), s.connected() ? 0 : 500);
        DtlsRefusal.Seen seen = DtlsRefusal.of(s);
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.note("jrtc's a=fingerprint:" + real + "; the target was told a=fingerprint:" + told));
        ev.addAll(DtlsRefusal.handshake(s, 14));
        if (seen.connected()) {
            return outcome(Verdict.FAIL, "the target accepted a peer whose certificate matches none of the fingerprints "
                    + "it was told: the first channel opened (" + seen.summary() + ")", ev);
        }
        if (!seen.appDataIn().isEmpty()) {
            ev.add(toEvidence(seen.appDataIn().get(0)));
            return outcome(Verdict.FAIL, "the target sent DTLS application data (content type 23, " + seen.appDataIn().size()
                    + " datagram(s), the first at +" + seen.appDataIn().get(0).atMillis() + " ms) to a peer whose certificate "
                    + "matches none of the fingerprints it was told (" + seen.summary() + ")", ev);
        }
        if (!seen.targetSpokeDtls()) {
            return outcome(Verdict.NOT_APPLICABLE, "the target sent no DTLS (ICE did not connect?): the check was not reached", ev);
        }
        if (seen.alerts().isEmpty()) {
            return outcome(Verdict.DEVIATION, "the target refused jrtc's certificate without an alert (no application "
                    + "data, no channel): " + seen.summary(), ev);
        }
        return outcome(Verdict.PASS, "the target refused jrtc's certificate: " + seen.summary() + "; no application data", ev);
    }
}
