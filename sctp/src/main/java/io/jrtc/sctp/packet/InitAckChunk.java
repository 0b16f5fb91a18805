package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * INIT ACK (type 2, RFC 9260 §3.3.3): answers an INIT. It must carry a State Cookie parameter; the association checks that.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 2    |  Chunk Flags  |      Chunk Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Initiate Tag                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Advertised Receiver Window Credit (a_rwnd)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Number of Outbound Streams   |   Number of Inbound Streams   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Initial TSN                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /              Optional/Variable-Length Parameters              /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>An Initiate Tag of zero, or zero outbound or inbound streams, is {@link ParseError#INVALID_VALUE}
 * (RFC 9260 §3.3.3).
 */
public record InitAckChunk(long initiateTag, long advertisedReceiverWindowCredit, int outboundStreams,
        int inboundStreams, long initialTsn, List<Parameter> parameters) implements Chunk {

    public static final int TYPE = ChunkTypes.INIT_ACK;
    static final int FIXED_LENGTH = 20;

    public InitAckChunk {
        InitFields.check(initiateTag, advertisedReceiverWindowCredit, outboundStreams, inboundStreams, initialTsn);
        parameters = List.copyOf(parameters);
    }

    public static InitAckChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "INIT ACK");
        ByteBuffer v = Wire.tlv(buf, "INIT ACK", FIXED_LENGTH);
        long tag = Wire.u32(v);
        long arwnd = Wire.u32(v);
        int os = Wire.u16(v);
        int mis = Wire.u16(v);
        long tsn = Wire.u32(v);
        InitFields.validate("INIT ACK", tag, os, mis);
        return new InitAckChunk(tag, arwnd, os, mis, tsn, Parameter.parseAll(v));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public int length() {
        return FIXED_LENGTH + Parameter.encodedLength(parameters) - Parameter.trailingPadding(parameters);
    }

    @Override
    public void writeTo(ByteBuffer out) {
        InitFields.write(out, TYPE, length(), initiateTag, advertisedReceiverWindowCredit, outboundStreams, inboundStreams,
                initialTsn, parameters);
    }
}

