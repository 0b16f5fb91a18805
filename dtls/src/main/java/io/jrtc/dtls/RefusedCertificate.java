package io.jrtc.dtls;

import java.time.Instant;
import java.util.Objects;

/**
 * A peer certificate the handshake refused because it was outside its validity period at the moment of the check
 * ({@link DtlsConfig#checkPeerCertificateValidity()}): the fingerprint matched, the dates did not. Carried by
 * {@link DtlsEvent.Failed#refused()}; the alert sent was {@code certificate_expired} (RFC 5246 section 7.2.2: "a
 * certificate has expired or is not currently valid").
 *
 * @param fingerprint the SHA-256 fingerprint of the refused certificate
 * @param notBefore   its start of validity
 * @param notAfter    its end of validity
 * @param checkedAt   the time it was checked against
 */
public record RefusedCertificate(Fingerprint fingerprint, Instant notBefore, Instant notAfter, Instant checkedAt) {

    public RefusedCertificate {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /** True when it had expired (notAfter in the past), false when it was not valid yet. */
    public boolean expired() {
        return checkedAt.isAfter(notAfter);
    }
}
