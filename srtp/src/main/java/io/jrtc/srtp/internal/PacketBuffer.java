package io.jrtc.srtp.internal;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A reusable {@link ByteArrayBuffer} over a caller's {@code byte[]} region, so jitsi-srtp transforms packets in place
 * with no copy. The region may grow up to {@code capacityEnd} (exclusive, an absolute index into the array): that is
 * the tail room the caller promised for the authentication tag and SRTCP index.
 *
 * <p>Not thread-safe: one instance per {@code SrtpSession}, re-pointed for every packet.
 */
public final class PacketBuffer implements ByteArrayBuffer {

    private byte[] buffer;
    private int offset;
    private int length;
    private int capacityEnd;

    /** Points this buffer at {@code buf[off, off+len)}, allowed to grow up to index {@code capacityEnd}. */
    public PacketBuffer wrap(byte[] buf, int off, int len, int capacityEnd) {
        this.buffer = buf;
        this.offset = off;
        this.length = len;
        this.capacityEnd = capacityEnd;
        return this;
    }

    /** Drops the reference to the caller's array. */
    public void clear() {
        buffer = null;
        offset = 0;
        length = 0;
        capacityEnd = 0;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > capacityEnd) {
            throw new TailRoomException("length " + len + " exceeds the region's capacity " + (capacityEnd - offset));
        }
        this.length = len;
    }

    @Override
    public void setOffset(int off) {
        int end = offset + length;
        if (off < 0 || off > end) {
            throw new IllegalArgumentException("offset " + off + " outside the region");
        }
        this.length = end - off;
        this.offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(buffer, offset + off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (offset + length + howMuch > capacityEnd) {
            throw new TailRoomException("needs " + howMuch + " bytes of tail room, " + (capacityEnd - offset - length)
                    + " available");
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len <= 0) {
            return;
        }
        length = Math.max(0, length - len);
    }

    /** Thrown when jitsi-srtp asks for more tail room than the caller provided. */
    public static final class TailRoomException extends IllegalArgumentException {
        public TailRoomException(String message) {
            super(message);
        }
    }
}
