package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Incoming SSN Reset Request (type 14, RFC 6525 §4.2): asks the receiver to reset its outgoing streams (the
 * sender's incoming ones). An empty list means all streams.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 14       |  Parameter Length = 8 + 2 * N |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Re-configuration Request Sequence Number             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                            ......                             /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record IncomingSsnResetRequestParameter(long requestSequenceNumber, List<Integer> streamIds) implements Parameter {

    public static final int TYPE = 14;

    public IncomingSsnResetRequestParameter {
        Wire.checkU32(requestSequenceNumber, "request sequence number");
        streamIds = List.copyOf(streamIds);
        streamIds.forEach(s -> Wire.checkU16(s, "stream id"));
        if (streamIds.size() > (0xFFFF - 8) / 2) {
            throw new IllegalArgumentException("too many stream ids: " + streamIds.size());
        }
    }

    public static IncomingSsnResetRequestParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Incoming SSN Reset Request");
        ByteBuffer v = Wire.tlv(buf, "Incoming SSN Reset Request", 8);
        long req = Wire.u32(v);
        return new IncomingSsnResetRequestParameter(req, StreamLists.read(v, "Incoming SSN Reset Request"));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 8 + 2 * streamIds.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        out.putInt((int) requestSequenceNumber);
        StreamLists.write(out, streamIds);
        Wire.pad(out, length());
    }
}
