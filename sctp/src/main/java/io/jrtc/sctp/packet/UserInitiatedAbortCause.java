package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * User-Initiated Abort error cause (code 12, RFC 9260 §3.3.10.12): upper-layer abort reason, opaque to SCTP.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Cause Code = 12        |          Cause Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                    Upper Layer Abort Reason                   /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param reason the value bytes; the array is owned by the record and must not be modified
 */
public record UserInitiatedAbortCause(byte[] reason) implements ErrorCause {

    public static final int CODE = 12;

    public UserInitiatedAbortCause {
        Wire.checkLength(reason, 0xFFFF - 4, "User-Initiated Abort");
    }

    public static UserInitiatedAbortCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "User-Initiated Abort");
        return new UserInitiatedAbortCause(Wire.bytes(Wire.tlv(buf, "User-Initiated Abort", 4)));
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 4 + reason.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, length());
        out.put(reason);
        Wire.pad(out, length());
    }

    /** The reason decoded as UTF-8 (invalid sequences replaced). */
    public String reasonText() {
        return new String(reason, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A cause carrying {@code text} encoded as UTF-8. */
    public static UserInitiatedAbortCause of(String text) {
        return new UserInitiatedAbortCause(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserInitiatedAbortCause other && Arrays.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(reason);
    }

    @Override
    public String toString() {
        return "UserInitiatedAbort[" + reasonText() + "]";
    }
}
