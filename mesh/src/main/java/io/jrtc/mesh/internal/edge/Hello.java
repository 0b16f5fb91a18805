package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshSigner;
import io.jrtc.mesh.MeshVerifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * HELLO (version 3, mesh protocol version 6): the first frame each side sends on a new link's control channel, binding
 * the sender's DTLS certificate to its Ed25519 key.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x20  |  Version = 3  |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |          Sender public key (32 bytes, raw Ed25519)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Sender DTLS certificate fingerprint (32 bytes, SHA-256)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Signature (64 bytes, Ed25519)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The signature covers the ASCII context {@code jrtc-mesh/6 hello}, a zero byte, then bytes 0 to 65 (type to the
 * fingerprint). 130 bytes in all. The receiver accepts it when the key is the one of the agent it dialled or was
 * offered by, the fingerprint is the certificate DTLS has just authenticated (so the sender holds its private key),
 * and the signature verifies. Version 2 also carried the receiver's fingerprint, which made every HELLO new to every
 * pair of certificates (two signatures and two verifications per link); the binding does not need it, since a HELLO
 * replayed elsewhere names a certificate the replayer cannot present.
 */
public final class Hello {

    public static final byte TYPE = 0x20;
    public static final byte VERSION = 3;
    public static final int FINGERPRINT_LENGTH = 32;
    public static final int SIGNED_LENGTH = 2 + Identity.PUBLIC_KEY_LENGTH + FINGERPRINT_LENGTH;
    public static final int LENGTH = SIGNED_LENGTH + Identity.SIGNATURE_LENGTH;
    private static final byte[] CONTEXT = "jrtc-mesh/6 hello\0".getBytes(StandardCharsets.US_ASCII);

    private Hello() {
    }

    /** Why a HELLO was refused. */
    public enum Verdict {
        OK, MALFORMED, KEY_MISMATCH, FINGERPRINT_MISMATCH, BAD_SIGNATURE
    }

    /** A signed HELLO from {@code signer}, whose links present the certificate of fingerprint {@code own}. */
    public static byte[] encode(MeshSigner signer, byte[] own) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(TYPE).put(VERSION).put(signer.publicKey()).put(own);
        byte[] out = b.array();
        byte[] sig = signer.sign(signedBytes(out), 0, CONTEXT.length + SIGNED_LENGTH);
        System.arraycopy(sig, 0, out, SIGNED_LENGTH, sig.length);
        return out;
    }

    /** Whether {@code frame} is a HELLO at all (by its type byte). */
    public static boolean isHello(byte[] frame) {
        return frame.length > 0 && frame[0] == TYPE;
    }

    /**
     * Checks a received HELLO: that it parses, that its key is the one of {@code expected} (SHA-256(key)[0..16]), that
     * its fingerprint is the remote's certificate as DTLS accepted it ({@code remoteFingerprint}), and that the
     * signature verifies.
     */
    public static Verdict verify(byte[] frame, AgentId expected, byte[] remoteFingerprint, MeshVerifier verifier) {
        if (frame.length != LENGTH || frame[0] != TYPE || frame[1] != VERSION) {
            return Verdict.MALFORMED;
        }
        byte[] key = Arrays.copyOfRange(frame, 2, 2 + Identity.PUBLIC_KEY_LENGTH);
        if (!AgentId.ofPublicKey(key).equals(expected)) {
            return Verdict.KEY_MISMATCH;
        }
        int fp = 2 + Identity.PUBLIC_KEY_LENGTH;
        if (remoteFingerprint == null
                || !Arrays.equals(frame, fp, fp + FINGERPRINT_LENGTH, remoteFingerprint, 0, remoteFingerprint.length)) {
            return Verdict.FINGERPRINT_MISMATCH;
        }
        byte[] sig = Arrays.copyOfRange(frame, SIGNED_LENGTH, LENGTH);
        byte[] signed = signedBytes(frame);
        return verifier.verify(key, signed, 0, signed.length, sig) ? Verdict.OK : Verdict.BAD_SIGNATURE;
    }

    private static byte[] signedBytes(byte[] frame) {
        byte[] s = Arrays.copyOf(CONTEXT, CONTEXT.length + SIGNED_LENGTH);
        System.arraycopy(frame, 0, s, CONTEXT.length, SIGNED_LENGTH);
        return s;
    }

    /** The fields of a {@code link.identity_mismatch} audit entry: agent, signaling id, reason, the key's agent id. */
    static java.util.Map<String, String> auditFields(AgentId agent, String signalingId, Verdict v, byte[] frame) {
        java.util.LinkedHashMap<String, String> f = new java.util.LinkedHashMap<>();
        f.put("agent", agent.toString());
        f.put("signaling_id", signalingId);
        f.put("reason", v.name().toLowerCase());
        if (frame.length >= 34) {
            f.put("key_agent", AgentId.ofPublicKey(java.util.Arrays.copyOfRange(frame, 2, 34)).toString());
        }
        return f;
    }
}
