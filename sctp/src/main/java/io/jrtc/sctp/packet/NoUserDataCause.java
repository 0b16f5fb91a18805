package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * No User Data (cause code 9, RFC 9260 §3.3.10.9): a DATA chunk carried no payload.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Cause Code = 9            |       Cause Length = 8        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                  TSN value                                    /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record NoUserDataCause(long tsn) implements ErrorCause {

    public static final int CODE = 9;

    public NoUserDataCause {
        Wire.checkU32(tsn, "TSN");
    }

    public static NoUserDataCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "No User Data");
        ByteBuffer v = Wire.tlv(buf, "No User Data", 4);
        Wire.exactLength(v, 4, "No User Data");
        return new NoUserDataCause(Wire.u32(v));
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
        out.putInt((int) tsn);
    }
}
