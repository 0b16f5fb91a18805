package io.jrtc.probe.internal;

import io.jrtc.probe.Evidence;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the target did on the wire once told something about jrtc's certificate that it should refuse (a fingerprint
 * that does not match, a weak hash function): its alerts (the description of a plaintext one, epoch 0; an encrypted
 * one shows only its epoch: the tap sees the record header, not the protected content), whether it sent application
 * data (content type 23), whether its DTLS went silent, and the decoded handshake as evidence. Shared by
 * {@link DtlsFingerprintMismatch} and {@link DtlsFingerprintHash}.
 */
final class DtlsRefusal {

    private static final Pattern PLAIN_ALERT = Pattern.compile("Alert level=(\\d+) desc=(\\d+)");

    /** The session's DTLS as seen by the tap, read once the scenario has waited. */
    record Seen(boolean connected, boolean jrtcClient, List<ProbeTap.WireSeen> targetDtls, List<ProbeTap.WireSeen> alerts,
            List<ProbeTap.WireSeen> appDataIn, boolean jrtcSentAppData, long stunIn, long endMillis) {

        boolean targetSpokeDtls() {
            return !targetDtls.isEmpty();
        }

        /** The target's DTLS datagrams after its first alert. */
        long afterAlert() {
            return alerts.isEmpty() ? 0 : targetDtls.stream().filter(w -> w.atMillis() > alerts.get(0).atMillis()).count();
        }

        /** The target's alerts, described: "bad_certificate (42), fatal, plaintext at +12 ms", or the encrypted epoch. */
        String alertsDescribed() {
            List<String> out = new ArrayList<>();
            for (ProbeTap.WireSeen a : alerts) {
                Matcher m = PLAIN_ALERT.matcher(a.datagram().decoded());
                if (m.find()) {
                    int level = Integer.parseInt(m.group(1));
                    int desc = Integer.parseInt(m.group(2));
                    out.add(alertName(desc) + " (" + desc + "), " + (level == 2 ? "fatal" : level == 1 ? "warning" : "level " + level)
                            + ", plaintext at +" + a.atMillis() + " ms");
                } else {
                    out.add("an encrypted alert at +" + a.atMillis() + " ms (epoch 1: the tap cannot read its description)");
                }
            }
            return String.join("; ", out);
        }

        /** One sentence: what the target's DTLS did, for a verdict's detail. */
        String summary() {
            StringBuilder b = new StringBuilder("jrtc was the DTLS " + (jrtcClient ? "client" : "server"));
            if (!targetSpokeDtls()) {
                return b.append("; the target sent no DTLS at all (").append(stunIn).append(" STUN message(s))").toString();
            }
            b.append("; the target sent ").append(targetDtls.size()).append(" DTLS datagram(s)");
            if (alerts.isEmpty()) {
                b.append(", no alert; its last at +").append(targetDtls.get(targetDtls.size() - 1).atMillis())
                        .append(" ms (observed until +").append(endMillis).append(" ms)");
            } else {
                b.append(", then ").append(alertsDescribed()).append("; ").append(afterAlert())
                        .append(" DTLS datagram(s) of its after the alert (observed until +").append(endMillis).append(" ms)");
            }
            if (jrtcSentAppData) {
                b.append("; jrtc had completed its side of the handshake (it sent application data, its SCTP INIT)");
            }
            return b.toString();
        }
    }

    private DtlsRefusal() {
    }

    /** Reads the session's datagrams so far. */
    static Seen of(Session s) {
        List<ProbeTap.WireSeen> all = s.tap.wire();
        List<ProbeTap.WireSeen> dtlsIn = all.stream().filter(w -> w.inbound() && w.datagram().has(Wire.Kind.DTLS)).toList();
        boolean jrtcClient = all.stream().anyMatch(w -> !w.inbound() && w.datagram().has(Wire.Kind.DTLS_CLIENT_HELLO));
        return new Seen(s.connected(), jrtcClient, dtlsIn,
                dtlsIn.stream().filter(w -> w.datagram().has(Wire.Kind.DTLS_ALERT)).toList(),
                dtlsIn.stream().filter(w -> w.datagram().has(Wire.Kind.DTLS_APPLICATION_DATA)).toList(),
                all.stream().anyMatch(w -> !w.inbound() && w.datagram().has(Wire.Kind.DTLS_APPLICATION_DATA)),
                all.stream().filter(w -> w.inbound() && w.datagram().stun() != null).count(), s.tap.millis());
    }

    /** The DTLS datagrams of both sides from the first hello on, decoded (at most {@code max}). */
    static List<Evidence> handshake(Session s, int max) {
        return Scenario.wireEvidence(s, w -> w.datagram().has(Wire.Kind.DTLS), max);
    }

    /** The TLS alert descriptions a refusal may carry (RFC 5246 §7.2), by number. */
    static String alertName(int desc) {
        return switch (desc) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 80 -> "internal_error";
            default -> "alert";
        };
    }

    /** {@code digest} of {@code der} as an a=fingerprint value: upper-case hex pairs joined by colons (RFC 8122 §5). */
    static String fingerprintValue(String jcaAlgorithm, byte[] der) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance(jcaAlgorithm).digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("no " + jcaAlgorithm + " in this JVM", e);
        }
    }

    /**
     * {@code sdp} with each section's a=fingerprint lines replaced by the one line {@code replace} makes of the first
     * (the rest of that run dropped): what a scenario tells the target about jrtc's certificate.
     */
    static String rewriteFingerprints(String sdp, Function<String, String> replace) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        StringBuilder out = new StringBuilder();
        boolean inRun = false;
        for (String line : sdp.split("\r?\n", -1)) {
            boolean fp = line.toLowerCase(Locale.ROOT).startsWith("a=fingerprint:");
            if (fp && !inRun) {
                out.append(replace.apply(line.substring("a=fingerprint:".length()).trim())).append(eol);
            } else if (!fp) {
                out.append(line).append(eol);
            }
            inRun = fp;
        }
        // split(..., -1) keeps the empty string after the final line break: drop the separator added for it
        return out.substring(0, out.length() - eol.length());
    }
}
