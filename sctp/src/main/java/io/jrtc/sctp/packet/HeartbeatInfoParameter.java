package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Heartbeat Information (type 1), carried by HEARTBEAT and echoed by HEARTBEAT ACK (RFC 9260 §3.3.5). The
 * content is opaque to the receiver.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Heartbeat Info Type = 1    |         HB Info Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                  Sender-Specific Heartbeat Info               /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param info the sender-specific bytes; the array is owned by the record and must not be modified
 */
public record HeartbeatInfoParameter(byte[] info) implements Parameter {

    public static final int TYPE = 1;

    public HeartbeatInfoParameter {
        Wire.checkLength(info, 0xFFFF - 4, "heartbeat info");
    }

    public static HeartbeatInfoParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Heartbeat Info");
        return new HeartbeatInfoParameter(Wire.bytes(Wire.tlv(buf, "Heartbeat Info", 4)));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 4 + info.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        out.put(info);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeartbeatInfoParameter other && Arrays.equals(info, other.info);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(info);
    }

    @Override
    public String toString() {
        return "HeartbeatInfo[" + Wire.hex(info) + "]";
    }
}
