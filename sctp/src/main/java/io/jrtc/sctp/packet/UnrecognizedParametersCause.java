package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Unrecognized Parameters error cause (code 8, RFC 9260 §3.3.10.8): the unrecognized parameters of an INIT ACK, copied whole, reported in an ERROR bundled with COOKIE ECHO.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Cause Code = 8        |          Cause Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                    Unrecognized Parameters                    /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param parameters the value bytes; the array is owned by the record and must not be modified
 */
public record UnrecognizedParametersCause(byte[] parameters) implements ErrorCause {

    public static final int CODE = 8;

    public UnrecognizedParametersCause {
        Wire.checkLength(parameters, 0xFFFF - 4, "Unrecognized Parameters");
    }

    public static UnrecognizedParametersCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Unrecognized Parameters");
        return new UnrecognizedParametersCause(Wire.bytes(Wire.tlv(buf, "Unrecognized Parameters", 4)));
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 4 + parameters.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, length());
        out.put(parameters);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnrecognizedParametersCause other && Arrays.equals(parameters, other.parameters);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        return "Unrecognizeds[" + Wire.hex(parameters) + "]";
    }
}
