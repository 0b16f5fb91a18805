package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Add Incoming Streams Request (type 18, RFC 6525 §4.6). Parsed and answered "Denied" by this implementation,
 * which announces 65535 streams up front instead.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 18       |      Parameter Length = 12    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Re-configuration Request Sequence Number             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Number of new streams    |         Reserved              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record AddIncomingStreamsRequestParameter(long requestSequenceNumber, int newStreams) implements Parameter {

    public static final int TYPE = 18;

    public AddIncomingStreamsRequestParameter {
        Wire.checkU32(requestSequenceNumber, "request sequence number");
        Wire.checkU16(newStreams, "number of new streams");
    }

    public static AddIncomingStreamsRequestParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Add Incoming Streams Request");
        ByteBuffer v = Wire.tlv(buf, "Add Incoming Streams Request", 12);
        Wire.exactLength(v, 8, "Add Incoming Streams Request");
        long req = Wire.u32(v);
        return new AddIncomingStreamsRequestParameter(req, Wire.u16(v));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 12;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, 12);
        out.putInt((int) requestSequenceNumber);
        out.putShort((short) newStreams);
        out.putShort((short) 0);
    }
}
