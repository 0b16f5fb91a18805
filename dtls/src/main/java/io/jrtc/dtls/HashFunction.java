package io.jrtc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The hash functions accepted for certificate fingerprints (RFC 8122 section 5, "hash-func"). MD5 and SHA-1 are
 * deliberately absent: RFC 8122 and RFC 8827 section 6.5 forbid fingerprints weaker than SHA-256 in WebRTC.
 */
public enum HashFunction {
    /** {@code sha-256}, the default and what every browser sends. */
    SHA_256("sha-256", "SHA-256", 32),
    /** {@code sha-384}. */
    SHA_384("sha-384", "SHA-384", 48),
    /** {@code sha-512}. */
    SHA_512("sha-512", "SHA-512", 64);

    private final String sdpName;
    private final String jcaName;
    private final int length;

    HashFunction(String sdpName, String jcaName, int length) {
        this.sdpName = sdpName;
        this.jcaName = jcaName;
        this.length = length;
    }

    /** The token used in {@code a=fingerprint}, lower case (e.g. {@code sha-256}). */
    public String sdpName() {
        return sdpName;
    }

    /** Digest length in bytes. */
    public int length() {
        return length;
    }

    /** Hashes {@code data} with this function. */
    public byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(jcaName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + jcaName, e);
        }
    }

    /**
     * Looks up a hash function by its SDP token, case-insensitively.
     *
     * @throws UnsupportedFingerprintException for {@code md5}, {@code md2}, {@code sha-1}, {@code sha-224} or any
     *         other token not listed here
     */
    public static HashFunction fromSdpName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (HashFunction h : values()) {
            if (h.sdpName.equals(n)) {
                return h;
            }
        }
        if (n.equals("md5") || n.equals("md2") || n.equals("sha-1") || n.equals("sha1")) {
            throw new UnsupportedFingerprintException("fingerprint hash function '" + name.trim()
                    + "' is too weak and refused (RFC 8122 section 5 / RFC 8827: use sha-256, sha-384 or sha-512)");
        }
        throw new UnsupportedFingerprintException("unknown fingerprint hash function '" + name.trim()
                + "' (supported: sha-256, sha-384, sha-512)");
    }
}
