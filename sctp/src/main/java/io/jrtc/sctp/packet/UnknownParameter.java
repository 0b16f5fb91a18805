package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A parameter of a type this implementation does not know (RFC 9260 §3.2.1). It keeps its type and value so it
 * round-trips and can be reported whole in an Unrecognized Parameter.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Parameter Type         |       Parameter Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                        Parameter Value                        /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param value owned by the record
 */
public record UnknownParameter(int type, byte[] value) implements Parameter {

    public UnknownParameter {
        Wire.checkU16(type, "parameter type");
        Wire.checkLength(value, 0xFFFF - 4, "parameter value");
    }

    public static UnknownParameter parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("parameter header", buf.remaining(), 4);
        int type = buf.getShort(buf.position()) & 0xFFFF;
        return new UnknownParameter(type, Wire.bytes(Wire.tlv(buf, "parameter " + type, 4)));
    }

    /** What RFC 9260 §3.2.1 says to do with this parameter. */
    public UnrecognizedAction action() {
        return Parameter.unrecognizedAction(type);
    }

    @Override
    public int length() {
        return 4 + value.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, type, length());
        out.put(value);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownParameter other && type == other.type && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownParameter[type=0x" + Integer.toHexString(type) + ", " + Wire.hex(value) + "]";
    }
}
