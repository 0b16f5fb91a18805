package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Stale Cookie Error (cause code 3, RFC 9260 §3.3.10.3): a COOKIE ECHO arrived after the cookie expired; the
 * value says by how many microseconds.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Cause Code = 3            |       Cause Length = 8        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Measure of Staleness (usec.)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record StaleCookieCause(long stalenessMicros) implements ErrorCause {

    public static final int CODE = 3;

    public StaleCookieCause {
        Wire.checkU32(stalenessMicros, "staleness");
    }

    public static StaleCookieCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Stale Cookie");
        ByteBuffer v = Wire.tlv(buf, "Stale Cookie", 4);
        Wire.exactLength(v, 4, "Stale Cookie");
        return new StaleCookieCause(Wire.u32(v));
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
        out.putInt((int) stalenessMicros);
    }
}
