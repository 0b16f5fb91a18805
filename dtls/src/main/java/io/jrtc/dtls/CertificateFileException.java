package io.jrtc.dtls;

import java.io.IOException;

/** A certificate PEM file could not be used: missing blocks, bad encoding, wrong key type, or key/certificate mismatch. */
public final class CertificateFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public CertificateFileException(String message) {
        super(message);
    }

    public CertificateFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
