package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An error cause with a code this implementation does not know (RFC 9260 §3.3.10); kept whole so it round-trips.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Cause Code          |         Cause Length          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                    Cause-Specific Information                 /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param information owned by the record
 */
public record UnknownErrorCause(int code, byte[] information) implements ErrorCause {

    public UnknownErrorCause {
        Wire.checkU16(code, "cause code");
        Wire.checkLength(information, 0xFFFF - 4, "cause information");
    }

    public static UnknownErrorCause parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("error cause header", buf.remaining(), 4);
        int code = buf.getShort(buf.position()) & 0xFFFF;
        return new UnknownErrorCause(code, Wire.bytes(Wire.tlv(buf, "error cause " + code, 4)));
    }

    @Override
    public int length() {
        return 4 + information.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, code, length());
        out.put(information);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownErrorCause other && code == other.code && Arrays.equals(information, other.information);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(information);
    }

    @Override
    public String toString() {
        return "UnknownErrorCause[code=" + code + ", " + Wire.hex(information) + "]";
    }
}
