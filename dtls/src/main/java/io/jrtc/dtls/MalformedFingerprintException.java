package io.jrtc.dtls;

/** A fingerprint attribute value is not {@code <hash-func> SP <colon-separated hex>} with the right length. */
public final class MalformedFingerprintException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedFingerprintException(String message) {
        super(message);
    }
}
