package io.jrtc.mesh.emu;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshSigner;
import io.jrtc.mesh.MeshVerifier;
import io.jrtc.mesh.internal.SplitMix;
import java.util.SplittableRandom;

/**
 * A stand-in for Ed25519 in large emulations, where the JDK's Ed25519 (hundreds of microseconds per signature and
 * per verification on this class of machine) would dominate the run time. The "signature" is a 64-byte keyed hash
 * of the data under the "public key": it detects any change to a signed byte exactly like a real signature does in
 * these scenarios, but it is NOT secure (anyone knowing the public key can forge it). Only the emulator uses it;
 * it never leaves this package's {@link MeshEmulator} runs, and every printed figure says which scheme ran.
 */
public final class EmulatedSigner implements MeshSigner {

    private final byte[] publicKey;
    private final AgentId agentId;

    /** A deterministic key derived from {@code seed}. */
    public EmulatedSigner(long seed) {
        publicKey = new byte[Identity.PUBLIC_KEY_LENGTH];
        new SplittableRandom(seed).nextBytes(publicKey);
        agentId = AgentId.ofPublicKey(publicKey);
    }

    @Override
    public AgentId agentId() {
        return agentId;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] sign(byte[] data, int off, int len) {
        return tag(publicKey, data, off, len);
    }

    static byte[] tag(byte[] key, byte[] data, int off, int len) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        for (int i = off; i < off + len; i++) {
            h = (h ^ (data[i] & 0xff)) * 0x100000001b3L;
        }
        byte[] out = new byte[Identity.SIGNATURE_LENGTH];
        long x = h;
        for (int i = 0; i < out.length; i += 8) {
            x += SplitMix.GAMMA;
            long z = SplitMix.mix(x);
            for (int j = 0; j < 8; j++) {
                out[i + j] = (byte) (z >>> (8 * j));
            }
        }
        return out;
    }

    /** The matching verifier. */
    public static final class Verifier implements MeshVerifier {
        @Override
        public boolean verify(byte[] publicKey, byte[] data, int off, int len, byte[] signature) {
            return java.util.Arrays.equals(tag(publicKey, data, off, len), signature);
        }
    }
}
