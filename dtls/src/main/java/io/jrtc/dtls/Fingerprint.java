package io.jrtc.dtls;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate fingerprint as carried by the SDP {@code a=fingerprint} attribute (RFC 8122 section 5):
 *
 * <pre>
 * attribute            =/ fingerprint-attribute
 * fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint
 * hash-func            =  "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / "md5" / "md2" / token
 * fingerprint          =  2UHEX *(":" 2UHEX)
 * </pre>
 *
 * Only SHA-256, SHA-384 and SHA-512 are accepted ({@link HashFunction}); parsing is case-insensitive for both the
 * hash name and the hex, and {@link #toSdpValue()} prints upper-case hex as RFC 8122 requires. Immutable: the value
 * array is copied in and out.
 *
 * @param algorithm the hash function
 * @param value     the digest of the DER-encoded certificate, {@code algorithm.length()} bytes
 */
public record Fingerprint(HashFunction algorithm, byte[] value) {

    private static final HexFormat UPPER_COLON = HexFormat.ofDelimiter(":").withUpperCase();

    public Fingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
        if (value.length != algorithm.length()) {
            throw new MalformedFingerprintException(algorithm.sdpName() + " fingerprint must be " + algorithm.length()
                    + " bytes, got " + value.length);
        }
        value = value.clone();
    }

    /** The fingerprint of a DER-encoded certificate. */
    public static Fingerprint of(HashFunction algorithm, byte[] certificateDer) {
        return new Fingerprint(algorithm, algorithm.digest(certificateDer));
    }

    /**
     * Parses an {@code a=fingerprint} attribute value, e.g. {@code "sha-256 AB:CD:..."}. Leading and trailing white
     * space is ignored, as is any run of spaces or tabs between the two fields.
     *
     * @throws UnsupportedFingerprintException if the hash function is MD5, SHA-1 or unknown
     * @throws MalformedFingerprintException   if the value is not colon-separated hex pairs of the right length
     */
    public static Fingerprint parse(String sdpAttributeValue) {
        Objects.requireNonNull(sdpAttributeValue, "sdpAttributeValue");
        String s = sdpAttributeValue.strip();
        int sp = indexOfBlank(s);
        if (sp < 0) {
            throw new MalformedFingerprintException("fingerprint attribute needs '<hash-func> <hex>', got '" + s + "'");
        }
        HashFunction algorithm = HashFunction.fromSdpName(s.substring(0, sp));
        String hex = s.substring(sp).strip();
        int expectedChars = algorithm.length() * 3 - 1;
        if (hex.length() != expectedChars) {
            throw new MalformedFingerprintException(algorithm.sdpName() + " fingerprint must be " + algorithm.length()
                    + " colon-separated hex pairs (" + expectedChars + " characters), got " + hex.length() + " characters");
        }
        byte[] value = new byte[algorithm.length()];
        for (int i = 0; i < value.length; i++) {
            int at = i * 3;
            if (i > 0 && hex.charAt(at - 1) != ':') {
                throw new MalformedFingerprintException("fingerprint: expected ':' at character " + (at - 1)
                        + ", got '" + hex.charAt(at - 1) + "'");
            }
            int hi = Character.digit(hex.charAt(at), 16);
            int lo = Character.digit(hex.charAt(at + 1), 16);
            if (hi < 0 || lo < 0 || !isAsciiHex(hex.charAt(at)) || !isAsciiHex(hex.charAt(at + 1))) {
                throw new MalformedFingerprintException("fingerprint: '" + hex.substring(at, at + 2)
                        + "' at character " + at + " is not a hex pair");
            }
            value[i] = (byte) ((hi << 4) | lo);
        }
        return new Fingerprint(algorithm, value);
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** The digest bytes (a copy). */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The attribute value as SDP carries it: {@code sha-256 AB:CD:...} with upper-case hex. */
    public String toSdpValue() {
        return algorithm.sdpName() + " " + UPPER_COLON.formatHex(value);
    }

    /** True when {@code certificateDer} hashes (with this fingerprint's algorithm) to this value; constant time. */
    public boolean matches(byte[] certificateDer) {
        return MessageDigest.isEqual(value, algorithm.digest(certificateDer));
    }

    /**
     * Checks a certificate against the fingerprints the remote description announced (RFC 8122 section 5): only the
     * fingerprints using the strongest hash function present are considered, and the certificate must match one of
     * them. Returns the matching fingerprint, or empty if none matches (or the collection is empty).
     */
    public static Optional<Fingerprint> matchStrongest(Collection<Fingerprint> expected, byte[] certificateDer) {
        HashFunction strongest = null;
        for (Fingerprint f : expected) {
            if (strongest == null || f.algorithm.length() > strongest.length()) {
                strongest = f.algorithm;
            }
        }
        if (strongest == null) {
            return Optional.empty();
        }
        byte[] digest = strongest.digest(certificateDer);
        for (Fingerprint f : expected) {
            if (f.algorithm == strongest && MessageDigest.isEqual(f.value, digest)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && f.algorithm == algorithm && Arrays.equals(f.value, value);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return toSdpValue();
    }
}
