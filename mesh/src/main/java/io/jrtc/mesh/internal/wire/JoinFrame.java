package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * JOIN: sent by a newcomer on its first link to a contact (HyParView JOIN).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+
 * |  Type = 0x01  |
 * +-+-+-+-+-+-+-+-+
 * </pre>
 */
public record JoinFrame() implements Frame {

    public static final JoinFrame INSTANCE = new JoinFrame();

    static JoinFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, JOIN, "JOIN", 1);
        return INSTANCE;
    }

    @Override
    public int type() {
        return JOIN;
    }

    @Override
    public int encodedLength() {
        return 1;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) JOIN);
    }
}
