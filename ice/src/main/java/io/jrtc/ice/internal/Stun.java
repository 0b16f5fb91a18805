package io.jrtc.ice.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.FingerprintAttribute;
import org.ice4j.attribute.MappedAddressAttribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;

/**
 * The STUN message layer on top of ice4j (RFC 8489). Decoding goes through {@link Message#decode} after
 * {@link StunScan} vetted the framing; encoding builds the message with ice4j's factories and then writes the header
 * (RFC 8489 §5) and each attribute's {@link Attribute#encode()} TLV itself, appending MESSAGE-INTEGRITY (§14.5) and
 * FINGERPRINT (§14.7) computed with ice4j's static {@link MessageIntegrityAttribute#calculateHmacSha1} and
 * {@link FingerprintAttribute#calculateXorCRC32}. It does not call {@code Message.encode}: that reads ice4j's
 * {@code AgentConfig} (for a SOFTWARE value we override anyway), which starts jitsi-metaconfig, Typesafe config and
 * Kotlin reflection in every process; and it wants a {@code StunStack}, which owns sockets, threads and a global
 * credentials registry.
 */
public final class Stun {

    /** SOFTWARE value we put in every message, so ice4j does not add its own longer one. */
    private static final byte[] SOFTWARE = "jrtc".getBytes(StandardCharsets.US_ASCII);

    public static final int METHOD_BINDING = 0x001;
    public static final int METHOD_ALLOCATE = 0x003;
    public static final int METHOD_REFRESH = 0x004;
    public static final int METHOD_SEND = 0x006;
    public static final int METHOD_DATA = 0x007;
    public static final int METHOD_CREATE_PERMISSION = 0x008;
    public static final int METHOD_CHANNEL_BIND = 0x009;

    public static final int CLASS_REQUEST = 0;
    public static final int CLASS_INDICATION = 1;
    public static final int CLASS_SUCCESS = 2;
    public static final int CLASS_ERROR = 3;

    private Stun() {
    }

    /** 12 random bytes for a transaction id (RFC 8489 §6: uniformly and randomly chosen). */
    public static byte[] newTransactionId(RandomGenerator random) {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return id;
    }

    /** A hashable key for a 96-bit transaction id. */
    public record TxKey(long high, int low) {
        public static TxKey of(byte[] id) {
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (id[i] & 0xFF);
            }
            return new TxKey(h, StunScan.readInt(id, 8));
        }

