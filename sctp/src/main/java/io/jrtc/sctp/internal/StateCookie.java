package io.jrtc.sctp.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The State Cookie this implementation puts in INIT ACK (RFC 9260 §5.1.3): everything needed to build the TCB
 * from a COOKIE ECHO alone, its creation time for the cookie lifetime check (§5.1.5 step 3), and an HMAC-SHA256
 * over all of it keyed by a per-association secret, so that a forged or altered cookie is rejected (§5.1.5
 * steps 1-2).
 *
 * <pre>
 *  0: magic "jRTC"            4: version (1) + flags (1) + lifetime extension in ms (16, Cookie Preservative)
 *  8: created at (64-bit nanoseconds on the association's clock)
 * 16: local tag   20: local initial TSN   24: peer tag   28: peer a_rwnd
 * 32: peer OS (16) + peer MIS (16)        36: peer initial TSN
 * 40: local tie-tag  44: peer tie-tag
 * 48: HMAC-SHA256 (32 bytes)                                        = 80 bytes
 * </pre>
 */
public record StateCookie(long createdAt, long localTag, long localInitialTsn, long peerTag, long peerArwnd,
        int peerOutboundStreams, int peerInboundStreams, long peerInitialTsn, long localTieTag, long peerTieTag,
        boolean peerForwardTsn, boolean peerReconfig, boolean peerZeroChecksum, int lifetimeExtensionMillis) {

    public static final int LENGTH = 80;
    private static final int MAGIC = 0x6A525443;
    private static final int MAC_OFFSET = 48;
    private static final String HMAC = "HmacSHA256";

    /** Serializes and signs with {@code secret}. */
    public byte[] encode(byte[] secret) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putInt(MAGIC);
        b.put((byte) 1);
        b.put((byte) ((peerForwardTsn ? 1 : 0) | (peerReconfig ? 2 : 0) | (peerZeroChecksum ? 4 : 0)));
        b.putShort((short) Math.min(0xFFFF, lifetimeExtensionMillis));
        b.putLong(createdAt);
        b.putInt((int) localTag);
        b.putInt((int) localInitialTsn);
        b.putInt((int) peerTag);
        b.putInt((int) peerArwnd);
        b.putShort((short) peerOutboundStreams);
        b.putShort((short) peerInboundStreams);
        b.putInt((int) peerInitialTsn);
        b.putInt((int) localTieTag);
        b.putInt((int) peerTieTag);
        b.put(mac(secret, b.array(), MAC_OFFSET));
        return b.array();
    }

    /** Verifies the signature and decodes; returns null for anything not made by {@link #encode} with this secret. */
    public static StateCookie decode(byte[] cookie, byte[] secret) {
        if (cookie.length != LENGTH) {
            return null;
        }
        byte[] expected = mac(secret, cookie, MAC_OFFSET);
        byte[] actual = java.util.Arrays.copyOfRange(cookie, MAC_OFFSET, LENGTH);
        if (!MessageDigest.isEqual(expected, actual)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(cookie);
        if (b.getInt() != MAGIC || b.get() != 1) {
            return null;
        }
        int flags = b.get();
        int extension = b.getShort() & 0xFFFF;
        long created = b.getLong();
        long localTag = b.getInt() & 0xFFFF_FFFFL;
        long localTsn = b.getInt() & 0xFFFF_FFFFL;
        long peerTag = b.getInt() & 0xFFFF_FFFFL;
        long peerArwnd = b.getInt() & 0xFFFF_FFFFL;
        int os = b.getShort() & 0xFFFF;
        int mis = b.getShort() & 0xFFFF;
        long peerTsn = b.getInt() & 0xFFFF_FFFFL;
        long localTie = b.getInt() & 0xFFFF_FFFFL;
        long peerTie = b.getInt() & 0xFFFF_FFFFL;
        return new StateCookie(created, localTag, localTsn, peerTag, peerArwnd, os, mis, peerTsn, localTie, peerTie,
                (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, extension);
    }

    private static byte[] mac(byte[] secret, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
