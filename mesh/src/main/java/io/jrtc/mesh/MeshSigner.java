package io.jrtc.mesh;

/**
 * Signs envelopes for one agent. {@link Identity} is the production implementation (Ed25519). Called only from the
 * thread that drives the owning {@link OverlayCore}.
 */
public interface MeshSigner {

    /** The agent this signer speaks for; equal to {@code AgentId.ofPublicKey(publicKey())}. */
    AgentId agentId();

    /** The raw 32-byte public key that verifies this signer's signatures. */
    byte[] publicKey();

    /** A 64-byte signature over {@code data[off, off+len)}. */
    byte[] sign(byte[] data, int off, int len);
}
