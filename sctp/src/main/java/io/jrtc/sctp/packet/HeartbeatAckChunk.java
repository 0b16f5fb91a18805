package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * HEARTBEAT ACK (type 5, RFC 9260 §3.3.6): echoes the Heartbeat Information of a HEARTBEAT unchanged.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 5    | Chunk  Flags  |      Heartbeat Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                                * /          Heartbeat Information TLV (Variable-Length)          /
 * \                                                                * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record HeartbeatAckChunk(HeartbeatInfoParameter info) implements Chunk {

    public static final int TYPE = ChunkTypes.HEARTBEAT_ACK;

    public HeartbeatAckChunk {
        if (info.length() > 0xFFFF - 4) {
            throw new IllegalArgumentException("heartbeat info too long");
        }
    }

    public static HeartbeatAckChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "HEARTBEAT ACK");
        ByteBuffer v = Wire.tlv(buf, "HEARTBEAT ACK", 8);
        HeartbeatInfoParameter info = HeartbeatInfoParameter.parse(v);
        return new HeartbeatAckChunk(info);
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
        return 4 + info.length();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, 0, length());
        info.writeTo(out);
    }
}
