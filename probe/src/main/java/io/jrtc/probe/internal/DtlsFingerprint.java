package io.jrtc.probe.internal;

import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** The target's a=fingerprint: its hash function, and whether the certificate it presents in DTLS matches it. */
final class DtlsFingerprint extends Scenario {

    @Override
    public String id() {
        return "dtls-fingerprint";
    }

    @Override
    public String clause() {
        return "RFC 8122 §5; RFC 5763 §5; RFC 8827 §6.5";
    }

    @Override
    public String description() {
        return "The hash functions of the target's a=fingerprint lines (sha-256 or stronger passes; only sha-1 is a "
                + "DEVIATION, md5/md2 a FAIL), and the certificate the target presents in its DTLS Certificate message "
                + "(plaintext in DTLS 1.2; decoded from the datagram) hashed with that function: it must match one "
                + "a=fingerprint (RFC 5763 §5), else FAIL.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<String> fps = Sdps.values(s.remoteSdp(), "fingerprint");
        List<Evidence> ev = new ArrayList<>();
        for (String f : fps) {
            ev.add(Evidence.note("target a=fingerprint:" + f));
        }
        if (fps.isEmpty()) {
            return outcome(Verdict.FAIL, "the target's description has no a=fingerprint", ev);
        }
        ProbeTap.WireSeen cert = s.tap.awaitWire(w -> w.inbound() && w.bytes() != null
                && Wire.firstCertificate(w.bytes()) != null, 5000);
        String matched = null;
        if (cert != null) {
            ev.add(toEvidence(cert));
            byte[] der = Wire.firstCertificate(cert.bytes());
            for (String f : fps) {
                String[] parts = f.split("\\s+");
                if (parts.length != 2) {
                    continue;
                }
                String alg = switch (parts[0].toLowerCase(Locale.ROOT)) {
                    case "sha-1" -> "SHA-1";
                    case "sha-224" -> "SHA-224";
                    case "sha-256" -> "SHA-256";
                    case "sha-384" -> "SHA-384";
                    case "sha-512" -> "SHA-512";
                    case "md5" -> "MD5";
                    default -> null;
                };
                if (alg == null) {
                    continue;
                }
                String got = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance(alg).digest(der));
                ev.add(Evidence.note("the certificate's " + parts[0] + ": " + got + " (" + der.length + " B DER)"));
                if (got.equalsIgnoreCase(parts[1])) {
                    matched = parts[0];
                }
            }
        } else {
            ev.add(Evidence.note("no unfragmented Certificate message from the target within 5 s: not compared"));
        }
        List<String> algs = fps.stream().map(f -> f.split("\\s+")[0].toLowerCase(Locale.ROOT)).toList();
        boolean strong = algs.stream().anyMatch(a -> a.equals("sha-256") || a.equals("sha-384") || a.equals("sha-512"));
        boolean broken = algs.stream().allMatch(a -> a.equals("md5") || a.equals("md2"));
        if (cert != null && matched == null) {
            return outcome(Verdict.FAIL, "the certificate the target presents matches none of its a=fingerprint lines", ev);
        }
        String detail = "a=fingerprint " + algs + (matched != null ? "; its DTLS certificate matches the " + matched + " one" : "");
        if (broken) {
            return outcome(Verdict.FAIL, detail + ": only md5/md2", ev);
        }
        if (!strong) {
            return outcome(Verdict.DEVIATION, detail + ": no SHA-256 or stronger (browsers use sha-256)", ev);
        }
        return outcome(Verdict.PASS, detail, ev);
    }
}
