package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A chunk of a type this implementation does not know (RFC 9260 §3.2). Kept whole so that it round-trips and
 * can be reported in an Unrecognized Chunk Type error cause.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Chunk Type  | Chunk  Flags  |        Chunk Length           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                          Chunk Value                          /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param value owned by the record
 */
public record UnknownChunk(int type, int flags, byte[] value) implements Chunk {

    public UnknownChunk {
        Wire.checkU8(type, "chunk type");
        Wire.checkU8(flags, "chunk flags");
        Wire.checkLength(value, 0xFFFF - 4, "chunk value");
    }

    public static UnknownChunk parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("chunk header", buf.remaining(), 4);
        int type = buf.get(buf.position()) & 0xFF;
        int flags = buf.get(buf.position() + 1) & 0xFF;
        return new UnknownChunk(type, flags, Wire.bytes(Wire.tlv(buf, ChunkTypes.name(type), 4)));
    }

    /** What RFC 9260 §3.2 says to do with this chunk. */
    public UnrecognizedAction action() {
        return Chunk.unrecognizedAction(type);
    }

    /** The chunk exactly as on the wire, without padding, for an Unrecognized Chunk Type cause. */
    public byte[] rawBytes() {
        ByteBuffer b = ByteBuffer.allocate(encodedLength());
        writeTo(b);
        return Arrays.copyOf(b.array(), length());
    }

    @Override
    public int length() {
        return 4 + value.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, type, flags, length());
        out.put(value);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownChunk u && type == u.type && flags == u.flags && Arrays.equals(value, u.value);
    }

    @Override
    public int hashCode() {
        return (type * 31 + flags) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownChunk[type=" + type + ", flags=" + flags + ", " + Wire.hex(value) + "]";
    }
}
