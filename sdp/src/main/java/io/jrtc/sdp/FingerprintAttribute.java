package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The certificate fingerprint of RFC 8122 section 5, as text: which hash, and its value.
 *
 * <pre>
 * attribute              =/ fingerprint-attribute
 * fingerprint-attribute  =  "fingerprint" ":" hash-func SP fingerprint
 * hash-func              =  "sha-1" / "sha-224" / "sha-256" /
 *                           "sha-384" / "sha-512" /
 *                           "md5" / "md2" / token
 * fingerprint            =  2UHEX *(":" 2UHEX)
 * </pre>
 *
 * <p>Lower-case hex digits are accepted too (some stacks send them). The {@code dtls} module owns the
 * cryptographic fingerprint; {@link #bytes()} and {@link #of(String, byte[])} are the bridge.
 *
 * @param hashFunction the hash function name as written, e.g. {@code sha-256}
 * @param fingerprint  colon-separated hex pairs as written
 */
public record FingerprintAttribute(String hashFunction, String fingerprint) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "fingerprint";

    public FingerprintAttribute {
        if (!Syntax.isToken(hashFunction)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "fingerprint hash function \"" + hashFunction + "\"");
        }
        if (!isHexPairs(fingerprint)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "fingerprint must be hex pairs joined by ':'");
        }
    }

    /** The fingerprint of a digest, written as colon-separated upper-case hex (RFC 8122 section 5). */
    public static FingerprintAttribute of(String hashFunction, byte[] digest) {
        StringBuilder sb = new StringBuilder(digest.length * 3);
        HexFormat hex = HexFormat.of().withUpperCase();
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex.toHexDigits(digest[i]));
        }
        return new FingerprintAttribute(hashFunction, sb.toString());
    }

    /**
     * Parses {@code <hash-func> <fingerprint>}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} unless exactly two fields, {@code INVALID_VALUE} for a
     *                           bad hash name or hex
     */
    public static FingerprintAttribute parse(String value) throws SdpParseException {
        var f = Syntax.fields(value);
        if (f.size() != 2) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "fingerprint needs <hash-func> <fingerprint>", 0,
                    value);
        }
        if (!Syntax.isToken(f.get(0))) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "fingerprint hash function", 0, value);
        }
        if (!isHexPairs(f.get(1))) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "fingerprint must be hex pairs joined by ':'", 0,
                    value);
        }
        return InvalidSdpException.checked(() -> new FingerprintAttribute(f.get(0), f.get(1)), value);
    }

    private static boolean isHexPairs(String s) {
        if (s == null || s.length() < 2 || (s.length() + 1) % 3 != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i % 3 == 2) {
                if (c != ':') {
                    return false;
                }
            } else if (Character.digit(c, 16) < 0 || c > 'f') {
                return false;
            }
        }
        return true;
    }

    /** The digest bytes. */
    public byte[] bytes() {
        byte[] out = new byte[(fingerprint.length() + 1) / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) HexFormat.fromHexDigits(fingerprint, i * 3, i * 3 + 2);
        }
        return out;
    }

    /** The hash function name in lower case, as RFC 8122 registers it ({@code sha-256}). */
    public String normalizedHashFunction() {
        return hashFunction.toLowerCase(Locale.ROOT);
    }

    /** True if both name the same hash function (case-insensitive) and the same digest (hex case ignored). */
    public boolean matches(FingerprintAttribute other) {
        return hashFunction.equalsIgnoreCase(other.hashFunction) && fingerprint.equalsIgnoreCase(other.fingerprint);
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        return hashFunction + ' ' + fingerprint;
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
