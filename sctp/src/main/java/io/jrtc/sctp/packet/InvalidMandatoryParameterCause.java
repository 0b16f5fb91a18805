package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Invalid Mandatory Parameter (cause code 7, RFC 9260 §3.3.10.7): a mandatory parameter of INIT or INIT ACK held an invalid value. It has no value.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Cause Code = 7            |       Cause Length = 4        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record InvalidMandatoryParameterCause() implements ErrorCause {

    public static final int CODE = 7;

    public static InvalidMandatoryParameterCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Invalid Mandatory Parameter");
        Wire.exactLength(Wire.tlv(buf, "Invalid Mandatory Parameter", 4), 0, "Invalid Mandatory Parameter");
        return new InvalidMandatoryParameterCause();
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
