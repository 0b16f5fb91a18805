package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Out of Resource (cause code 4, RFC 9260 §3.3.10.4): the sender is out of resources, usually memory. It has no value.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Cause Code = 4            |       Cause Length = 4        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record OutOfResourceCause() implements ErrorCause {

    public static final int CODE = 4;

    public static OutOfResourceCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Out of Resource");
        Wire.exactLength(Wire.tlv(buf, "Out of Resource", 4), 0, "Out of Resource");
        return new OutOfResourceCause();
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 4;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, 4);
    }
}
