package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * ABORT (type 6, RFC 9260 §3.3.7): closes the association at once. The T bit says the Verification Tag is the
 * sender's own (reflected) rather than the receiver's.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 6    |  Reserved   |T|            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                   zero or more Error Causes                   /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record AbortChunk(boolean tagReflected, List<ErrorCause> causes) implements Chunk {

    public static final int TYPE = ChunkTypes.ABORT;
    public static final int FLAG_T = 0x01;

    public AbortChunk {
        causes = List.copyOf(causes);
    }

    public static AbortChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "ABORT");
        int flags = buf.get(buf.position() + 1);
        ByteBuffer v = Wire.tlv(buf, "ABORT", 4);
        return new AbortChunk((flags & FLAG_T) != 0, ErrorCause.parseAll(v));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int flags() {
        return tagReflected ? FLAG_T : 0;
    }

    @Override
    public int length() {
        return 4 + ErrorCause.encodedLength(causes) - ErrorCause.trailingPadding(causes);
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, flags(), length());
        ErrorCause.writeAll(causes, out);
    }
}
