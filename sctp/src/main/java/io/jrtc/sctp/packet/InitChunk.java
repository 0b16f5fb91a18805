package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * INIT (type 1, RFC 9260 §3.3.2): opens an association.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 1    |  Chunk Flags  |      Chunk Length             |
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
 * <p>An Initiate Tag of zero, or zero outbound or inbound streams, is {@link ParseError#INVALID_VALUE}: RFC 9260
 * §3.3.2 has the receiver discard such an INIT.
 */
public record InitChunk(long initiateTag, long advertisedReceiverWindowCredit, int outboundStreams,
        int inboundStreams, long initialTsn, List<Parameter> parameters) implements Chunk {

    public static final int TYPE = ChunkTypes.INIT;
    static final int FIXED_LENGTH = 20;

    public InitChunk {
        InitFields.check(initiateTag, advertisedReceiverWindowCredit, outboundStreams, inboundStreams, initialTsn);
        parameters = List.copyOf(parameters);
    }

    public static InitChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "INIT");
        ByteBuffer v = Wire.tlv(buf, "INIT", FIXED_LENGTH);
        long tag = Wire.u32(v);
        long arwnd = Wire.u32(v);
        int os = Wire.u16(v);
        int mis = Wire.u16(v);
        long tsn = Wire.u32(v);
        InitFields.validate("INIT", tag, os, mis);
        return new InitChunk(tag, arwnd, os, mis, tsn, Parameter.parseAll(v));
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
