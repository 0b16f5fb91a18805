package io.jrtc.dtls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.DigitallySigned;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsFatalAlert;
import org.junit.jupiter.api.Test;

/**
 * {@link FastEc} computes what the JDK computes: signatures either one makes verify with the other, a tampered or
 * non-DER signature fails, and an X25519 exchange gives the same secret as the JDK's XDH (and refuses an all-zero one).
 */
class FastEcAgreesWithTheJdk {

    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    /**
     * Verifiers share decoded keys by their DER bytes: the same key decoded once verifies for every caller, another
     * key never answers for it, a caller changing its array afterwards changes nothing, and at most 1,024 are kept.
     */
    @Test
    void decodedKeysAreReusedByTheirBytesAndNeverConfused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair a = g.generateKeyPair();
        KeyPair b = g.generateKeyPair();
        byte[] message = "a ServerKeyExchange".getBytes();
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(message);
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initSign(a.getPrivate());
        jdk.update(message);
        DigitallySigned signed = new DigitallySigned(ECDSA_SHA256, jdk.sign());

        byte[] encoded = a.getPublic().getEncoded();
        assertThat(FastEc.Verifier.of(encoded).verifyRawSignature(signed, hash)).isTrue();
        encoded[encoded.length - 1] ^= 1; // the caller's array changes after the key was kept
        assertThat(FastEc.Verifier.of(a.getPublic().getEncoded()).verifyRawSignature(signed, hash)).isTrue();
        assertThat(FastEc.Verifier.of(b.getPublic().getEncoded()).verifyRawSignature(signed, hash)).isFalse();
        assertThat(FastEc.Verifier.of(new byte[] {1, 2, 3})).as("not a key").isNull();

        for (int i = 0; i < 1_100; i++) {
            assertThat(FastEc.Verifier.of(g.generateKeyPair().getPublic().getEncoded())).isNotNull();
        }
        assertThat(FastEc.Verifier.cachedKeys()).isEqualTo(1_024);
        // a's key was dropped by then, and is decoded again
        assertThat(FastEc.Verifier.of(a.getPublic().getEncoded()).verifyRawSignature(signed, hash)).isTrue();
    }

    @Test
    void ecdsaSignaturesVerifyAcrossTheTwoImplementations() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        byte[] message = "the handshake transcript, or what stands for it".getBytes();
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(message);
        FastEc.Verifier fastVerifier = FastEc.Verifier.of(kp.getPublic().getEncoded());
        FastEc.Signer fastSigner = FastEc.Signer.of(kp.getPrivate());
        assertThat(fastVerifier).isNotNull();
        assertThat(fastSigner).isNotNull();

        // the JDK signs, FastEc verifies
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initSign(kp.getPrivate());
        jdk.update(message);
        byte[] jdkSig = jdk.sign();
        assertThat(fastVerifier.verifyRawSignature(new DigitallySigned(ECDSA_SHA256, jdkSig), hash)).isTrue();

        // FastEc signs (deterministically), the JDK verifies
        byte[] fastSig = fastSigner.generateRawSignature(ECDSA_SHA256, hash);
        assertThat(fastSigner.generateRawSignature(ECDSA_SHA256, hash)).isEqualTo(fastSig);
        Signature check = Signature.getInstance("SHA256withECDSA");
        check.initVerify(kp.getPublic());
        check.update(message);
        assertThat(check.verify(fastSig)).isTrue();

        // a changed hash, a changed signature and a non-DER encoding of the same (r, s) all fail
        byte[] otherHash = hash.clone();
        otherHash[0] ^= 1;
        assertThat(fastVerifier.verifyRawSignature(new DigitallySigned(ECDSA_SHA256, fastSig), otherHash)).isFalse();
        byte[] tampered = fastSig.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(fastVerifier.verifyRawSignature(new DigitallySigned(ECDSA_SHA256, tampered), hash)).isFalse();
        byte[] padded = Arrays.copyOf(fastSig, fastSig.length + 1); // trailing garbage after the DER sequence
        assertThat(fastVerifier.verifyRawSignature(new DigitallySigned(ECDSA_SHA256, padded), hash)).isFalse();
        assertThat(fastVerifier.verifyRawSignature(new DigitallySigned(ECDSA_SHA256, new byte[] {0x30, 0}), hash)).isFalse();
        // r or s of 0 is no signature
        assertThat(fastVerifier.verifyRawSignature(
                new DigitallySigned(ECDSA_SHA256, FastEc.encode(BigInteger.ZERO, BigInteger.ONE)), hash)).isFalse();
    }

    @Test
    void anRsaKeyIsNotTakenForAnEcOne() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        assertThat(FastEc.Verifier.of(kp.getPublic().getEncoded())).isNull();
        assertThat(FastEc.Signer.of(kp.getPrivate())).isNull();
    }

    @Test
    void x25519GivesTheJdksSharedSecretAndRefusesASmallOrderPoint() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
        KeyPair jdkPair = g.generateKeyPair();
        byte[] jdkPublic = rawX25519(jdkPair);

        FastEc.X25519Agreement fast = new FastEc.X25519Agreement(Crypto.INSTANCE, new java.security.SecureRandom());
        byte[] fastPublic = fast.generateEphemeral();
        fast.receivePeerValue(jdkPublic);
        byte[] fastSecret = fast.calculateSecret().extract();

        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(jdkPair.getPrivate());
        BigInteger u = new BigInteger(1, reverse(fastPublic));
        ka.doPhase(KeyFactory.getInstance("XDH").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u)), true);
        assertThat(fastSecret).isEqualTo(ka.generateSecret());

        FastEc.X25519Agreement small = new FastEc.X25519Agreement(Crypto.INSTANCE, new java.security.SecureRandom());
        small.generateEphemeral();
        small.receivePeerValue(new byte[X25519.POINT_SIZE]); // u = 0: a small-order point, the secret would be 0
        assertThatThrownBy(small::calculateSecret).isInstanceOf(TlsFatalAlert.class);
        assertThatThrownBy(() -> small.receivePeerValue(new byte[31])).isInstanceOf(TlsFatalAlert.class);
    }

    private static byte[] rawX25519(KeyPair kp) {
        BigInteger u = ((java.security.interfaces.XECPublicKey) kp.getPublic()).getU();
        byte[] be = u.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(be.length, 32); i++) {
            out[i] = be[be.length - 1 - i]; // little-endian (RFC 7748)
        }
        return out;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
