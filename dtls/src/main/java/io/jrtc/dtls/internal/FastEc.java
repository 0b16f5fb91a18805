package io.jrtc.dtls.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DigitallySigned;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.TlsSigner;
import org.bouncycastle.tls.crypto.TlsStreamSigner;
import org.bouncycastle.tls.crypto.TlsStreamVerifier;
import org.bouncycastle.tls.crypto.TlsVerifier;

/**
 * The handshake's elliptic-curve work in BouncyCastle's lightweight code instead of the JDK's providers: ECDSA
 * (P-256) signing and verifying, and X25519. Measured on JDK 25 (this machine, hot, under load; perf/README.md):
 * ECDSA P-256 verify 70-90 us here against 450-510 us in SunEC, sign 80-95 us against 150-230, and an X25519 key
 * pair plus agreement about a third of SunEC's. A DTLS handshake does one verify, one sign and one X25519 exchange on
 * each side, so this takes about 0.6 ms off each side's critical path. Everything else (AES-GCM records, HMAC, the
 * PRF, RSA) stays on the JDK, whose AES-GCM runs on CPU intrinsics.
 *
 * <p>Signatures are deterministic (RFC 6979), as BouncyCastle's own TLS signer makes them.
 */
final class FastEc {

    private FastEc() {
    }

    /** ECDSA verification of a peer's signature (ServerKeyExchange, CertificateVerify) on the hash BC computed. */
    static final class Verifier implements TlsVerifier {
        private final ECPublicKeyParameters key;

        Verifier(ECPublicKeyParameters key) {
            this.key = key;
        }

