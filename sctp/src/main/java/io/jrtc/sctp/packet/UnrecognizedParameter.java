package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Unrecognized Parameter (type 8), carried in INIT ACK (RFC 9260 §3.3.3.1): wraps a whole parameter TLV of the INIT that the sender did not understand and whose type asked to be reported.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Type = 8           |             Length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                   Unrecognized Parameter TLV                  /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param parameter the value bytes; the array is owned by the record and must not be modified
 */
public record UnrecognizedParameter(byte[] parameter) implements Parameter {

    public static final int TYPE = 8;

    public UnrecognizedParameter {
        Wire.checkLength(parameter, 0xFFFF - 4, "Unrecognized Parameter");
    }

    public static UnrecognizedParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Unrecognized Parameter");
        return new UnrecognizedParameter(Wire.bytes(Wire.tlv(buf, "Unrecognized Parameter", 4)));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 4 + parameter.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        out.put(parameter);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnrecognizedParameter other && Arrays.equals(parameter, other.parameter);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parameter);
    }

    @Override
    public String toString() {
        return "Unrecognized[" + Wire.hex(parameter) + "]";
    }
}
