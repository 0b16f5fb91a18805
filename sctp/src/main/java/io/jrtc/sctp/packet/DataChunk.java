package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * DATA (type 0, RFC 9260 §3.3.1), with the I bit of RFC 7053.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 0    |  Res  |I|U|B|E|            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              TSN                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Stream Identifier S      |   Stream Sequence Number n    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Payload Protocol Identifier                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                 User Data (seq n of Stream S)                 /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>A chunk with no user data (Length 16) parses; RFC 9260 §6.2 makes the receiving association answer it
 * with an ABORT carrying "No User Data".
 *
 * @param tsn             unsigned 32-bit Transmission Sequence Number
 * @param streamId        unsigned 16-bit stream identifier
 * @param ssn             unsigned 16-bit stream sequence number
 * @param ppid            payload protocol identifier, 32 bits as they are on the wire
 * @param array           the array that holds the user data: the chunk's own (what {@link #parse(ByteBuffer)} and the
 *                        {@code byte[]} constructor make), or, from {@link #parse(ByteBuffer, boolean)} with sharing,
 *                        the packet it was parsed from (no copy); never modified
 * @param payloadOffset   where the user data starts in {@code array}
 * @param payloadLength   bytes of user data
 * @param unordered       U bit
 * @param beginning       B bit: first fragment of a message
 * @param ending          E bit: last fragment of a message
 * @param immediate       I bit (RFC 7053): the sender asks for an immediate SACK
 */
public record DataChunk(long tsn, int streamId, int ssn, int ppid, byte[] array, int payloadOffset, int payloadLength,
        boolean unordered, boolean beginning, boolean ending, boolean immediate) implements Chunk {

    public static final int TYPE = ChunkTypes.DATA;
    /** Bytes of header before the user data. */
    public static final int HEADER_LENGTH = 16;

    public static final int FLAG_END = 0x01;
    public static final int FLAG_BEGINNING = 0x02;
    public static final int FLAG_UNORDERED = 0x04;
    public static final int FLAG_IMMEDIATE = 0x08;

    public DataChunk {
        Wire.checkU32(tsn, "TSN");
        Wire.checkU16(streamId, "stream id");
        Wire.checkU16(ssn, "stream sequence number");
        if (array == null) {
            throw new NullPointerException("user data");
        }
        if (payloadLength > 0xFFFF - HEADER_LENGTH) {
            throw new IllegalArgumentException("user data is " + payloadLength + " bytes, at most "
                    + (0xFFFF - HEADER_LENGTH) + " fit");
        }
        java.util.Objects.checkFromIndexSize(payloadOffset, payloadLength, array.length);
    }

    /** A chunk that owns {@code payload} (not copied; the caller must not modify it afterwards). */
    public DataChunk(long tsn, int streamId, int ssn, int ppid, byte[] payload, boolean unordered, boolean beginning,
            boolean ending, boolean immediate) {
        this(tsn, streamId, ssn, ppid, Wire.checkLength(payload, 0xFFFF - HEADER_LENGTH, "user data"), 0, payload.length,
                unordered, beginning, ending, immediate);
    }

    /** Parses a DATA chunk; the user data is copied, so {@code buf} may be reused afterwards. */
    public static DataChunk parse(ByteBuffer buf) throws ParseException {
        return parse(buf, false);
    }

    /**
     * Parses a DATA chunk. With {@code share} (and a buffer backed by a writable array), the user data stays in
     * {@code buf}'s array (no copy): the caller hands {@code buf}'s bytes over and must never write them again while
     * the chunk (or anything made from it) is alive.
     */
    public static DataChunk parse(ByteBuffer buf, boolean share) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "DATA");
        int flags = buf.get(buf.position() + 1);
        ByteBuffer v = Wire.tlv(buf, "DATA", HEADER_LENGTH);
        long tsn = Wire.u32(v);
        int sid = Wire.u16(v);
        int ssn = Wire.u16(v);
        int ppid = v.getInt();
        boolean unordered = (flags & FLAG_UNORDERED) != 0;
        boolean beginning = (flags & FLAG_BEGINNING) != 0;
        boolean ending = (flags & FLAG_END) != 0;
        boolean immediate = (flags & FLAG_IMMEDIATE) != 0;
        if (share && v.hasArray()) {
            return new DataChunk(tsn, sid, ssn, ppid, v.array(), v.arrayOffset() + v.position(), v.remaining(),
                    unordered, beginning, ending, immediate);
        }
        byte[] payload = Wire.bytes(v);
        return new DataChunk(tsn, sid, ssn, ppid, payload, 0, payload.length, unordered, beginning, ending, immediate);
    }

    /** The user data as an array of exactly its length: the chunk's own array if it is exactly that, else a copy. */
    public byte[] payload() {
        if (!sharesPacket()) {
            return array;
        }
        return java.util.Arrays.copyOfRange(array, payloadOffset, payloadOffset + payloadLength);
    }

    /**
     * The user data as a new writable buffer over {@code array} (position 0, limit and capacity its length, array
     * offset {@link #payloadOffset()}): no copy. Whoever receives it owns those bytes; writes through it cannot reach
     * outside them.
     */
    public ByteBuffer userData() {
        return ByteBuffer.wrap(array, payloadOffset, payloadLength).slice();
    }

    /** The user data as a new read-only view (position 0 to limit). */
    public ByteBuffer data() {
        return ByteBuffer.wrap(array, payloadOffset, payloadLength).slice().asReadOnlyBuffer();
    }

    /** Whether the user data is part of a larger array (the packet it was parsed from with sharing). */
    public boolean sharesPacket() {
        return payloadOffset != 0 || payloadLength != array.length;
    }

    /** Copies the user data into {@code out} at {@code at}. */
    public void copyPayloadTo(byte[] out, int at) {
        System.arraycopy(array, payloadOffset, out, at, payloadLength);
    }

    /**
     * Writes a DATA chunk straight from a slice of a larger array, without building a record: the send path
     * uses it for every fragment.
     */
    public static void write(ByteBuffer out, int flags, long tsn, int streamId, int ssn, int ppid, byte[] data, int offset, int length) {
        writeHeader(out, flags, tsn, streamId, ssn, ppid, length);
        out.put(data, offset, length);
        writePadding(out, length);
    }

    /**
     * Writes the 16 bytes before the user data of a DATA chunk that carries {@code length} bytes of it; the user data
     * and then {@link #writePadding} follow (the send path leaves the user data where it is stored and writes only
     * these two into the packet's header array).
     */
    public static void writeHeader(ByteBuffer out, int flags, long tsn, int streamId, int ssn, int ppid, int length) {
        Wire.chunkHeader(out, TYPE, flags, HEADER_LENGTH + length);
        out.putInt((int) tsn);
        out.putShort((short) streamId);
        out.putShort((short) ssn);
        out.putInt(ppid);
    }

    /** Writes the zero bytes that pad a DATA chunk with {@code length} bytes of user data to a multiple of four. */
    public static void writePadding(ByteBuffer out, int length) {
        Wire.pad(out, HEADER_LENGTH + length);
    }

    /** Bytes of padding after a DATA chunk with {@code length} bytes of user data (0 to 3). */
    public static int paddingLength(int length) {
        return Wire.padded(HEADER_LENGTH + length) - (HEADER_LENGTH + length);
    }

    /** Bytes a DATA chunk with {@code payloadLength} bytes of user data takes, padding included. */
    public static int encodedLength(int payloadLength) {
        return Wire.padded(HEADER_LENGTH + payloadLength);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int flags() {
        return (immediate ? FLAG_IMMEDIATE : 0) | (unordered ? FLAG_UNORDERED : 0) | (beginning ? FLAG_BEGINNING : 0)
                | (ending ? FLAG_END : 0);
    }

    @Override
    public int length() {
        return HEADER_LENGTH + payloadLength;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        write(out, flags(), tsn, streamId, ssn, ppid, array, payloadOffset, payloadLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataChunk d && tsn == d.tsn && streamId == d.streamId && ssn == d.ssn && ppid == d.ppid
                && flags() == d.flags() && java.util.Arrays.equals(array, payloadOffset, payloadOffset + payloadLength,
                        d.array, d.payloadOffset, d.payloadOffset + d.payloadLength);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(tsn);
        for (int i = payloadOffset; i < payloadOffset + payloadLength; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "DATA[tsn=" + tsn + ", sid=" + streamId + ", ssn=" + ssn + ", ppid=" + ppid + ", flags="
                + (immediate ? "I" : "") + (unordered ? "U" : "") + (beginning ? "B" : "") + (ending ? "E" : "")
                + ", " + payloadLength + " bytes]";
    }
}
