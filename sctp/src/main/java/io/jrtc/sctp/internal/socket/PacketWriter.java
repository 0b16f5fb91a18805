package io.jrtc.sctp.internal.socket;

import io.jrtc.common.Gather;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SctpPacket;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Lays out one outgoing packet as a {@link Gather} (see {@link DataPath#buildPacket}): the common header, control
 * chunks, every DATA chunk's 16-byte header and its padding go into a scratch array; each DATA chunk's user data is
 * recorded as a range of the array the message was stored in, never copied. {@link #finish} copies the header bytes
 * actually used into an array of exactly that size and returns the gather over it and the user-data ranges.
 *
 * <p>{@link #headers()} is the buffer the chunks are written to. Its limit is the room left in the packet: it starts
 * at the MTU and every user-data range lowers it by its length, so {@code remaining()} is the MTU budget over the
 * logical packet (headers, user data and padding), exactly as when the user data was copied in.
 *
 * <p>One writer per thread ({@link #start}), reused by every association that builds packets on that thread, so an
 * idle association holds no MTU-sized buffer. Not reentrant: one packet at a time per thread, which holds because
 * building a packet never calls out of the association.
 */
final class PacketWriter {

    private static final ThreadLocal<PacketWriter> WRITERS = ThreadLocal.withInitial(PacketWriter::new);

    private byte[] scratch = new byte[0];
    private ByteBuffer headers = ByteBuffer.wrap(scratch);
    /** Bytes of {@link #scratch} from 0 that may be non-zero (written by an earlier packet). */
    private int dirty;

    // The user-data ranges in packet order; insertAt[i] is where range i sits between the header bytes.
    private byte[][] arrays = new byte[4][];
    private int[] offsets = new int[4];
    private int[] lengths = new int[4];
    private int[] insertAt = new int[4];
    private int ranges;

    private PacketWriter() {
    }

    /** This thread's writer, emptied, for a packet of at most {@code mtu} bytes; headers() is past the common header. */
    static PacketWriter start(int mtu) {
        PacketWriter w = WRITERS.get();
        w.reset(mtu);
        return w;
    }

    private void reset(int mtu) {
        if (scratch.length < mtu) {
            scratch = new byte[mtu];
            headers = ByteBuffer.wrap(scratch);
        } else {
            // Chunk encoders may skip bytes that a fresh array would hold as zero (reserved fields, the checksum).
            Arrays.fill(scratch, 0, dirty, (byte) 0);
        }
        Arrays.fill(arrays, 0, ranges, null);
        ranges = 0;
        dirty = scratch.length; // until finish or discard says how much this packet wrote
        headers.clear().limit(mtu).position(SctpPacket.HEADER_LENGTH);
    }

    /** Where the chunks are written; its remaining() is the room left in the packet (see the class comment). */
    ByteBuffer headers() {
        return headers;
    }

    /**
     * Appends a DATA chunk: its header and padding into the scratch, its user data {@code data[offset, offset +
     * length)} as a range (kept, not copied).
     *
     * @throws BufferOverflowException if the chunk does not fit in the room left, as writing it whole would
     */
    void data(int flags, long tsn, int streamId, int ssn, int ppid, byte[] data, int offset, int length) {
        if (DataChunk.encodedLength(length) > headers.remaining()) {
            throw new BufferOverflowException();
        }
        DataChunk.writeHeader(headers, flags, tsn, streamId, ssn, ppid, length);
        if (ranges == arrays.length) {
            int n = ranges * 2;
            arrays = Arrays.copyOf(arrays, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            insertAt = Arrays.copyOf(insertAt, n);
        }
        arrays[ranges] = data;
        offsets[ranges] = offset;
        lengths[ranges] = length;
        insertAt[ranges] = headers.position();
        ranges++;
        headers.limit(headers.limit() - length);
        DataChunk.writePadding(headers, length);
    }

    /** Bytes written so far counting only the scratch (headers, control chunks, padding). */
    int headerLength() {
        return headers.position();
    }

    /** Gives up the packet (nothing was written past the common header's room). */
    void discard() {
        dirty = headers.position();
        Arrays.fill(arrays, 0, ranges, null);
        ranges = 0;
    }

    /**
     * Ends the packet: writes the common header ({@code tag}, the ports) and, with {@code crc} not null, the CRC32c of
     * the whole packet (over the header bytes and user-data ranges in order, checksum field zero); returns the
     * gather over an exact-size copy of the header bytes and the user-data ranges.
     */
    Gather finish(int localPort, int remotePort, long tag, CRC32C crc) {
        int len = headers.position();
        headers.putShort(0, (short) localPort);
        headers.putShort(2, (short) remotePort);
        headers.putInt(4, (int) tag);
        byte[] header = Arrays.copyOf(scratch, len);
        Gather g = new Gather(2 * ranges + 1);
        int prev = 0;
        for (int i = 0; i < ranges; i++) {
            g.add(header, prev, insertAt[i] - prev);
            g.add(arrays[i], offsets[i], lengths[i]);
            arrays[i] = null; // the thread's writer must not keep messages alive
            prev = insertAt[i];
        }
        g.add(header, prev, len - prev);
        if (crc != null) { // over the packet as it goes out, checksum field still zero
            crc.reset();
            for (int i = 0; i < g.pieces(); i++) {
                crc.update(g.array(i), g.offset(i), g.length(i));
            }
            SctpPacket.putChecksum(ByteBuffer.wrap(header), 0, crc.getValue());
        }
        ranges = 0;
        dirty = len;
        return g;
    }
}
