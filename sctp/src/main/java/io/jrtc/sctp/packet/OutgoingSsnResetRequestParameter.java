package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Outgoing SSN Reset Request (type 13, RFC 6525 §4.1): the sender resets its outgoing streams; the receiver
 * resets the matching incoming streams once it has received every TSN up to the sender's last assigned TSN.
 * An empty stream list means all streams.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 13       | Parameter Length = 16 + 2 * N |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Re-configuration Request Sequence Number            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Re-configuration Response Sequence Number           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Sender's Last Assigned TSN                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                            ......                             /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Stream Number N-1 (optional) |    Stream Number N (optional) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record OutgoingSsnResetRequestParameter(long requestSequenceNumber, long responseSequenceNumber,
        long senderLastAssignedTsn, List<Integer> streamIds) implements Parameter {

    public static final int TYPE = 13;

    public OutgoingSsnResetRequestParameter {
        Wire.checkU32(requestSequenceNumber, "request sequence number");
        Wire.checkU32(responseSequenceNumber, "response sequence number");
        Wire.checkU32(senderLastAssignedTsn, "sender's last assigned TSN");
        streamIds = List.copyOf(streamIds);
        streamIds.forEach(s -> Wire.checkU16(s, "stream id"));
        if (streamIds.size() > (0xFFFF - 16) / 2) {
            throw new IllegalArgumentException("too many stream ids: " + streamIds.size());
        }
    }

    public static OutgoingSsnResetRequestParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Outgoing SSN Reset Request");
        ByteBuffer v = Wire.tlv(buf, "Outgoing SSN Reset Request", 16);
        long req = Wire.u32(v);
        long resp = Wire.u32(v);
        long last = Wire.u32(v);
        return new OutgoingSsnResetRequestParameter(req, resp, last, StreamLists.read(v, "Outgoing SSN Reset Request"));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 16 + 2 * streamIds.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        out.putInt((int) requestSequenceNumber);
        out.putInt((int) responseSequenceNumber);
        out.putInt((int) senderLastAssignedTsn);
        StreamLists.write(out, streamIds);
        Wire.pad(out, length());
    }
}
