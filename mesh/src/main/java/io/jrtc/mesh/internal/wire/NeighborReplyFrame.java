package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * NEIGHBOR_REPLY: the answer to a NEIGHBOR (and to a JOIN's link, implicitly accepted). On a refusal the requester closes the link.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x04  |  accepted (0|1) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record NeighborReplyFrame(boolean accepted) implements Frame {

    static NeighborReplyFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, NEIGHBOR_REPLY, "NEIGHBOR_REPLY", 2);
        int v = in.get() & 0xff;
        if (v > 1) {
            throw new ParseException(ParseError.INVALID_VALUE, "NEIGHBOR_REPLY accepted byte " + v);
        }
        return new NeighborReplyFrame(v == 1);
    }

    @Override
    public int type() {
        return NEIGHBOR_REPLY;
    }

    @Override
    public int encodedLength() {
        return 2;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) NEIGHBOR_REPLY).put((byte) (accepted ? 1 : 0));
    }
}
