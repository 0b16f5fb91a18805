package io.jrtc.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link MeshAgent} handles DTLS certificate lifetimes (drill D).
 *
 * @param lifetime          the validity of each certificate the agent makes (its first, unless
 *                          {@link MeshConfig#certificate()} gives one, and every rotated one); null: the
 *                          {@code DtlsCertificate} default (365 days)
 * @param rotationMargin    the agent makes a new certificate this long before its current one expires, then
 *                          rebuilds its links onto it one at a time (make-before-break). Must be below
 *                          {@code lifetime}
 * @param rotate            false: never rotate (tests: an agent that keeps an expired certificate)
 * @param checkPeerValidity refuse a neighbour's DTLS certificate outside its validity period (the alert
 *                          {@code certificate_expired}; audited {@code certificate.refused}). On by default in the
 *                          mesh: every agent rotates before expiry, so only a broken or stale agent is refused
 */
public record CertificatePolicy(Duration lifetime, Duration rotationMargin, boolean rotate, boolean checkPeerValidity) {

    /** The default margin when no lifetime is set: a day before the (365-day) certificate expires. */
    public static final Duration DEFAULT_MARGIN = Duration.ofDays(1);

    public CertificatePolicy {
        Objects.requireNonNull(rotationMargin, "rotationMargin");
        if (rotationMargin.isNegative()) {
            throw new IllegalArgumentException("rotationMargin must not be negative: " + rotationMargin);
        }
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero() || rotationMargin.compareTo(lifetime) >= 0)) {
            throw new IllegalArgumentException("need 0 <= rotationMargin < lifetime: " + rotationMargin + ", " + lifetime);
        }
    }

    public static CertificatePolicy defaults() {
        return new CertificatePolicy(null, DEFAULT_MARGIN, true, true);
    }

    /** Certificates valid {@code lifetime}, rotated {@code margin} before they expire. */
    public CertificatePolicy withLifetime(Duration lifetime, Duration margin) {
        return new CertificatePolicy(lifetime, margin, rotate, checkPeerValidity);
    }

    public CertificatePolicy withRotation(boolean on) {
        return new CertificatePolicy(lifetime, rotationMargin, on, checkPeerValidity);
    }

    public CertificatePolicy withPeerValidityCheck(boolean on) {
        return new CertificatePolicy(lifetime, rotationMargin, rotate, on);
    }
}
