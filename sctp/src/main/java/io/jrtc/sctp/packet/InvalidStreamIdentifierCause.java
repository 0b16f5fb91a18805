package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Invalid Stream Identifier (cause code 1, RFC 9260 §3.3.10.1): DATA arrived for a stream that does not exist.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Cause Code = 1        |       Cause Length = 8        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Stream Identifier      |         (Reserved)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record InvalidStreamIdentifierCause(int streamId) implements ErrorCause {

    public static final int CODE = 1;

    public InvalidStreamIdentifierCause {
        Wire.checkU16(streamId, "stream id");
    }

    public static InvalidStreamIdentifierCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Invalid Stream Identifier");
        ByteBuffer v = Wire.tlv(buf, "Invalid Stream Identifier", 4);
        Wire.exactLength(v, 4, "Invalid Stream Identifier");
        return new InvalidStreamIdentifierCause(Wire.u16(v));
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 8;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, 8);
        out.putShort((short) streamId);
        out.putShort((short) 0);
    }
}
