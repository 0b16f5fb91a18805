package io.jrtc.ice.internal;

import io.jrtc.ice.IceDropReason;
import java.util.Arrays;
import org.ice4j.attribute.FingerprintAttribute;

/**
 * A strict walk over a STUN message's framing (RFC 8489 §5, §14) done before ice4j decodes it: ice4j's decoder
 * throws unchecked exceptions on some truncated attributes and does not tell a wrong FINGERPRINT apart from other
 * failures, and we need the byte offset of MESSAGE-INTEGRITY to verify it. The scan checks the header, every
 * attribute's bounds, the FINGERPRINT (value and position) and lists unknown comprehension-required attributes.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |0 0|     STUN Message Type     |         Message Length        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Magic Cookie                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Transaction ID (96 bits)                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param status        OK, or the drop reason
 * @param type          the message type (class and method bits)
 * @param miOffset      offset of the MESSAGE-INTEGRITY attribute header, or -1
 * @param fpOffset      offset of the FINGERPRINT attribute header, or -1
 * @param unknownRequired comprehension-required attribute types this agent does not understand
 */
public record StunScan(IceDropReason status, int type, int miOffset, int fpOffset, int[] unknownRequired) {

    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;

    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_FINGERPRINT = 0x8028;

    /** Comprehension-required attributes (type below 0x8000) this agent understands. */
    private static final int[] KNOWN_REQUIRED = {
        0x0001, // MAPPED-ADDRESS
        0x0006, // USERNAME
        0x0008, // MESSAGE-INTEGRITY
        0x0009, // ERROR-CODE
        0x000A, // UNKNOWN-ATTRIBUTES
        0x000C, // CHANNEL-NUMBER
        0x000D, // LIFETIME
        0x0012, // XOR-PEER-ADDRESS
        0x0013, // DATA
        0x0014, // REALM
        0x0015, // NONCE
        0x0016, // XOR-RELAYED-ADDRESS
        0x0017, // REQUESTED-ADDRESS-FAMILY
        0x0018, // EVEN-PORT
        0x0019, // REQUESTED-TRANSPORT
        0x001A, // DONT-FRAGMENT
        0x0020, // XOR-MAPPED-ADDRESS
        0x0022, // RESERVATION-TOKEN
        0x0024, // PRIORITY
        0x0025, // USE-CANDIDATE
    };

    private static final int[] NONE = new int[0];

    /** True when the first bytes look like STUN (RFC 7983: first byte 0..3, and the RFC 5389 magic cookie). */
    public static boolean looksLikeStun(byte[] b, int off, int len) {
        return len >= HEADER_LENGTH && (b[off] & 0xC0) == 0 && readInt(b, off + 4) == MAGIC_COOKIE;
    }

    /** Scans {@code msg[0..len)}, which must hold exactly one message (a UDP datagram or a reassembled frame). */
    public static StunScan scan(byte[] msg, int len) {
        if (len < HEADER_LENGTH) {
            return fail(IceDropReason.TRUNCATED, 0);
        }
        int type = ((msg[0] & 0xFF) << 8) | (msg[1] & 0xFF);
        if ((msg[0] & 0xC0) != 0 || readInt(msg, 4) != MAGIC_COOKIE) {
            return fail(IceDropReason.MALFORMED, type);
        }
        int bodyLength = ((msg[2] & 0xFF) << 8) | (msg[3] & 0xFF);
        if ((bodyLength & 3) != 0) {
            return fail(IceDropReason.MALFORMED, type);
        }
        int end = HEADER_LENGTH + bodyLength;
        if (end > len) {
            return fail(IceDropReason.TRUNCATED, type);
        }
        if (end < len) {
            return fail(IceDropReason.MALFORMED, type);
        }
        int off = HEADER_LENGTH;
        int mi = -1;
        int fp = -1;
        int[] unknown = NONE;
        while (off < end) {
            if (fp >= 0) {
                return fail(IceDropReason.MALFORMED, type); // FINGERPRINT must be the last attribute
            }
            if (off + 4 > end) {
                return fail(IceDropReason.TRUNCATED, type);
            }
            int at = ((msg[off] & 0xFF) << 8) | (msg[off + 1] & 0xFF);
            int alen = ((msg[off + 2] & 0xFF) << 8) | (msg[off + 3] & 0xFF);
            if (off + 4 + alen > end) {
                return fail(IceDropReason.TRUNCATED, type);
            }
            int padded = (alen + 3) & ~3;
            if (off + 4 + padded > end) {
                return fail(IceDropReason.MALFORMED, type);
            }
            if (at == ATTR_FINGERPRINT) {
                if (alen != 4) {
                    return fail(IceDropReason.MALFORMED, type);
                }
                fp = off;
            } else if (mi >= 0) {
                // RFC 8489 §14.5: attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored.
                off += 4 + padded;
                continue;
            } else if (at == ATTR_MESSAGE_INTEGRITY) {
                if (alen != 20) {
                    return fail(IceDropReason.MALFORMED, type);
                }
                mi = off;
            } else if (at < 0x8000 && Arrays.binarySearch(KNOWN_REQUIRED, at) < 0) {
                unknown = Arrays.copyOf(unknown, unknown.length + 1);
                unknown[unknown.length - 1] = at;
            }
            off += 4 + padded;
        }
        if (fp >= 0) {
            byte[] expected = FingerprintAttribute.calculateXorCRC32(msg, 0, fp);
            if (!Arrays.equals(expected, 0, 4, msg, fp + 4, fp + 8)) {
                return new StunScan(IceDropReason.BAD_FINGERPRINT, type, mi, fp, unknown);
            }
        }
        return new StunScan(null, type, mi, fp, unknown);
    }

    private static StunScan fail(IceDropReason reason, int type) {
        return new StunScan(reason, type, -1, -1, NONE);
    }

    public boolean ok() {
        return status == null;
    }

    /** The method (12 bits, RFC 8489 §5). */
    public int method() {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    /** The class: 0 request, 1 indication, 2 success response, 3 error response. */
    public int messageClass() {
        return ((type & 0x0010) >> 4) | ((type & 0x0100) >> 7);
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
