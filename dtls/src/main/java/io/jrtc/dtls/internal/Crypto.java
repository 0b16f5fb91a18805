package io.jrtc.dtls.internal;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Locale;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsVerifier;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * The one {@link JcaTlsCrypto} every endpoint shares. It uses the JDK's providers (SunEC, SunJCE: AES-GCM and
 * GHASH run on CPU intrinsics, SunRsaSign) and a DRBG, which is pure computation after seeding: the default
 * NativePRNG reads {@code /dev/urandom} on every call, and file reads on virtual threads make the scheduler add
 * carrier threads.
 */
public final class Crypto {

    /**
     * Whether the handshake's elliptic-curve work runs in BouncyCastle's lightweight code ({@link FastEc}); the system
     * property {@code jrtc.dtls.jdkEc=true} puts it back on the JDK's providers (for A/B measurements).
     */
    static final boolean FAST_EC = !Boolean.getBoolean("jrtc.dtls.jdkEc");

    /**
     * Handshakes before the lightweight code takes over. It is several times faster once compiled, but slower than
     * SunEC while cold (a fresh `jrtc agent` took 40-60 ms longer end to end with it from the first handshake), so a
     * young JVM's first handshakes stay on SunEC and a long-running one (whose idle warm-up makes a thousand) switches.
     */
    static final int FAST_EC_AFTER = Integer.getInteger("jrtc.dtls.fastEcAfter", 40);
    private static final java.util.concurrent.atomic.AtomicInteger SESSIONS = new java.util.concurrent.atomic.AtomicInteger();

    /** A handshake begins (counted for {@link #fastEc()}). */
    static void sessionStarted() {
        if (SESSIONS.get() < FAST_EC_AFTER) {
            SESSIONS.incrementAndGet();
        }
    }

    /** Whether the elliptic-curve work goes to {@link FastEc} now. */
    static boolean fastEc() {
        return FAST_EC && SESSIONS.get() >= FAST_EC_AFTER;
    }

    public static final JcaTlsCrypto INSTANCE = new JcaTlsCrypto(new JdkHelper(), random(), random()) {
        /** Record ciphers discard malformed records instead of failing the connection (see the wrapper). */
        @Override
        public TlsCipher createCipher(TlsCryptoParameters parameters, int encryptionAlgorithm, int macAlgorithm)
                throws IOException {
            return new DiscardMalformedRecordsCipher(super.createCipher(parameters, encryptionAlgorithm, macAlgorithm));
        }

        /** X25519 in BouncyCastle's lightweight code ({@link FastEc}); other groups on the JDK. */
        @Override
        public TlsECDomain createECDomain(TlsECConfig ecConfig) {
            if (fastEc() && ecConfig.getNamedGroup() == NamedGroup.x25519) {
                return () -> new FastEc.X25519Agreement(this, getSecureRandom());
            }
            return super.createECDomain(ecConfig);
        }

        @Override
        public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
            return fastEc() && type == CertificateType.X509 ? new FastEcCertificate(this, encoding)
                    : super.createCertificate(type, encoding);
        }

        @Override
        public TlsCertificate createCertificate(byte[] encoding) throws IOException {
            return fastEc() ? new FastEcCertificate(this, encoding) : super.createCertificate(encoding);
        }
    };

    /** A certificate whose ECDSA signatures are verified by {@link FastEc.Verifier}; anything else as the JDK does. */
    private static final class FastEcCertificate extends JcaTlsCertificate {
        FastEcCertificate(JcaTlsCrypto crypto, byte[] encoding) throws IOException {
            super(crypto, encoding);
        }

        @Override
        public TlsVerifier createVerifier(short signatureAlgorithm) throws IOException {
            if (signatureAlgorithm == SignatureAlgorithm.ecdsa) {
                validateKeyUsageBit(KU_DIGITAL_SIGNATURE);
                FastEc.Verifier v = FastEc.Verifier.of(certificate.getPublicKey().getEncoded());
                if (v != null) {
                    return v;
                }
            }
            return super.createVerifier(signatureAlgorithm);
        }
    }

    private Crypto() {
    }

    /**
     * Builds the lightweight code's one-time tables (X25519's base-point multiples) off the critical path; warm-ups
     * call it first, on their own thread.
     */
    public static void precompute() {
        if (FAST_EC) {
            org.bouncycastle.math.ec.rfc7748.X25519.precompute();
        }
    }

    private static SecureRandom random() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /**
     * The JDK's providers, plus {@link RsaPssProvider} for the RSA-PSS names the JDK does not know. Without it every
     * RSA-PSS signature or verification (rsa_pss_rsae_*, which OpenSSL and browsers prefer with RSA keys) fails
     * with internal_error.
     */
    static final class JdkHelper extends DefaultJcaJceHelper {

        @Override
        public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
            try {
                return super.createSignature(algorithm);
            } catch (NoSuchAlgorithmException e) {
                if (algorithm.toUpperCase(Locale.ROOT).endsWith("WITHRSAANDMGF1")) {
                    return Signature.getInstance(algorithm, RsaPssProvider.INSTANCE);
                }
                throw e;
            }
        }
    }
}
