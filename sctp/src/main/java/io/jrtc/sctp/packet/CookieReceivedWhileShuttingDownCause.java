package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Cookie Received While Shutting Down (cause code 10, RFC 9260 §3.3.10.10): a COOKIE ECHO arrived in SHUTDOWN-ACK-SENT. It has no value.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Cause Code = 10           |       Cause Length = 4        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record CookieReceivedWhileShuttingDownCause() implements ErrorCause {

    public static final int CODE = 10;

    public static CookieReceivedWhileShuttingDownCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Cookie Received While Shutting Down");
        Wire.exactLength(Wire.tlv(buf, "Cookie Received While Shutting Down", 4), 0, "Cookie Received While Shutting Down");
        return new CookieReceivedWhileShuttingDownCause();
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