        /**
         * Public keys decoded before, by their DER bytes, most recently used last. BouncyCastle keeps the precomputed
         * multiples of a point (w-NAF table) on the point object, so a key decoded afresh pays for that table at every
         * verification, and a key seen before does not. Reusing them made a verification with a remote key seen
         * before 2.4 times cheaper here (about 1.0 ms against 0.42 ms under load). That is what a mesh does: every
         * agent's certificate is verified by each peer that links to it, again after every rebuild. At most
         * {@value #CACHED_KEYS} keys (a few KiB each); guarded by itself.
         */
        private static final int CACHED_KEYS = 1024;
        private static final Map<ByteBuffer, ECPublicKeyParameters> DECODED = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, ECPublicKeyParameters> eldest) {
                return size() > CACHED_KEYS;
            }
        };

        /** A verifier for the EC public key in {@code subjectPublicKeyInfo} (DER), or null if it is not EC. */
        static Verifier of(byte[] subjectPublicKeyInfo) {
            ECPublicKeyParameters ec = kept(DECODED, ByteBuffer.wrap(subjectPublicKeyInfo.clone()),
                    ECPublicKeyParameters.class, () -> PublicKeyFactory.createKey(subjectPublicKeyInfo));
            return ec == null ? null : new Verifier(ec);
        }

        /** For tests: how many decoded keys are kept. */
        static int cachedKeys() {
            synchronized (DECODED) {
                return DECODED.size();
            }
        }

        @Override
        public TlsStreamVerifier getStreamVerifier(DigitallySigned signature) {
            return null; // BC hashes, then calls verifyRawSignature
        }

        @Override
        public boolean verifyRawSignature(DigitallySigned signed, byte[] hash) throws IOException {
            SignatureAndHashAlgorithm alg = signed.getAlgorithm();
            if (alg != null && alg.getSignature() != SignatureAlgorithm.ecdsa) {
                throw new TlsFatalAlert(AlertDescription.internal_error);
            }
            BigInteger r;
            BigInteger s;
            try {
                ASN1Sequence seq = ASN1Sequence.getInstance(signed.getSignature());
                if (seq.size() != 2) {
                    return false;
                }
                r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
                s = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
                // strict DER: a re-encoding must give the same bytes (no malleable encodings)
                if (!java.util.Arrays.equals(der(r, s), signed.getSignature())) {
                    return false;
                }
            } catch (RuntimeException | IOException e) {
                return false;
            }
            ECDSASigner v = new ECDSASigner();
            v.init(false, key);
            return v.verifySignature(hash, r, s);
        }
    }

    /** ECDSA signing with our key; BC passes the hash of what is signed. */
    static final class Signer implements TlsSigner {
        private static final Map<PrivateKey, ECPrivateKeyParameters> KEYS = new WeakHashMap<>();
        private final ECPrivateKeyParameters key;

        private Signer(ECPrivateKeyParameters key) {
            this.key = key;
        }

        /** A signer for {@code privateKey}, or null if it is not an EC key BC can use. */
        static Signer of(PrivateKey privateKey) {
            ECPrivateKeyParameters k = kept(KEYS, privateKey, ECPrivateKeyParameters.class,
                    () -> PrivateKeyFactory.createKey(privateKey.getEncoded()));
            return k == null ? null : new Signer(k);
        }

        @Override
        public byte[] generateRawSignature(SignatureAndHashAlgorithm algorithm, byte[] hash) throws IOException {
            if (algorithm != null && algorithm.getSignature() != SignatureAlgorithm.ecdsa) {
                throw new TlsFatalAlert(AlertDescription.internal_error);
            }
            ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            s.init(true, key);
            BigInteger[] rs = s.generateSignature(hash);
            return der(rs[0], rs[1]);
        }

        @Override
        public TlsStreamSigner getStreamSigner(SignatureAndHashAlgorithm algorithm) {
            return null; // BC hashes, then calls generateRawSignature
        }
    }

    /** Decodes a key from its DER form (BouncyCastle's key factories). */
    @FunctionalInterface
    private interface KeyDecoder {
        AsymmetricKeyParameter decode() throws IOException;
    }

    /**
     * The key kept in {@code keys} for {@code id}, else {@code decode}'s result, kept there; null when it does not
     * decode to a {@code type}. {@code keys} guards itself; two threads decoding the same key at once keep one of the
     * two equal results.
     */
    private static <I, K extends AsymmetricKeyParameter> K kept(Map<I, K> keys, I id, Class<K> type, KeyDecoder decode) {
        synchronized (keys) {
            K k = keys.get(id);
            if (k != null) {
                return k;
            }
        }
        AsymmetricKeyParameter p;
        try {
            p = decode.decode();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (!type.isInstance(p)) {
            return null;
        }
        K k = type.cast(p);
        synchronized (keys) {
            keys.put(id, k);
        }
        return k;
    }

    private static byte[] der(BigInteger r, BigInteger s) throws IOException {
        ASN1EncodableVector v = new ASN1EncodableVector(2);
        v.add(new ASN1Integer(r));
        v.add(new ASN1Integer(s));
        return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    }

    /** An ephemeral X25519 exchange (RFC 7748), its shared secret adopted by {@code crypto}. */
    static final class X25519Agreement implements TlsAgreement {
        private final TlsCrypto crypto;
        private final SecureRandom random;
        private final byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        private byte[] peer;

        X25519Agreement(TlsCrypto crypto, SecureRandom random) {
            this.crypto = crypto;
            this.random = random;
        }

        @Override
        public byte[] generateEphemeral() {
            X25519.generatePrivateKey(random, privateKey);
            byte[] pub = new byte[X25519.POINT_SIZE];
            X25519.generatePublicKey(privateKey, 0, pub, 0);
            return pub;
        }

        @Override
        public void receivePeerValue(byte[] peerValue) throws IOException {
            if (peerValue == null || peerValue.length != X25519.POINT_SIZE) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter);
            }
            peer = peerValue.clone();
        }

        @Override
        public TlsSecret calculateSecret() throws IOException {
            byte[] secret = new byte[X25519.POINT_SIZE];
            if (peer == null || !X25519.calculateAgreement(privateKey, 0, peer, 0, secret, 0)) {
                // an all-zero result: a small-order point from the peer (RFC 7748 section 6.1)
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }
            java.util.Arrays.fill(privateKey, (byte) 0);
            return crypto.createSecret(secret);
        }
    }

    /** For tests: the DER form of (r, s). */
    static byte[] encode(BigInteger r, BigInteger s) throws IOException {
        return der(r, s);
    }
}
