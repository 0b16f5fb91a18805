package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.MeshSigner;
import io.jrtc.mesh.MeshVerifier;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the HELLOs an edge signed and the ones it verified, so that each certificate costs its agent one Ed25519
 * signature, and each remote certificate one verification, not one per link set-up (the overlay re-links the same
 * pairs often, and each Ed25519 operation of the JDK costs about 0.6 ms here).
 *
 * <p>Nothing changes on the wire or in what is accepted: Ed25519 signatures are deterministic (RFC 8032), so a HELLO
 * signed again over the same bytes is the same HELLO; and a frame is taken from the verified set only when it is
 * byte for byte one that verified before (its key, its fingerprint and its signature), after the same key and
 * fingerprint checks as any other ({@link Hello#verify}). At most {@link #SIZE} entries each, least recently used
 * out. Agent loop only.
 */
final class HelloCache {

    static final int SIZE = 512;

    private final Map<ByteBuffer, byte[]> signed = lru();
    private final Map<ByteBuffer, Boolean> verified = lru();
    private long signatures;
    private long verifications;

    /** A HELLO from {@code signer} for its certificate of fingerprint {@code own} (signed once per certificate). */
    byte[] encode(MeshSigner signer, byte[] own) {
        ByteBuffer key = ByteBuffer.allocate(signer.publicKey().length + own.length)
                .put(signer.publicKey()).put(own).flip();
        byte[] hello = signed.get(key);
        if (hello == null) {
            signatures++;
            hello = Hello.encode(signer, own);
            signed.put(key, hello);
        }
        return hello.clone();
    }

    /** {@link Hello#verify}, with a verification remembered for the exact frame that passed it. */
    Hello.Verdict verify(byte[] frame, AgentId expected, byte[] remoteFingerprint, MeshVerifier verifier) {
        ByteBuffer key = ByteBuffer.wrap(frame.clone());
        boolean known = verified.get(key) != null;
        MeshVerifier v = known ? (k, data, off, len, sig) -> true : (k, data, off, len, sig) -> {
            verifications++;
            return verifier.verify(k, data, off, len, sig);
        };
        Hello.Verdict verdict = Hello.verify(frame, expected, remoteFingerprint, v);
        if (verdict == Hello.Verdict.OK && !known) {
            verified.put(key, Boolean.TRUE);
        }
        return verdict;
    }

    /** Ed25519 signatures made and verifications run so far (cache misses). */
    long[] counts() {
        return new long[] {signatures, verifications};
    }

    private static <V> Map<ByteBuffer, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, V> eldest) {
                return size() > SIZE;
            }
        };
    }
}
