package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * SHUTDOWN (type 7, RFC 9260 §3.3.8): starts a graceful close and acknowledges data up to a cumulative TSN.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 7    | Chunk  Flags  |          Length = 8           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Cumulative TSN Ack                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ShutdownChunk(long cumulativeTsnAck) implements Chunk {

    public static final int TYPE = ChunkTypes.SHUTDOWN;

    public ShutdownChunk {
        Wire.checkU32(cumulativeTsnAck, "cumulative TSN ack");
    }

    public static ShutdownChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "SHUTDOWN");
        ByteBuffer v = Wire.tlv(buf, "SHUTDOWN", 8);
        Wire.exactLength(v, 4, "SHUTDOWN");
        return new ShutdownChunk(Wire.u32(v));
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
        return 8;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, 0, 8);
        out.putInt((int) cumulativeTsnAck);
    }
}
