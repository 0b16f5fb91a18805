package io.jrtc.mesh;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * An operator's signed statement that one agent's Ed25519 key is revoked (drill E, "key compromise"). It travels as
 * the payload of a REVOCATION envelope (kind 6, broadcast) that any agent may publish
 * ({@link MeshAgent#publishRevocation}); every agent whose {@link OverlayConfig#operatorKeys} holds the operator key
 * obeys it: it drops the revoked agent's messages and links and refuses it from then on. Layout (module README,
 * "Revocation"):
 *
 * <pre>
 *  version (1) = 1 | operator public key (32) | revoked public key (32) | issued at (8, ms since the epoch)
 *  | reason length (1) | reason (UTF-8, at most 255 bytes) | signature (64, Ed25519 by the operator key)
 * </pre>
 *
 * The signature covers the ASCII context {@code jrtc-mesh/3 revocation}, a zero byte, then every byte before it.
 *
 * @param operatorKey  the raw Ed25519 public key of the operator who signed it
 * @param revokedKey   the raw Ed25519 public key revoked; its agent id is {@link #revoked()}
 * @param issuedAtMillis when the operator signed it (wall clock, ms since the epoch; informative)
 * @param reason       why, for the audit logs
 * @param signature    the operator's signature
 */
public record Revocation(byte[] operatorKey, byte[] revokedKey, long issuedAtMillis, String reason, byte[] signature) {

    public static final int VERSION = 1;
    public static final int KEY_LENGTH = 32;
    public static final int MAX_REASON_BYTES = 255;
    private static final byte[] CONTEXT = "jrtc-mesh/3 revocation\0".getBytes(StandardCharsets.US_ASCII);

    public Revocation {
        if (operatorKey.length != KEY_LENGTH || revokedKey.length != KEY_LENGTH || signature.length != 64
                || reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("inconsistent revocation fields");
        }
        operatorKey = operatorKey.clone();
        revokedKey = revokedKey.clone();
        signature = signature.clone();
    }

    /** Signs a revocation of {@code revokedPublicKey} (raw, 32 bytes) with the operator's key. */
    public static Revocation sign(MeshSigner operator, byte[] revokedPublicKey, String reason, long issuedAtMillis) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("a revocation reason has at most 255 bytes of UTF-8");
        }
        Revocation unsigned = new Revocation(operator.publicKey(), revokedPublicKey, issuedAtMillis, reason, new byte[64]);
        byte[] tbs = unsigned.signedBytes();
        return new Revocation(operator.publicKey(), revokedPublicKey, issuedAtMillis, reason,
                operator.sign(tbs, 0, tbs.length));
    }

    /** The revoked agent. */
    public AgentId revoked() {
        return AgentId.ofPublicKey(revokedKey);
    }

    /** The agent id of the operator key (operators need not be agents; it names the key in logs). */
    public AgentId operator() {
        return AgentId.ofPublicKey(operatorKey);
    }

    /** True when the signature verifies with {@link #operatorKey()} and that key is one of {@code trusted}. */
    public boolean verify(List<byte[]> trusted, MeshVerifier verifier) {
        boolean known = false;
        for (byte[] k : trusted) {
            known |= Arrays.equals(k, operatorKey);
        }
        byte[] tbs = signedBytes();
        return known && verifier.verify(operatorKey, tbs, 0, tbs.length, signature);
    }

    private byte[] body() {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 * KEY_LENGTH + 8 + 1 + r.length).put((byte) VERSION).put(operatorKey)
                .put(revokedKey).putLong(issuedAtMillis).put((byte) r.length).put(r).array();
    }

    private byte[] signedBytes() {
        byte[] body = body();
        byte[] out = Arrays.copyOf(CONTEXT, CONTEXT.length + body.length);
        System.arraycopy(body, 0, out, CONTEXT.length, body.length);
        return out;
    }

    /** The wire form (the envelope's payload). */
    public byte[] encode() {
        byte[] body = body();
        byte[] out = Arrays.copyOf(body, body.length + 64);
        System.arraycopy(signature, 0, out, body.length, 64);
        return out;
    }

    /** Parses {@link #encode()}'s form; anything else (length, version, reason not UTF-8) is a ParseException. */
    public static Revocation parse(byte[] bytes) throws ParseException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < 1 + 2 * KEY_LENGTH + 8 + 1 + 64) {
            throw new ParseException(ParseError.INVALID_LENGTH, "revocation of " + bytes.length + " bytes");
        }
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new ParseException(ParseError.INVALID_VALUE, "revocation version " + version);
        }
        byte[] op = new byte[KEY_LENGTH];
        byte[] rk = new byte[KEY_LENGTH];
        in.get(op).get(rk);
        long at = in.getLong();
        int n = in.get() & 0xff;
        if (in.remaining() != n + 64) {
            throw new ParseException(ParseError.INVALID_LENGTH, "revocation reason of " + n + " bytes, "
                    + in.remaining() + " left");
        }
        byte[] r = new byte[n];
        in.get(r);
        String reason;
        try {
            reason = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(r)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ParseException(ParseError.INVALID_VALUE, "revocation reason is not UTF-8");
        }
        byte[] sig = new byte[64];
        in.get(sig);
        return new Revocation(op, rk, at, reason, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Revocation v && Arrays.equals(operatorKey, v.operatorKey)
                && Arrays.equals(revokedKey, v.revokedKey) && issuedAtMillis == v.issuedAtMillis
                && reason.equals(v.reason) && Arrays.equals(signature, v.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(revokedKey) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Revocation[" + revoked().shortString() + " by operator " + operator().shortString() + ": " + reason + "]";
    }
}
