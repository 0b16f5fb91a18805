package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * PONG: the answer to a {@link PingFrame}, echoing its sequence and timestamp unchanged, sent on the control channel
 * of the link the PING came over.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x0c  |          Echoed sequence (32 bits) ...        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      ...      |      Echoed timestamp (64 bits) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * 13 bytes in all.
 */
public record PongFrame(int sequence, long timestamp) implements Frame {

    public static final int LENGTH = PingFrame.LENGTH;

    static PongFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, PONG, "PONG", LENGTH);
        return new PongFrame(in.getInt(), in.getLong());
    }

    @Override
    public int type() {
        return PONG;
    }

    @Override
    public int encodedLength() {
        return LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) PONG).putInt(sequence).putLong(timestamp);
    }
}
