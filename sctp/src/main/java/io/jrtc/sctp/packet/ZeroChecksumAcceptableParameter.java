package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Zero Checksum Acceptable (type 0x8001, RFC 9653 §4): the sender accepts packets whose checksum is zero because
 * the alternate error detection method named by the EDMID protects them. EDMID 1 is "SCTP over DTLS" (RFC 9653
 * §10), the one WebRTC uses.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Type = 0x8001        |          Length = 8           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Error Detection Method Identifier (EDMID)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ZeroChecksumAcceptableParameter(long errorDetectionMethod) implements Parameter {

    public static final int TYPE = 0x8001;

    /** EDMID for SCTP carried over DTLS (RFC 9653 §10, RFC 8261). */
    public static final long EDMID_SCTP_OVER_DTLS = 1;

    public ZeroChecksumAcceptableParameter {
        Wire.checkU32(errorDetectionMethod, "EDMID");
    }

    public static ZeroChecksumAcceptableParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Zero Checksum Acceptable");
        ByteBuffer v = Wire.tlv(buf, "Zero Checksum Acceptable", 4);
        Wire.exactLength(v, 4, "Zero Checksum Acceptable");
        return new ZeroChecksumAcceptableParameter(Wire.u32(v));
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
        out.putInt((int) errorDetectionMethod);
    }
}
