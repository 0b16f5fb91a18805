package io.jrtc.mesh;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An agent's identity on the mesh: the first 16 bytes (128 bits) of SHA-256 over the agent's raw 32-byte Ed25519
 * public key (RFC 8032 encoding). The id is therefore bound to the key: whoever shows an envelope signed by a key
 * also shows which id that key owns, and nobody can claim an id without its private key. Written as 32 lower-case
 * hex digits.
 */
public record AgentId(long hi, long lo) implements Comparable<AgentId> {

    /** Bytes on the wire. */
    public static final int LENGTH = 16;

    /** Derives the id of a raw 32-byte Ed25519 public key. */
    public static AgentId ofPublicKey(byte[] rawPublicKey) {
        if (rawPublicKey.length != Identity.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + rawPublicKey.length);
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(rawPublicKey);
            ByteBuffer b = ByteBuffer.wrap(h);
            return new AgentId(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** Parses 32 hex digits. */
    public static AgentId parse(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an agent id has 32 hex digits: " + hex);
        }
        byte[] b = HexFormat.of().parseHex(hex);
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new AgentId(bb.getLong(), bb.getLong());
    }

    /** Reads 16 bytes at the buffer's position. */
    public static AgentId read(ByteBuffer in) {
        return new AgentId(in.getLong(), in.getLong());
    }

    public void writeTo(ByteBuffer out) {
        out.putLong(hi).putLong(lo);
    }

    @Override
    public int compareTo(AgentId o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    /** The first 8 hex digits, for logs. */
    public String shortString() {
        return toString().substring(0, 8);
    }

    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits(lo);
    }
}
