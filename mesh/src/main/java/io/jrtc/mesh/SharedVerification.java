package io.jrtc.mesh;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A memo of the Ed25519 signatures that the agents of one process have already verified, for a process that hosts
 * many agents (a server, {@code jrtc mesh-sim}). Give the same instance to each agent's
 * {@link MeshConfig.Builder#sharedVerification}: a signature that one agent verified is then accepted by the others
 * after a SHA-256 over the public key, the signature and the signed bytes, and a lookup, instead of a second Ed25519
 * verification. A broadcast over N agents of one process then costs one verification instead of N − 1.
 *
 * <p>What each hop checks does not change: an envelope, HELLO or presence entry is accepted only when those exact
 * bytes under that exact key were found valid by the JDK's Ed25519 in this process. Any change to the key, the
 * signature or a byte of the data misses the memo and is verified (and refused, counted and audited) as before.
 * Only successes are remembered. The memo trusts the memory of its own process, which its agents share anyway;
 * never share one across trust boundaries, and an agent alone in its process gains nothing from it.
 *
 * <p>Bounded: the oldest entries go first once {@code capacity} is reached. Thread-safe; the verifiers made by
 * {@link #newVerifier()} are not (one per thread, like {@link Ed25519Verifier}).
 */
public final class SharedVerification {

    /** The default number of signatures remembered: 32 bytes of digest each, about 4 MiB with the map's overhead. */
    public static final int DEFAULT_CAPACITY = 1 << 16;

    private final int capacity;
    private final Map<ByteBuffer, Boolean> verified;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** A memo of at most {@link #DEFAULT_CAPACITY} signatures. */
    public SharedVerification() {
        this(DEFAULT_CAPACITY);
    }

    /** A memo of at most {@code capacity} (≥ 1) signatures. */
    public SharedVerification(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.verified = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > SharedVerification.this.capacity;
            }
        };
    }

    /** A verifier that looks here first and verifies with a fresh {@link Ed25519Verifier} otherwise. One thread only. */
    public MeshVerifier newVerifier() {
        return new MemoVerifier(this, new Ed25519Verifier());
    }

    /** Verifications answered from the memo so far. */
    public long hits() {
        return hits.sum();
    }

    /** Verifications that missed the memo (and were run) so far. */
    public long misses() {
        return misses.sum();
    }

    /** Signatures remembered now. */
    public int size() {
        synchronized (verified) {
            return verified.size();
        }
    }

    private boolean contains(ByteBuffer d) {
        synchronized (verified) {
            return verified.containsKey(d);
        }
    }

    private void add(ByteBuffer d) {
        synchronized (verified) {
            verified.put(d, Boolean.TRUE);
        }
    }

    /** Checks the memo, then the delegate; remembers what the delegate accepted. */
    private static final class MemoVerifier implements MeshVerifier {
        private final SharedVerification memo;
        private final MeshVerifier delegate;
        private final MessageDigest sha256;

        MemoVerifier(SharedVerification memo, MeshVerifier delegate) {
            this.memo = memo;
            this.delegate = delegate;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }

        @Override
        public boolean verify(byte[] publicKey, byte[] data, int off, int len, byte[] signature) {
            if (publicKey.length != Identity.PUBLIC_KEY_LENGTH || signature.length != Identity.SIGNATURE_LENGTH) {
                return false;
            }
            // lengths are fixed for key and signature, so the concatenation is unambiguous
            sha256.update(publicKey);
            sha256.update(signature);
            sha256.update(data, off, len);
            ByteBuffer d = ByteBuffer.wrap(sha256.digest()); // equality and hash over the 32 bytes
            if (memo.contains(d)) {
                memo.hits.increment();
                return true;
            }
            memo.misses.increment();
            boolean ok = delegate.verify(publicKey, data, off, len, signature);
            if (ok) {
                memo.add(d);
            }
            return ok;
        }
    }
}
