package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Missing Mandatory Parameter (cause code 2, RFC 9260 §3.3.10.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Cause Code = 2        |   Cause Length = 8 + N * 2    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Number of missing params = N                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Missing Param Type #1       |   Missing Param Type #2       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Missing Param Type #N-1     |   Missing Param Type #N       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record MissingMandatoryParameterCause(List<Integer> missingTypes) implements ErrorCause {

    public static final int CODE = 2;

    public MissingMandatoryParameterCause {
        missingTypes = List.copyOf(missingTypes);
        missingTypes.forEach(t -> Wire.checkU16(t, "parameter type"));
    }

    public static MissingMandatoryParameterCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Missing Mandatory Parameter");
        ByteBuffer v = Wire.tlv(buf, "Missing Mandatory Parameter", 8);
        long n = Wire.u32(v);
        if (n * 2 != v.remaining()) {
            throw new ParseException(ParseError.INVALID_LENGTH,
                    "Missing Mandatory Parameter announces " + n + " types but holds " + v.remaining() + " bytes");
        }
        List<Integer> types = new ArrayList<>((int) n);
        while (v.hasRemaining()) {
            types.add(Wire.u16(v));
        }
        return new MissingMandatoryParameterCause(types);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 8 + 2 * missingTypes.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, length());
        out.putInt(missingTypes.size());
        for (int t : missingTypes) {
            out.putShort((short) t);
        }
        Wire.pad(out, length());
    }
}
