package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Cookie Preservative (type 9) in INIT (RFC 9260 §3.3.2.1): the sender asks for a longer cookie lifetime after a
 * stale cookie. The association honours it up to its configured bound.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Type = 9             |          Length = 8           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Suggested Cookie Life-Span Increment (msec.)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param lifeSpanIncrementMillis unsigned 32-bit milliseconds
 */
public record CookiePreservativeParameter(long lifeSpanIncrementMillis) implements Parameter {

    public static final int TYPE = 9;

    public CookiePreservativeParameter {
        Wire.checkU32(lifeSpanIncrementMillis, "life-span increment");
    }

    public static CookiePreservativeParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Cookie Preservative");
        ByteBuffer v = Wire.tlv(buf, "Cookie Preservative", 4);
        Wire.exactLength(v, 4, "Cookie Preservative");
        return new CookiePreservativeParameter(Wire.u32(v));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 8;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, 8);
        out.putInt((int) lifeSpanIncrementMillis);
    }
}
