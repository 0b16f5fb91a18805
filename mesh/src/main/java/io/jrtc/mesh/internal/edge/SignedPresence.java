package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshSigner;
import io.jrtc.mesh.MeshVerifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The signed presence entry (mesh protocol version 4) an agent registers with at the signaling server, which hands it
 * to the other agents without reading it (signaling revision 5, feature {@code "presence"}): it announces the agent's
 * key and proves the agent id and the signaling id it registered under belong to that key.
 *
 * <pre>
 *  version (1) = 1 | public key (32, raw Ed25519) | issued at (8: ms since the epoch) | signature (64)
 * </pre>
 * 105 bytes, written as unpadded base64url (140 characters). The signature covers the ASCII context
 * {@code jrtc-mesh/4 presence}, a zero byte, the signaling id (UTF-8), a zero byte, then the first 41 bytes. A
 * receiver checks that it parses, that SHA-256(key)[0..16] is the agent id of the signaling id it came with, that it
 * was not issued more than {@link #MAX_FUTURE_MILLIS} ahead of its own clock, and the signature.
 */
public final class SignedPresence {

    public static final int VERSION = 1;
    public static final int LENGTH = 1 + Identity.PUBLIC_KEY_LENGTH + 8 + Identity.SIGNATURE_LENGTH;
    /** An entry dated further ahead than this is refused (clock skew allowance). */
    public static final long MAX_FUTURE_MILLIS = 10 * 60_000;
    private static final byte[] CONTEXT = "jrtc-mesh/4 presence\0".getBytes(StandardCharsets.US_ASCII);
    private static final int SIGNED = 1 + Identity.PUBLIC_KEY_LENGTH + 8;

    private SignedPresence() {
    }

    /** Why an entry was refused. */
    public enum Verdict {
        OK, MISSING, MALFORMED, KEY_MISMATCH, FUTURE, BAD_SIGNATURE
    }

    /** The entry of {@code signer} registered as {@code signalingId}, issued at {@code issuedAtMillis}. */
    public static String encode(MeshSigner signer, String signalingId, long issuedAtMillis) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put((byte) VERSION).put(signer.publicKey()).putLong(issuedAtMillis);
        byte[] tbs = signed(signalingId, b.array());
        b.put(signer.sign(tbs, 0, tbs.length));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** Checks {@code blob} (null: MISSING) for the agent {@code claimed} registered as {@code signalingId}. */
    public static Verdict verify(String blob, AgentId claimed, String signalingId, long nowMillis,
                                 MeshVerifier verifier) {
        Verdict v = check(blob, claimed, signalingId, nowMillis);
        return v != Verdict.OK ? v : verifySignature(blob, signalingId, verifier);
    }

    /**
     * Every check of {@link #verify} but the signature (no public-key operation): the signature is checked by
     * {@link #verifySignature} when the entry is first used (the mesh README, "Signed presence").
     */
    public static Verdict check(String blob, AgentId claimed, String signalingId, long nowMillis) {
        if (blob == null) {
            return Verdict.MISSING;
        }
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(blob);
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        if (b.length != LENGTH || b[0] != VERSION || blob.length() != 140 || blob.indexOf('=') >= 0) {
            return Verdict.MALFORMED;
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        in.get();
        byte[] key = new byte[Identity.PUBLIC_KEY_LENGTH];
        in.get(key);
        long issuedAt = in.getLong();
        if (!AgentId.ofPublicKey(key).equals(claimed)) {
            return Verdict.KEY_MISMATCH;
        }
        if (issuedAt - nowMillis > MAX_FUTURE_MILLIS) {
            return Verdict.FUTURE;
        }
        return Verdict.OK;
    }

    /** The signature check of an entry {@link #check} passed: OK or BAD_SIGNATURE. */
    public static Verdict verifySignature(String blob, String signalingId, MeshVerifier verifier) {
        byte[] b = Base64.getUrlDecoder().decode(blob);
        byte[] key = java.util.Arrays.copyOfRange(b, 1, 1 + Identity.PUBLIC_KEY_LENGTH);
        byte[] sig = java.util.Arrays.copyOfRange(b, SIGNED, LENGTH);
        byte[] tbs = signed(signalingId, b);
        return verifier.verify(key, tbs, 0, tbs.length, sig) ? Verdict.OK : Verdict.BAD_SIGNATURE;
    }

    private static byte[] signed(String signalingId, byte[] entry) {
        byte[] id = signalingId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(CONTEXT.length + id.length + 1 + SIGNED).put(CONTEXT).put(id).put((byte) 0)
                .put(entry, 0, SIGNED).array();
    }
}
