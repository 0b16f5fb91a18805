package io.jrtc.dtls.internal;

import io.jrtc.dtls.DtlsCertificate;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;

/**
 * The TLS 1.2 signature_algorithms we accept from a peer (RFC 5246 section 7.4.1.4.1, code points from RFC 8446
 * section 4.2.3), and the one we sign with. Both key types WebRTC uses are covered: ECDSA and RSA (PKCS#1 v1.5 and
 * PSS with an rsaEncryption key), with SHA-256, -384 and -512; no SHA-1 or SHA-224.
 */
public final class SignatureAlgorithms {

    private static final short[] HASHES = {HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512};

    /** ecdsa_secp256r1_sha256 first (browsers' certificates are ECDSA P-256), then RSA-PSS, then RSA PKCS#1. */
    static final List<SignatureAndHashAlgorithm> ACCEPTED = List.of(
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha512, SignatureAlgorithm.ecdsa),
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha384,
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha512,
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha512, SignatureAlgorithm.rsa));

    private static final List<SignatureAndHashAlgorithm> RSA_SIGNING_PREFERENCE = List.of(
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha384,
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha512,
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha512, SignatureAlgorithm.rsa));

    private SignatureAlgorithms() {
    }

    /** A fresh, mutable copy of {@link #ACCEPTED} in the form bctls wants. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Vector accepted() {
        return new Vector(ACCEPTED);
    }

    /**
     * The algorithm we sign with: the first of our preferences for our key type that the peer listed; without a
     * peer list (a peer that sent no signature_algorithms), SHA-256 with our key type. For RSA, PSS is preferred
     * over PKCS#1 v1.5 at each hash strength (RFC 8446 deprecates PKCS#1 signatures in handshakes).
     */
    static SignatureAndHashAlgorithm choose(DtlsCertificate.KeyType keyType, Vector<?> peerSigAlgs) {
        if (keyType == DtlsCertificate.KeyType.RSA) {
            if (peerSigAlgs != null) {
                for (SignatureAndHashAlgorithm candidate : RSA_SIGNING_PREFERENCE) {
                    if (peerSigAlgs.contains(candidate)) {
                        return candidate;
                    }
                }
            }
            return SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa);
        }
        if (peerSigAlgs != null) {
            for (short hash : HASHES) {
                SignatureAndHashAlgorithm candidate = SignatureAndHashAlgorithm.getInstance(hash, SignatureAlgorithm.ecdsa);
                if (peerSigAlgs.contains(candidate)) {
                    return candidate;
                }
            }
        }
        return SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
    }
}
