package io.jrtc.dtls.internal;

import org.bouncycastle.tls.CipherSuite;

/** The TLS_ECDHE_ECDSA suites we offer and accept, most preferred first, with their IANA names. */
public final class CipherSuites {

    /**
     * AES-128-GCM first (what Chromium, Firefox, werift and OpenSSL all pick), then ChaCha20-Poly1305 and
     * AES-256-GCM, then the CBC suites older stacks still need.
     */
    public static final int[] OFFERED = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };

    private CipherSuites() {
    }

    /** IANA name of a suite we offer, else its hex code. */
    public static String name(int suite) {
        return switch (suite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 -> "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 -> "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA";
            default -> String.format("0x%04X", suite);
        };
    }
}
