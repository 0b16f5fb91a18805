package io.jrtc.mesh;

/**
 * Checks envelope signatures: a pure function of its arguments (an implementation may cache decoded keys).
 * {@link Ed25519Verifier} is the production implementation. Called only from the thread that drives the owning
 * {@link OverlayCore}.
 */
public interface MeshVerifier {

    /** True when {@code signature} (64 bytes) is {@code publicKey}'s signature over {@code data[off, off+len)}. */
    boolean verify(byte[] publicKey, byte[] data, int off, int len, byte[] signature);
}
