package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * State Cookie (type 7), carried in INIT ACK (RFC 9260 §3.3.3.1). Opaque to the peer, which echoes it in COOKIE ECHO.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Type = 7           |             Length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                             Cookie                            /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param cookie the value bytes; the array is owned by the record and must not be modified
 */
public record StateCookieParameter(byte[] cookie) implements Parameter {

    public static final int TYPE = 7;

    public StateCookieParameter {
        Wire.checkLength(cookie, 0xFFFF - 4, "State Cookie");
    }

    public static StateCookieParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "State Cookie");
        return new StateCookieParameter(Wire.bytes(Wire.tlv(buf, "State Cookie", 4)));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 4 + cookie.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        out.put(cookie);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateCookieParameter other && Arrays.equals(cookie, other.cookie);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cookie);
    }

    @Override
    public String toString() {
        return "StateCookie[" + Wire.hex(cookie) + "]";
    }
}
