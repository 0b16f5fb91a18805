package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * NEIGHBOR: the sender asks to put this link in both active views (HyParView NEIGHBOR). A high-priority request (the sender has no neighbour left) is always accepted, evicting a neighbour if needed; a low one only when there is room.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x03  |  high (0|1) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record NeighborFrame(boolean high) implements Frame {

    static NeighborFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, NEIGHBOR, "NEIGHBOR", 2);
        int v = in.get() & 0xff;
        if (v > 1) {
            throw new ParseException(ParseError.INVALID_VALUE, "NEIGHBOR high byte " + v);
        }
        return new NeighborFrame(v == 1);
    }

    @Override
    public int type() {
        return NEIGHBOR;
    }

    @Override
    public int encodedLength() {
        return 2;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) NEIGHBOR).put((byte) (high ? 1 : 0));
    }
}
