package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One chunk of a bulk transfer: the payload of a BULK envelope (kind 7, unicast, mesh protocol version 4). The
 * transfer is identified by its origin (the envelope's) and {@code transfer}; chunks are numbered from 0 and the last
 * one carries flag L. The receiver appends them in index order and delivers the whole when L arrives.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Transfer id (64 bits)                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Index (32 bits, 0..2^31-1)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Flags (L)   |        Data (the rest of the payload)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Flags: 0x01 L (last chunk); the other bits must be 0.
 */
public record BulkChunk(long transfer, int index, boolean last, byte[] data) {

    public static final int HEADER = 13;
    public static final int FLAG_LAST = 0x01;
    /** Data bytes per chunk the sender cuts (the envelope allows up to 65,535 − 13). */
    public static final int CHUNK_BYTES = 32 * 1024;

    public BulkChunk {
        if (index < 0 || data.length > Envelope.MAX_PAYLOAD - HEADER) {
            throw new IllegalArgumentException("chunk index " + index + ", " + data.length + " bytes");
        }
    }

    public static BulkChunk parse(byte[] payload) throws ParseException {
        if (payload.length < HEADER) {
            throw new ParseException(ParseError.INVALID_LENGTH, "BULK chunk of " + payload.length + " bytes, at least 13");
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        long transfer = in.getLong();
        int index = in.getInt();
        int flags = in.get() & 0xff;
        if (index < 0 || (flags & ~FLAG_LAST) != 0) {
            throw new ParseException(ParseError.INVALID_VALUE, "BULK chunk index " + index + ", flags " + flags);
        }
        return new BulkChunk(transfer, index, flags == FLAG_LAST, Arrays.copyOfRange(payload, HEADER, payload.length));
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER + data.length).putLong(transfer).putInt(index)
                .put((byte) (last ? FLAG_LAST : 0)).put(data).array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkChunk c && transfer == c.transfer && index == c.index && last == c.last
                && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(transfer) * 31 + index;
    }

    @Override
    public String toString() {
        return "BulkChunk[" + transfer + "#" + index + (last ? " last" : "") + ", " + data.length + " B]";
    }
}
