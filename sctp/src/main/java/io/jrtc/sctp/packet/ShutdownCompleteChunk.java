package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * SHUTDOWN COMPLETE (type 14, RFC 9260 §3.3.13): ends a graceful close. The T bit says the Verification Tag is
 * reflected (the sender had no TCB).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 14   |  Reserved   |T|          Length = 4           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ShutdownCompleteChunk(boolean tagReflected) implements Chunk {

    public static final int TYPE = ChunkTypes.SHUTDOWN_COMPLETE;
    public static final int FLAG_T = 0x01;

    public static ShutdownCompleteChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "SHUTDOWN COMPLETE");
        int flags = buf.get(buf.position() + 1);
        Wire.exactLength(Wire.tlv(buf, "SHUTDOWN COMPLETE", 4), 0, "SHUTDOWN COMPLETE");
        return new ShutdownCompleteChunk((flags & FLAG_T) != 0);
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
        return 4;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, flags(), 4);
    }
}
