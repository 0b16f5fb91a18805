package io.jrtc.probe.internal;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * jrtc announces its certificate by one hash function only, with the correct value: {@link #weak()} SHA-1, which the
 * target should refuse, or {@link #strong()} SHA-512, which it should accept.
 */
final class DtlsFingerprintHash extends Scenario {

    private final String hash;
    private final String jca;
    private final boolean refuse;
    private DtlsCertificate certificate;
    private volatile String told;

    private DtlsFingerprintHash(String hash, String jca, boolean refuse) {
        this.hash = hash;
        this.jca = jca;
        this.refuse = refuse;
    }

    /** Only {@code a=fingerprint:sha-1}: refusing it passes. */
    static DtlsFingerprintHash weak() {
        return new DtlsFingerprintHash("sha-1", "SHA-1", true);
    }

    /** Only {@code a=fingerprint:sha-512}: accepting it passes. */
    static DtlsFingerprintHash strong() {
        return new DtlsFingerprintHash("sha-512", "SHA-512", false);
    }

    @Override
    public String id() {
        return "dtls-fingerprint-" + hash.replace("-", "");
    }

    @Override
    public String clause() {
        return refuse ? "RFC 8122 §5; RFC 8827 §6.5; RFC 6194" : "RFC 8122 §5; RFC 8829 §5.2.1";
    }

    @Override
    public String description() {
        if (refuse) {
            return "jrtc announces its certificate only as a=fingerprint:sha-1 (the correct SHA-1 of its DER). SHA-1 "
                    + "is broken for collisions (RFC 6194), and a WebRTC peer is authenticated by nothing but this hash "
                    + "(RFC 8827 §6.5), so the target should refuse it: refusing the description, or the DTLS peer (an "
                    + "alert, or no connection), PASSes. Accepting it (the channel opens) is a DEVIATION, not a FAIL: RFC "
                    + "8122 §5 still lists sha-1 among the fingerprint hash functions and no MUST of RFC 8122 or RFC "
                    + "8827 forbids it; jrtc itself refuses md5 and sha-1. The evidence: the line as sent, how the "
                    + "target refused (its error, its alerts decoded), or the connection it made.";
        }
        return "jrtc announces its certificate only as a=fingerprint:sha-512 (the correct value), a stronger function "
                + "than the sha-256 browsers use, from RFC 8122 §5's list (JSEP, RFC 8829 §5.2.1, lets an endpoint use "
                + "any of them): the connection must come up (PASS); a target that refuses it is a DEVIATION (it "
                + "authenticates peers by sha-256 only).";
    }

    @Override
    public void configure(RtcConfiguration.Builder config) {
        config.certificate(certificate());
    }

    private synchronized DtlsCertificate certificate() {
        if (certificate == null) {
            certificate = DtlsCertificate.generate();
        }
        return certificate;
    }

    @Override
    public UnaryOperator<String> localSdpRewrite() {
        return sdp -> DtlsRefusal.rewriteFingerprints(sdp, value -> {
            told = hash + " " + DtlsRefusal.fingerprintValue(jca, certificate().certificateDer());
            return "a=fingerprint:" + told;
        });
    }

    @Override
    public Duration connectTimeout(Duration probeDefault) {
        // a refused description gets no answer from some routes: do not wait the probe's full timeout for it
        Duration mine = Duration.ofSeconds(8);
        return probeDefault.compareTo(mine) < 0 ? probeDefault : mine;
    }

    private Evidence line() {
        return Evidence.note("the target was told a=fingerprint:" + told + " (only this line; jrtc's certificate: "
                + certificate().keyType() + ", " + certificate().certificateDer().length + " B DER)");
    }

    @Override
    public Outcome notOpened(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String how = cause instanceof TimeoutException
                ? "the target gave no description of its own back within the connect timeout (it did not take jrtc's offer)"
                : "the target refused jrtc's description: " + cause.getMessage();
        List<Evidence> ev = List.of(line(), Evidence.note(how));
        return refuse ? outcome(Verdict.PASS, "a=fingerprint:" + hash + " refused: " + how, ev)
                : outcome(Verdict.DEVIATION, "a=fingerprint:" + hash + " (correct) refused: " + how, ev);
    }

    @Override
    public Outcome run(Session s) throws Exception {
        if (!s.connected()) {
            s.tap.awaitWire(w -> w.inbound() && w.datagram().has(Wire.Kind.DTLS_ALERT), 500);
        }
        DtlsRefusal.Seen seen = DtlsRefusal.of(s);
        List<Evidence> ev = new ArrayList<>();
        ev.add(line());
        ev.addAll(DtlsRefusal.handshake(s, refuse || !s.connected() ? 14 : 6));
        boolean accepted = seen.connected() || !seen.appDataIn().isEmpty();
        if (accepted) {
            String detail = "the target accepted a=fingerprint:" + hash + (seen.connected() ? ": the first channel opened"
                    : ": it sent DTLS application data") + " (" + seen.summary() + ")";
            return refuse ? outcome(Verdict.DEVIATION, detail + "; SHA-1 is broken for collisions (RFC 6194) and jrtc "
                    + "and this probe's reference refuse it", ev) : outcome(Verdict.PASS, detail, ev);
        }
        String how = seen.targetSpokeDtls() ? "it did not complete the connection: " + seen.summary()
                : "it took jrtc's description but never started DTLS (" + seen.summary() + "), so it refused the fingerprint "
                        + "before the handshake";
        return refuse ? outcome(Verdict.PASS, "a=fingerprint:" + hash + " refused: " + how, ev)
                : outcome(Verdict.DEVIATION, "a=fingerprint:" + hash + " (correct) refused: " + how, ev);
    }
}
