package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * SSN/TSN Reset Request (type 15, RFC 6525 §4.3): asks to reset every stream and the TSNs. This implementation
 * parses it and answers "Denied".
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 15       |      Parameter Length = 8     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Re-configuration Request Sequence Number              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record SsnTsnResetRequestParameter(long requestSequenceNumber) implements Parameter {

    public static final int TYPE = 15;

    public SsnTsnResetRequestParameter {
        Wire.checkU32(requestSequenceNumber, "request sequence number");
    }

    public static SsnTsnResetRequestParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "SSN/TSN Reset Request");
        ByteBuffer v = Wire.tlv(buf, "SSN/TSN Reset Request", 8);
        Wire.exactLength(v, 4, "SSN/TSN Reset Request");
        return new SsnTsnResetRequestParameter(Wire.u32(v));
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
        out.putInt((int) requestSequenceNumber);
    }
}
