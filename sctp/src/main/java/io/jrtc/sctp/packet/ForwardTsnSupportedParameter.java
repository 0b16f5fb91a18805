package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Forward-TSN-Supported (type 0xC000, RFC 3758 §3.1): the sender implements partial reliability.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Parameter Type = 49152     |  Parameter Length = 4         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ForwardTsnSupportedParameter() implements Parameter {

    public static final int TYPE = 0xC000;

    public static ForwardTsnSupportedParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Forward-TSN-Supported");
        Wire.exactLength(Wire.tlv(buf, "Forward-TSN-Supported", 4), 0, "Forward-TSN-Supported");
        return new ForwardTsnSupportedParameter();
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 4;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, 4);
    }
}
