package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * The common RTCP header (RFC 3550 section 6.4.1), read at a buffer's position without moving it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param count the 5-bit RC/SC/FMT field
 * @param packetType PT
 * @param totalLength bytes of the whole packet, padding included
 * @param paddingLength trailing padding bytes (0 without P)
 */
record RtcpHeader(int count, int packetType, int totalLength, int paddingLength) {

    static final int LENGTH = 4;

    /** Body bytes after the 4-byte header, padding excluded. */
    int bodyLength() {
        return totalLength - LENGTH - paddingLength;
    }

    static RtcpHeader peek(ByteBuffer b, String element) throws ParseException {
        int pos = b.position();
        ParseException.requireLength(element, b.remaining(), LENGTH);
        int b0 = b.get(pos) & 0xFF;
        if ((b0 >>> 6) != 2) {
            throw new ParseException(ParseError.INVALID_VALUE, element + ": RTCP version " + (b0 >>> 6));
        }
        int pt = b.get(pos + 1) & 0xFF;
        int total = 4 * ((b.getShort(pos + 2) & 0xFFFF) + 1);
        ParseException.requireLength(element, b.remaining(), total);
        int pad = 0;
        if ((b0 & 0x20) != 0) {
            pad = b.get(pos + total - 1) & 0xFF;
            if (pad == 0 || pad > total - LENGTH) {
                throw new ParseException(ParseError.INVALID_PADDING, element + ": padding count " + pad
                        + " in a " + total + "-byte packet");
            }
        }
        return new RtcpHeader(b0 & 0x1F, pt, total, pad);
    }

    /** Peeks and checks the packet type. */
    static RtcpHeader expect(ByteBuffer b, String element, int packetType) throws ParseException {
        RtcpHeader h = peek(b, element);
        if (h.packetType != packetType) {
            throw new ParseException(ParseError.INVALID_TYPE, element + ": packet type " + h.packetType
                    + ", expected " + packetType);
        }
        return h;
    }

    /** Peeks and checks packet type and feedback message type (FMT). */
    static RtcpHeader expectFeedback(ByteBuffer b, String element, int packetType, int fmt) throws ParseException {
        RtcpHeader h = expect(b, element, packetType);
        if (h.count != fmt) {
            throw new ParseException(ParseError.INVALID_TYPE, element + ": FMT " + h.count + ", expected " + fmt);
        }
        if (h.bodyLength() < 8) {
            throw new ParseException(ParseError.INVALID_LENGTH, element + ": feedback needs 8 bytes of SSRCs, "
                    + h.bodyLength() + " present");
        }
        return h;
    }

    static void write(ByteBuffer out, int count, int packetType, int totalLength) {
        if ((totalLength & 3) != 0) {
            throw new IllegalStateException("RTCP packet length " + totalLength + " is not a multiple of 4");
        }
        out.put((byte) (0x80 | count));
        out.put((byte) packetType);
        out.putShort((short) (totalLength / 4 - 1));
    }

    static long u32(ByteBuffer b, int index) {
        return b.getInt(index) & 0xFFFF_FFFFL;
    }
}
