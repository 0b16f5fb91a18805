package io.jrtc.dtls.internal;

import io.jrtc.common.ErrorKind;
import org.bouncycastle.tls.AlertDescription;

/** Maps TLS alerts (RFC 5246 section 7.2) to the coarse {@link ErrorKind}s of our events. */
public final class Alerts {

    private Alerts() {
    }

    /** The kind of failure when the peer sent us a fatal alert. */
    public static ErrorKind kindOfReceived(short description) {
        return switch (description) {
            case AlertDescription.bad_certificate, AlertDescription.unsupported_certificate,
                 AlertDescription.certificate_revoked, AlertDescription.certificate_expired,
                 AlertDescription.certificate_unknown, AlertDescription.access_denied,
                 AlertDescription.unknown_ca, AlertDescription.certificate_required -> ErrorKind.AUTHENTICATION;
            case AlertDescription.handshake_failure, AlertDescription.insufficient_security,
                 AlertDescription.protocol_version -> ErrorKind.UNSUPPORTED;
            default -> ErrorKind.PEER_ABORTED;
        };
    }

    /** The kind of failure when we raised a fatal alert ourselves (other than a fingerprint mismatch). */
    public static ErrorKind kindOfRaised(short description) {
        return switch (description) {
            case AlertDescription.bad_certificate, AlertDescription.unsupported_certificate,
                 AlertDescription.certificate_unknown, AlertDescription.decrypt_error,
                 AlertDescription.certificate_required, AlertDescription.bad_record_mac -> ErrorKind.AUTHENTICATION;
            case AlertDescription.handshake_failure, AlertDescription.insufficient_security,
                 AlertDescription.protocol_version, AlertDescription.unsupported_extension -> ErrorKind.UNSUPPORTED;
            case AlertDescription.decode_error -> ErrorKind.MALFORMED;
            default -> ErrorKind.PROTOCOL_VIOLATION;
        };
    }

    /** "name(code)" for logs. */
    public static String describe(short description) {
        return AlertDescription.getText(description);
    }
}
