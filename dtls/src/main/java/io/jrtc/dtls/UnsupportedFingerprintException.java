package io.jrtc.dtls;

/** A fingerprint names a hash function that is refused (MD5, SHA-1) or unknown. */
public final class UnsupportedFingerprintException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFingerprintException(String message) {
        super(message);
    }
}
