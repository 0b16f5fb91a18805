package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An SCTP packet: the common header (RFC 9260 §3.1) followed by one or more chunks.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Source Port Number        |     Destination Port Number   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Verification Tag                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Checksum                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The checksum is CRC32c (RFC 9260 Appendix A) over the whole packet with the checksum field zeroed; the
 * 32-bit CRC is stored least significant byte first, as every deployed stack does. With RFC 9653 the field may be
 * zero instead. {@link #parse(ByteBuffer)} does not check it: the association decides, using
 * {@link #checksumMatches(ByteBuffer, CRC32C)}, because whether zero is acceptable depends on negotiation.
 */
public record SctpPacket(int sourcePort, int destinationPort, long verificationTag, List<Chunk> chunks) {

    /** Bytes in the common header. */
    public static final int HEADER_LENGTH = 12;
    /** Offset of the checksum field. */
    public static final int CHECKSUM_OFFSET = 8;

    private static final byte[] ZEROS = new byte[4];

    public SctpPacket {
        Wire.checkU16(sourcePort, "source port");
        Wire.checkU16(destinationPort, "destination port");
        Wire.checkU32(verificationTag, "verification tag");
        chunks = List.copyOf(chunks);
    }

    /** Parses a whole packet from {@code buf}'s position to its limit, advancing the position to the limit. */
    public static SctpPacket parse(ByteBuffer buf) throws ParseException {
        return parse(buf, false);
    }

    /**
     * Parses a whole packet, advancing the position to the limit. With {@code share}, the caller hands {@code buf}
     * over (it must never write those bytes again): every DATA chunk keeps a view of {@code buf}'s array as its user
     * data instead of a copy, so a message that arrives in one chunk reaches the application with no copy here and a
     * fragmented one is copied once, when it is reassembled. A message kept by the application then keeps its whole
     * packet alive (at most one MTU, shared by the messages bundled in it).
     */
    public static SctpPacket parse(ByteBuffer buf, boolean share) throws ParseException {
        ParseException.requireLength("SCTP common header", buf.remaining(), HEADER_LENGTH);
        int src = Wire.u16(buf);
        int dst = Wire.u16(buf);
        long tag = Wire.u32(buf);
        buf.getInt();
        if (!buf.hasRemaining()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "SCTP packet has no chunks");
        }
        Chunk first = nextChunk(buf, share);
        if (!buf.hasRemaining()) {
            return new SctpPacket(src, dst, tag, List.of(first)); // the usual case: List.copyOf keeps it as it is
        }
        List<Chunk> chunks = new ArrayList<>(4);
        chunks.add(first);
        while (buf.hasRemaining()) {
            chunks.add(nextChunk(buf, share));
        }
        return new SctpPacket(src, dst, tag, chunks);
    }

    private static Chunk nextChunk(ByteBuffer buf, boolean share) throws ParseException {
        boolean data = buf.remaining() >= 4 && (buf.get(buf.position()) & 0xFF) == ChunkTypes.DATA;
        return share && data ? DataChunk.parse(buf, true) : Chunk.parse(buf);
    }

    /** Bytes written by {@link #writeTo(ByteBuffer)}. */
    public int encodedLength() {
        int n = HEADER_LENGTH;
        for (Chunk c : chunks) {
            n += c.encodedLength();
        }
        return n;
    }

    /** Writes the packet with a CRC32c checksum. */
    public void writeTo(ByteBuffer out) {
        writeTo(out, false);
    }

    /** Writes the packet; with {@code zeroChecksum} the checksum field is left zero (RFC 9653). */
    public void writeTo(ByteBuffer out, boolean zeroChecksum) {
        int start = out.position();
        out.putShort((short) sourcePort);
        out.putShort((short) destinationPort);
        out.putInt((int) verificationTag);
        out.putInt(0);
        for (Chunk c : chunks) {
            c.writeTo(out);
        }
        if (!zeroChecksum) {
            CRC32C crc = new CRC32C();
            crc.update(out.duplicate().position(start).limit(out.position()));
            putChecksum(out, start, crc.getValue());
        }
    }

    /** Encodes to a fresh buffer (position 0, limit at the end). */
    public ByteBuffer encode(boolean zeroChecksum) {
        ByteBuffer b = ByteBuffer.allocate(encodedLength());
        writeTo(b, zeroChecksum);
        return b.flip();
    }

    /** Stores a CRC32c value into the checksum field of the packet starting at {@code start}. */
    public static void putChecksum(ByteBuffer packet, int start, long crc) {
        packet.putInt(start + CHECKSUM_OFFSET, Integer.reverseBytes((int) crc));
    }

    /** The checksum field of the packet between {@code packet}'s position and limit, as CRC32c would compute it. */
    public static long checksumField(ByteBuffer packet) {
        return Integer.reverseBytes(packet.getInt(packet.position() + CHECKSUM_OFFSET)) & 0xFFFF_FFFFL;
    }

    /**
     * CRC32c over the packet between {@code packet}'s position and limit with the checksum field taken as zero.
     * Does not move {@code packet}'s position; {@code crc} is reset and reused.
     */
    public static long computeChecksum(ByteBuffer packet, CRC32C crc) {
        int p = packet.position();
        crc.reset();
        crc.update(packet.duplicate().limit(p + CHECKSUM_OFFSET));
        crc.update(ZEROS, 0, 4);
        crc.update(packet.duplicate().position(p + HEADER_LENGTH));
        return crc.getValue();
    }

    /** Whether the packet (at least {@link #HEADER_LENGTH} bytes) carries a correct CRC32c. */
    public static boolean checksumMatches(ByteBuffer packet, CRC32C crc) {
        return packet.remaining() >= HEADER_LENGTH && computeChecksum(packet, crc) == checksumField(packet);
    }
}