        public static TxKey ofMessage(byte[] msg) {
            long h = 0;
            for (int i = 8; i < 16; i++) {
                h = (h << 8) | (msg[i] & 0xFF);
            }
            return new TxKey(h, StunScan.readInt(msg, 16));
        }
    }

    /**
     * Decodes a message already vetted by {@link StunScan}; returns null if ice4j still refuses it (the caller counts
     * it as malformed). ice4j may throw unchecked exceptions on odd attribute bodies, so they are caught here.
     */
    public static Message decode(byte[] msg, int len) {
        try {
            return Message.decode(msg, 0, len);
        } catch (StunException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Encodes {@code message} (which must carry neither MESSAGE-INTEGRITY nor FINGERPRINT) and appends
     * MESSAGE-INTEGRITY keyed with {@code integrityKey} (if not null) and FINGERPRINT (if asked). A message without
     * SOFTWARE gets ours.
     */
    public static ByteBuffer encode(Message message, byte[] integrityKey, boolean fingerprint) {
        if (message.getAttribute(Attribute.SOFTWARE) == null) {
            message.putAttribute(AttributeFactory.createSoftwareAttribute(SOFTWARE));
        }
        return seal(body(message, (byte) 0), integrityKey, fingerprint);
    }

    /**
     * Encodes {@code message} with exactly its attributes, in the order they were put, each padded to 4 bytes with
     * {@code padding} (RFC 8489 §14: padding may be any value; RFC 5769's vectors pad with spaces), then seals it as
     * {@link #seal} does.
     */
    static ByteBuffer encodeExactly(Message message, byte[] integrityKey, boolean fingerprint, byte padding) {
        return seal(body(message, padding), integrityKey, fingerprint);
    }

    /**
     * The header (RFC 8489 §5: type, length, magic cookie, transaction id) and the attributes of {@code message}, each
     * the TLV its {@link Attribute#encode()} gives, padded to a multiple of 4 bytes.
     */
    private static byte[] body(Message message, byte padding) {
        List<Attribute> attributes = message.getAttributes();
        byte[][] tlvs = new byte[attributes.size()][];
        int length = 0;
        for (int i = 0; i < tlvs.length; i++) {
            Attribute a = attributes.get(i);
            char type = a.getAttributeType();
            if (type == Attribute.MESSAGE_INTEGRITY || type == Attribute.FINGERPRINT) {
                throw new IllegalArgumentException("MESSAGE-INTEGRITY and FINGERPRINT are appended by seal, not put");
            }
            byte[] tlv = a.encode();
            int valueLength = tlv.length < 4 ? -1 : ((tlv[2] & 0xFF) << 8) | (tlv[3] & 0xFF);
            if (valueLength < 0 || tlv.length < 4 + valueLength) {
                throw new IllegalStateException("attribute 0x" + Integer.toHexString(type) + " encoded short");
            }
            tlvs[i] = tlv;
            length += 4 + ((valueLength + 3) & ~3);
        }
        if (length > 0xFFFF - 32) {
            throw new IllegalArgumentException("STUN message too long: " + length + " bytes of attributes");
        }
        byte[] out = new byte[StunScan.HEADER_LENGTH + length];
        char type = message.getMessageType();
        out[0] = (byte) (type >>> 8);
        out[1] = (byte) type;
        setLength(out, length);
        byte[] id = message.getTransactionID();
        if (id.length == 12) {
            out[4] = 0x21;
            out[5] = 0x12;
            out[6] = (byte) 0xA4;
            out[7] = 0x42;
            System.arraycopy(id, 0, out, 8, 12);
        } else if (id.length == 16) { // RFC 3489: a 128-bit transaction id in place of the cookie and ours
            System.arraycopy(id, 0, out, 4, 16);
        } else {
            throw new IllegalArgumentException("transaction id of " + id.length + " bytes");
        }
        int pos = StunScan.HEADER_LENGTH;
        for (byte[] tlv : tlvs) {
            int valueLength = ((tlv[2] & 0xFF) << 8) | (tlv[3] & 0xFF);
            System.arraycopy(tlv, 0, out, pos, 4 + valueLength);
            pos += 4 + valueLength;
            while ((pos & 3) != 0) {
                out[pos++] = padding;
            }
        }
        return out;
    }

    /**
     * Appends MESSAGE-INTEGRITY (if {@code integrityKey} is not null) and FINGERPRINT (if asked) to an encoded
     * message that has neither, fixing the length field as RFC 8489 §14.5 and §14.7 require.
     */
    public static ByteBuffer seal(byte[] body, byte[] integrityKey, boolean fingerprint) {
        int extra = (integrityKey != null ? 24 : 0) + (fingerprint ? 8 : 0);
        byte[] out = new byte[body.length + extra];
        System.arraycopy(body, 0, out, 0, body.length);
        int pos = body.length;
        if (integrityKey != null) {
            setLength(out, pos + 24 - StunScan.HEADER_LENGTH);
            byte[] hmac = MessageIntegrityAttribute.calculateHmacSha1(out, 0, pos, integrityKey);
            out[pos] = 0x00;
            out[pos + 1] = 0x08;
            out[pos + 2] = 0x00;
            out[pos + 3] = 0x14;
            System.arraycopy(hmac, 0, out, pos + 4, 20);
            pos += 24;
        }
        if (fingerprint) {
            setLength(out, pos + 8 - StunScan.HEADER_LENGTH);
            byte[] crc = FingerprintAttribute.calculateXorCRC32(out, 0, pos);
            out[pos] = (byte) 0x80;
            out[pos + 1] = 0x28;
            out[pos + 2] = 0x00;
            out[pos + 3] = 0x04;
            System.arraycopy(crc, 0, out, pos + 4, 4);
            pos += 8;
        }
        setLength(out, pos - StunScan.HEADER_LENGTH);
        return ByteBuffer.wrap(out);
    }

    /**
     * Verifies MESSAGE-INTEGRITY at {@code miOffset} (RFC 8489 §14.5): HMAC-SHA1 over the message up to the
     * attribute, with the header length adjusted to end right after MESSAGE-INTEGRITY.
     */
    public static boolean verifyIntegrity(byte[] msg, int miOffset, byte[] key) {
        if (miOffset < StunScan.HEADER_LENGTH || key == null) {
            return false;
        }
        byte[] prefix = new byte[miOffset];
        System.arraycopy(msg, 0, prefix, 0, miOffset);
        setLength(prefix, miOffset + 24 - StunScan.HEADER_LENGTH);
        byte[] expected;
        try {
            expected = MessageIntegrityAttribute.calculateHmacSha1(prefix, 0, miOffset, key);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = new byte[20];
        System.arraycopy(msg, miOffset + 4, actual, 0, 20);
        return MessageDigest.isEqual(expected, actual);
    }

    /** The short-term credential key (RFC 8489 §9.1.1): the password's UTF-8 bytes. */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The long-term credential key (RFC 8489 §9.2.2, MD5 variant): {@code MD5(username ":" realm ":" password)}.
     * SASLprep/OpaqueString processing is not applied (ASCII credentials are unaffected).
     */
    public static byte[] longTermKey(String username, String realm, String password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return md5.digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every JDK", e);
        }
    }

    private static void setLength(byte[] msg, int length) {
        msg[2] = (byte) (length >>> 8);
        msg[3] = (byte) length;
    }

    /** ice4j's address type for an {@link InetSocketAddress}. */
    public static TransportAddress ta(InetSocketAddress a) {
        return new TransportAddress(a.getAddress(), a.getPort(), Transport.UDP);
    }

    /** Reads an XOR-MAPPED-ADDRESS, XOR-RELAYED-ADDRESS or XOR-PEER-ADDRESS; null if absent or undecodable. */
    public static InetSocketAddress xorAddress(Message m, char attributeType) {
        Attribute a = m.getAttribute(attributeType);
        try {
            // XOR-RELAYED-ADDRESS and XOR-PEER-ADDRESS are subclasses of ice4j's XorMappedAddressAttribute.
            TransportAddress t = switch (a) {
                case XorMappedAddressAttribute x -> x.getAddress(m.getTransactionID());
                case MappedAddressAttribute x -> x.getAddress();
                case null, default -> null;
            };
            return t == null ? null : new InetSocketAddress(t.getAddress(), t.getPort());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The error code (e.g. 401, 438, 487) of an error response, or 0. */
    public static int errorCode(Message m) {
        return m.getAttribute(Attribute.ERROR_CODE) instanceof ErrorCodeAttribute e ? e.getErrorCode() : 0;
    }
}
