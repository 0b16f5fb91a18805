package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/** Shared TLV plumbing for chunks, parameters and error causes (RFC 9260 §3.2, §3.2.1, §3.3.10). */
final class Wire {

    private Wire() {
    }

    /** Bytes of zero padding after an element of {@code length} bytes. */
    static int padding(int length) {
        return (4 - (length & 3)) & 3;
    }

    /** {@code length} rounded up to a multiple of four. */
    static int padded(int length) {
        return (length + 3) & ~3;
    }

    static int u8(ByteBuffer b) {
        return b.get() & 0xFF;
    }

    static int u16(ByteBuffer b) {
        return b.getShort() & 0xFFFF;
    }

    static long u32(ByteBuffer b) {
        return b.getInt() & 0xFFFF_FFFFL;
    }

    static void pad(ByteBuffer out, int length) {
        for (int i = padding(length); i > 0; i--) {
            out.put((byte) 0);
        }
    }

    /**
     * Reads a type-length-value header with a 16-bit type and a 16-bit length counting the 4-byte header
     * (chunks put an 8-bit type and 8-bit flags where parameters put a 16-bit type; the caller decodes those
     * from the returned start position). Returns a slice over the value and advances {@code buf} past the element
     * and its padding. Padding bytes are ignored, as RFC 9260 §3.2 requires; padding cut short by the end of the
     * buffer is accepted only when nothing at all follows (a final element).
     */
    static ByteBuffer tlv(ByteBuffer buf, String element, int minLength) throws ParseException {
        ParseException.requireLength(element + " header", buf.remaining(), 4);
        int start = buf.position();
        int length = buf.getShort(start + 2) & 0xFFFF;
        if (length < minLength) {
            throw new ParseException(ParseError.INVALID_LENGTH, element + " length " + length + " below minimum " + minLength);
        }
        if (length > buf.remaining()) {
            throw new ParseException(ParseError.INVALID_LENGTH,
                    element + " length " + length + " exceeds the " + buf.remaining() + " bytes present");
        }
        ByteBuffer value = buf.slice(start + 4, length - 4);
        int after = buf.remaining() - length;
        int pad = padding(length);
        if (after > 0 && after < pad) {
            throw new ParseException(ParseError.INVALID_PADDING,
                    element + " needs " + pad + " padding bytes, " + after + " present");
        }
        buf.position(start + length + Math.min(pad, after));
        return value;
    }

    /** Checks that the 8-bit chunk type at {@code buf}'s position is {@code expected}. */
    static void expectChunkType(ByteBuffer buf, int expected, String element) throws ParseException {
        ParseException.requireLength(element + " header", buf.remaining(), 4);
        int type = buf.get(buf.position()) & 0xFF;
        if (type != expected) {
            throw new ParseException(ParseError.INVALID_TYPE, element + " expected chunk type " + expected + ", got " + type);
        }
    }

    /** Checks that the 16-bit parameter or cause type at {@code buf}'s position is {@code expected}. */
    static void expectParamType(ByteBuffer buf, int expected, String element) throws ParseException {
        ParseException.requireLength(element + " header", buf.remaining(), 4);
        int type = buf.getShort(buf.position()) & 0xFFFF;
        if (type != expected) {
            throw new ParseException(ParseError.INVALID_TYPE, element + " expected type " + expected + ", got " + type);
        }
    }

    static void exactLength(ByteBuffer value, int expected, String element) throws ParseException {
        if (value.remaining() != expected) {
            throw new ParseException(ParseError.INVALID_LENGTH,
                    element + " value must be " + expected + " bytes, was " + value.remaining());
        }
    }

    /** Copies the remaining bytes of {@code b}. */
    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Writes a chunk header: type, flags and the unpadded length. */
    static void chunkHeader(ByteBuffer out, int type, int flags, int length) {
        out.put((byte) type);
        out.put((byte) flags);
        out.putShort((short) length);
    }

    /** Writes a parameter or error-cause header: 16-bit type and unpadded length. */
    static void tlvHeader(ByteBuffer out, int type, int length) {
        out.putShort((short) type);
        out.putShort((short) length);
    }

    static long checkU32(long v, String name) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " must be an unsigned 32-bit value, was " + v);
        }
        return v;
    }

    static int checkU16(int v, String name) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be an unsigned 16-bit value, was " + v);
        }
        return v;
    }

    static int checkU8(int v, String name) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException(name + " must be an unsigned 8-bit value, was " + v);
        }
        return v;
    }

    static byte[] checkLength(byte[] v, int max, String name) {
        if (v == null) {
            throw new NullPointerException(name);
        }
        if (v.length > max) {
            throw new IllegalArgumentException(name + " is " + v.length + " bytes, at most " + max + " fit");
        }
        return v;
    }

    static String hex(byte[] b) {
        return b.length <= 32 ? HexFormat.of().formatHex(b) : HexFormat.of().formatHex(Arrays.copyOf(b, 32)) + "…(" + b.length + " bytes)";
    }
}
