package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * DISCONNECT: a graceful goodbye: the sender drops this link and keeps the receiver in its passive view.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+
 * |  Type = 0x05  |
 * +-+-+-+-+-+-+-+-+
 * </pre>
 */
public record DisconnectFrame() implements Frame {

    public static final DisconnectFrame INSTANCE = new DisconnectFrame();

    static DisconnectFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, DISCONNECT, "DISCONNECT", 1);
        return INSTANCE;
    }

    @Override
    public int type() {
        return DISCONNECT;
    }

    @Override
    public int encodedLength() {
        return 1;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) DISCONNECT);
    }
}
