package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Operation Error (type 9, RFC 9260 §3.3.10): reports conditions that do not close the association.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 9    | Chunk  Flags  |           Length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                    one or more Error Causes                   /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ErrorChunk(List<ErrorCause> causes) implements Chunk {

    public static final int TYPE = ChunkTypes.ERROR;

    public ErrorChunk {
        causes = List.copyOf(causes);
    }

    public static ErrorChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "ERROR");
        return new ErrorChunk(ErrorCause.parseAll(Wire.tlv(buf, "ERROR", 4)));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public int length() {
        return 4 + ErrorCause.encodedLength(causes) - ErrorCause.trailingPadding(causes);
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, 0, length());
        ErrorCause.writeAll(causes, out);
    }
}
