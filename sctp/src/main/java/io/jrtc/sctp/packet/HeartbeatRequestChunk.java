package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * HEARTBEAT (type 4, RFC 9260 §3.3.5): probes the peer and measures the round-trip time. The peer echoes the Heartbeat Information in a HEARTBEAT ACK.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 4    | Chunk  Flags  |      Heartbeat Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                                * /          Heartbeat Information TLV (Variable-Length)          /
 * \                                                                * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record HeartbeatRequestChunk(HeartbeatInfoParameter info) implements Chunk {

    public static final int TYPE = ChunkTypes.HEARTBEAT;

    public HeartbeatRequestChunk {
        if (info.length() > 0xFFFF - 4) {
            throw new IllegalArgumentException("heartbeat info too long");
        }
    }

    public static HeartbeatRequestChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "HEARTBEAT");
        ByteBuffer v = Wire.tlv(buf, "HEARTBEAT", 8);
        HeartbeatInfoParameter info = HeartbeatInfoParameter.parse(v);
        return new HeartbeatRequestChunk(info);
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
