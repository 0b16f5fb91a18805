package io.jrtc.perf.dtls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The elliptic-curve operations of one side of a DTLS handshake, in the JDK's providers (SunEC) and in
 * BouncyCastle's lightweight classes, which `dtls` uses once a JVM is warm (`dtls/README.md`, FastEc): ECDSA P-256
 * verify and sign (SHA-256 hash given, as the TLS engine passes it) and an X25519 key pair plus agreement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EcOperationsBenchmark {

    private KeyPair ec;
    private KeyPair x25519Peer;
    private byte[] message;
    private byte[] hash;
    private byte[] jdkSignature;
    private BigInteger[] bcSignature;
    private ECPublicKeyParameters bcPublic;
    private byte[] spki;
    private ECPrivateKeyParameters bcPrivate;
    private byte[] peerPublicRaw;
    private final SecureRandom random = new SecureRandom();

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        ec = g.generateKeyPair();
        message = new byte[200];
        random.nextBytes(message);
        hash = MessageDigest.getInstance("SHA-256").digest(message);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(ec.getPrivate());
        s.update(message);
        jdkSignature = s.sign();
        spki = ec.getPublic().getEncoded();
        bcPublic = (ECPublicKeyParameters) PublicKeyFactory.createKey(spki);
        bcPrivate = (ECPrivateKeyParameters) PrivateKeyFactory.createKey(ec.getPrivate().getEncoded());
        ECDSASigner bs = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        bs.init(true, bcPrivate);
        bcSignature = bs.generateSignature(hash);
        x25519Peer = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        byte[] k = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, k);
        peerPublicRaw = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(k, 0, peerPublicRaw, 0);
    }

    @Benchmark
    public boolean verifySunEc() throws Exception {
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(ec.getPublic());
        v.update(message);
        return v.verify(jdkSignature);
    }

    @Benchmark
    public boolean verifyBouncyCastle() {
        ECDSASigner v = new ECDSASigner();
        v.init(false, bcPublic);
        return v.verifySignature(hash, bcSignature[0], bcSignature[1]);
    }

    /**
     * The key decoded from its DER bytes before each verification, as every handshake did before {@code FastEc} kept
     * decoded keys: BouncyCastle then recomputes the point's w-NAF table each time ({@link #verifyBouncyCastle} reuses
     * one key object, and its table).
     */
    @Benchmark
    public boolean verifyBouncyCastleKeyDecodedEachTime() throws Exception {
        ECDSASigner v = new ECDSASigner();
        v.init(false, PublicKeyFactory.createKey(spki));
        return v.verifySignature(hash, bcSignature[0], bcSignature[1]);
    }

    @Benchmark
    public byte[] signSunEc() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(ec.getPrivate());
        s.update(message);
        return s.sign();
    }

    @Benchmark
    public BigInteger[] signBouncyCastle() {
        ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        s.init(true, bcPrivate);
        return s.generateSignature(hash);
    }

    @Benchmark
    public byte[] x25519SunEc() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(kp.getPrivate());
        ka.doPhase(x25519Peer.getPublic(), true);
        return ka.generateSecret();
    }

    @Benchmark
    public byte[] x25519BouncyCastle() {
        byte[] k = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, k);
        byte[] pub = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(k, 0, pub, 0);
        byte[] secret = new byte[X25519.POINT_SIZE];
        X25519.calculateAgreement(k, 0, peerPublicRaw, 0, secret, 0);
        return secret;
    }
}
