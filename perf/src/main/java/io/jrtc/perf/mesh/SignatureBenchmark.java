package io.jrtc.perf.mesh;

import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshVerifier;
import io.jrtc.mesh.SharedVerification;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a mesh signature costs: the JDK's Ed25519 signing and verifying an envelope-sized message (the mesh's own
 * {@link Identity} and {@link Ed25519Verifier}), and a verification answered by a {@link SharedVerification} memo
 * (SHA-256 over key, signature and data, and a lookup). One op = one signature or one verification. Beside them, for
 * scale, BouncyCastle's Ed25519 (its lightweight API, on the class path for DTLS) over the same bytes: the mesh uses
 * the JDK's by project decision.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureBenchmark {

    /** Bytes signed: about a small broadcast envelope's header and payload. */
    @Param({"200"})
    public int size;

    private Identity identity;
    private byte[] data;
    private byte[] signature;
    private Ed25519Verifier verifier;
    private MeshVerifier memoVerifier;
    private SharedVerification memo;
    private Ed25519Signer bcSigner;
    private Ed25519Signer bcVerifier;
    private byte[] bcSignature;

    @Setup(Level.Trial)
    public void setUp() {
        identity = Identity.generate();
        data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31);
        }
        signature = identity.sign(data, 0, data.length);
        verifier = new Ed25519Verifier();
        memo = new SharedVerification();
        memoVerifier = memo.newVerifier();
        if (!memoVerifier.verify(identity.publicKey(), data, 0, data.length, signature)) {
            throw new IllegalStateException("the signature does not verify");
        }
        Ed25519PrivateKeyParameters bcKey = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        bcSigner = new Ed25519Signer();
        bcSigner.init(true, bcKey);
        bcSigner.update(data, 0, data.length);
        bcSignature = bcSigner.generateSignature();
        bcVerifier = new Ed25519Signer();
        bcVerifier.init(false, bcKey.generatePublicKey());
        if (!bouncyCastleVerify()) {
            throw new IllegalStateException("BouncyCastle's signature does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void check() {
        if (memo.misses() != 1) {
            throw new IllegalStateException("the memo missed " + memo.misses() + " times, expected once");
        }
    }

    @Benchmark
    public byte[] sign() {
        return identity.sign(data, 0, data.length);
    }

    @Benchmark
    public boolean verify() {
        return verifier.verify(identity.publicKey(), data, 0, data.length, signature);
    }

    @Benchmark
    public byte[] bouncyCastleSign() {
        bcSigner.update(data, 0, data.length);
        return bcSigner.generateSignature();
    }

    @Benchmark
    public boolean bouncyCastleVerify() {
        bcVerifier.update(data, 0, data.length);
        return bcVerifier.verifySignature(bcSignature);
    }

    @Benchmark
    public boolean verifyFromSharedMemo() {
        return memoVerifier.verify(identity.publicKey(), data, 0, data.length, signature);
    }
}
