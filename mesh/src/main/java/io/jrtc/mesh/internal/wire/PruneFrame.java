package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * PRUNE (Plumtree): the sender got a duplicate over this link and moves it to lazy push; the receiver does the same.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+
 * |  Type = 0x0a  |
 * +-+-+-+-+-+-+-+-+
 * </pre>
 */
public record PruneFrame() implements Frame {

    public static final PruneFrame INSTANCE = new PruneFrame();

    static PruneFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, PRUNE, "PRUNE", 1);
        return INSTANCE;
    }

    @Override
    public int type() {
        return PRUNE;
    }

    @Override
    public int encodedLength() {
        return 1;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) PRUNE);
    }
}
