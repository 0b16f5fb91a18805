package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Protocol Violation error cause (code 13, RFC 9260 §3.3.10.13): additional information about the violation.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Cause Code = 13        |          Cause Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                     Additional Information                    /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param information the value bytes; the array is owned by the record and must not be modified
 */
public record ProtocolViolationCause(byte[] information) implements ErrorCause {

    public static final int CODE = 13;

    public ProtocolViolationCause {
        Wire.checkLength(information, 0xFFFF - 4, "Protocol Violation");
    }

    public static ProtocolViolationCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Protocol Violation");
        return new ProtocolViolationCause(Wire.bytes(Wire.tlv(buf, "Protocol Violation", 4)));
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 4 + information.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, length());
        out.put(information);
        Wire.pad(out, length());
    }

    /** The information decoded as UTF-8 (invalid sequences replaced). */
    public String informationText() {
        return new String(information, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A cause carrying {@code text} encoded as UTF-8. */
    public static ProtocolViolationCause of(String text) {
        return new ProtocolViolationCause(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProtocolViolationCause other && Arrays.equals(information, other.information);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(information);
    }

    @Override
    public String toString() {
        return "ProtocolViolation[" + informationText() + "]";
    }
}
