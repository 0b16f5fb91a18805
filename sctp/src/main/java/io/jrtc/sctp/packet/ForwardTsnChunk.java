package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * FORWARD TSN (type 192, RFC 3758 §3.2): moves the receiver's cumulative TSN past abandoned messages, and for
 * ordered streams names the last skipped stream sequence number.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 192  |  Flags = 0x00 |        Length = Variable      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      New Cumulative TSN                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Stream-1              |       Stream Sequence-1       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               /
 * /                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Stream-N              |       Stream Sequence-N       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ForwardTsnChunk(long newCumulativeTsn, List<SkippedStream> skippedStreams) implements Chunk {

    public static final int TYPE = ChunkTypes.FORWARD_TSN;

    /** An ordered stream and the largest stream sequence number skipped on it. */
    public record SkippedStream(int streamId, int ssn) {
        public SkippedStream {
            Wire.checkU16(streamId, "stream id");
            Wire.checkU16(ssn, "stream sequence number");
        }
    }

    public ForwardTsnChunk {
        Wire.checkU32(newCumulativeTsn, "new cumulative TSN");
        skippedStreams = List.copyOf(skippedStreams);
        if (skippedStreams.size() > (0xFFFF - 8) / 4) {
            throw new IllegalArgumentException("too many skipped streams: " + skippedStreams.size());
        }
    }

    public static ForwardTsnChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "FORWARD TSN");
        ByteBuffer v = Wire.tlv(buf, "FORWARD TSN", 8);
        long cum = Wire.u32(v);
        if ((v.remaining() & 3) != 0) {
            throw new ParseException(ParseError.INVALID_LENGTH, "FORWARD TSN stream list length " + v.remaining() + " is not a multiple of 4");
        }
        List<SkippedStream> skipped = List.of();
        if (v.hasRemaining()) {
            skipped = new ArrayList<>(v.remaining() / 4);
            while (v.hasRemaining()) {
                skipped.add(new SkippedStream(Wire.u16(v), Wire.u16(v)));
            }
        }
        return new ForwardTsnChunk(cum, skipped);
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
        return 8 + 4 * skippedStreams.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, 0, length());
        out.putInt((int) newCumulativeTsn);
        for (SkippedStream s : skippedStreams) {
            out.putShort((short) s.streamId());
            out.putShort((short) s.ssn());
        }
    }
}
