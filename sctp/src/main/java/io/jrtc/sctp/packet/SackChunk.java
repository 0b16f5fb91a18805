package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Selective Acknowledgement (type 3, RFC 9260 §3.3.4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 3    |Chunk  Flags   |      Chunk Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Cumulative TSN Ack                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Advertised Receiver Window Credit (a_rwnd)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of Gap Ack Blocks = N  |  Number of Duplicate TSNs = M |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Gap Ack Block #1 Start     |     Gap Ack Block #1 End      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                              ...                              /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Gap Ack Block #N Start     |     Gap Ack Block #N End      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Duplicate TSN 1                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                              ...                              /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Duplicate TSN M                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Gap Ack Block offsets are relative to the Cumulative TSN Ack; a block whose start is zero or above its end
 * is {@link ParseError#INVALID_VALUE}.
 */
public record SackChunk(long cumulativeTsnAck, long advertisedReceiverWindowCredit, List<GapAckBlock> gapAckBlocks,
        List<Long> duplicateTsns) implements Chunk {

    public static final int TYPE = ChunkTypes.SACK;
    public static final int FIXED_LENGTH = 16;

    /**
     * One Gap Ack Block: TSNs {@code cumulativeTsnAck + start} to {@code cumulativeTsnAck + end} arrived.
     *
     * @param start offset of the first TSN of the block, at least 1
     * @param end   offset of the last TSN, at least {@code start}
     */
    public record GapAckBlock(int start, int end) {
        public GapAckBlock {
            Wire.checkU16(start, "gap start");
            Wire.checkU16(end, "gap end");
        }
    }

    public SackChunk {
        Wire.checkU32(cumulativeTsnAck, "cumulative TSN ack");
        Wire.checkU32(advertisedReceiverWindowCredit, "a_rwnd");
        gapAckBlocks = List.copyOf(gapAckBlocks);
        duplicateTsns = List.copyOf(duplicateTsns);
        duplicateTsns.forEach(t -> Wire.checkU32(t, "duplicate TSN"));
        if (gapAckBlocks.size() > 0xFFFF || duplicateTsns.size() > 0xFFFF) {
            throw new IllegalArgumentException("too many gap blocks or duplicates");
        }
    }

    public static SackChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "SACK");
        ByteBuffer v = Wire.tlv(buf, "SACK", FIXED_LENGTH);
        long cum = Wire.u32(v);
        long arwnd = Wire.u32(v);
        int gaps = Wire.u16(v);
        int dups = Wire.u16(v);
        if (v.remaining() != 4 * gaps + 4 * dups) {
            throw new ParseException(ParseError.INVALID_LENGTH,
                    "SACK announces " + gaps + " gap blocks and " + dups + " duplicates but holds " + v.remaining() + " bytes");
        }
        List<GapAckBlock> blocks = List.of();
        if (gaps > 0) {
            blocks = new ArrayList<>(gaps);
            for (int i = 0; i < gaps; i++) {
                int start = Wire.u16(v);
                int end = Wire.u16(v);
                if (start == 0 || start > end) {
                    throw new ParseException(ParseError.INVALID_VALUE, "SACK gap block " + i + " is [" + start + ", " + end + "]");
                }
                blocks.add(new GapAckBlock(start, end));
            }
        }
        List<Long> duplicates = List.of();
        if (dups > 0) {
            duplicates = new ArrayList<>(dups);
            for (int i = 0; i < dups; i++) {
                duplicates.add(Wire.u32(v));
            }
        }
        return new SackChunk(cum, arwnd, blocks, duplicates);
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
        return FIXED_LENGTH + 4 * gapAckBlocks.size() + 4 * duplicateTsns.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, 0, length());
        out.putInt((int) cumulativeTsnAck);
        out.putInt((int) advertisedReceiverWindowCredit);
        out.putShort((short) gapAckBlocks.size());
        out.putShort((short) duplicateTsns.size());
        for (GapAckBlock b : gapAckBlocks) {
            out.putShort((short) b.start());
            out.putShort((short) b.end());
        }
        for (long d : duplicateTsns) {
            out.putInt((int) d);
        }
    }
}
