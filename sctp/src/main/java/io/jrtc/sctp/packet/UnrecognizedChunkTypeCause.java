package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Unrecognized Chunk Type error cause (code 6, RFC 9260 §3.3.10.6): the whole unrecognized chunk (type, flags, length and value) as received.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Cause Code = 6        |          Cause Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                       Unrecognized Chunk                      /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param chunk the value bytes; the array is owned by the record and must not be modified
 */
public record UnrecognizedChunkTypeCause(byte[] chunk) implements ErrorCause {

    public static final int CODE = 6;

    public UnrecognizedChunkTypeCause {
        Wire.checkLength(chunk, 0xFFFF - 4, "Unrecognized Chunk Type");
    }

    public static UnrecognizedChunkTypeCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Unrecognized Chunk Type");
        return new UnrecognizedChunkTypeCause(Wire.bytes(Wire.tlv(buf, "Unrecognized Chunk Type", 4)));
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 4 + chunk.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, length());
        out.put(chunk);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnrecognizedChunkTypeCause other && Arrays.equals(chunk, other.chunk);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(chunk);
    }

    @Override
    public String toString() {
        return "UnrecognizedChunkType[" + Wire.hex(chunk) + "]";
    }
}
