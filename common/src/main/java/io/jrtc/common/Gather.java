package io.jrtc.common;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One datagram's plaintext as byte ranges of several arrays, in order, that the layer below reads as if they were one
 * (to encrypt or checksum them) without first copying them together. SCTP builds its packets this way: the headers in
 * one small array, each DATA chunk's user data as a range of the array the message was stored in at {@code send}. So
 * a message's bytes are copied once between the application and the socket (at {@code send}); the encryption reads
 * them where they are.
 *
 * <p>Single-threaded. The ranges are read, never written, by whoever consumes the gather; it must consume it before
 * the producer is called again (the arrays stay the producer's). {@link #flatten()} gives a layer that needs one
 * contiguous buffer a copy.
 */
public final class Gather {

    private byte[][] arrays;
    private int[] offsets;
    private int[] lengths;
    private int count;
    private int length;

    /** An empty gather with room for {@code pieces} ranges before it grows. */
    public Gather(int pieces) {
        int n = Math.max(1, pieces);
        arrays = new byte[n][];
        offsets = new int[n];
        lengths = new int[n];
    }

    /** A gather of one range: {@code b}'s bytes from position to limit (a heap buffer is not copied; a direct one is). */
    public static Gather of(ByteBuffer b) {
        Gather g = new Gather(1);
        if (b.hasArray()) {
            g.add(b.array(), b.arrayOffset() + b.position(), b.remaining());
        } else {
            byte[] copy = new byte[b.remaining()];
            b.get(b.position(), copy);
            g.add(copy, 0, copy.length);
        }
        return g;
    }

    /** Appends {@code array[offset, offset + len)}; empty ranges are skipped. */
    public Gather add(byte[] array, int offset, int len) {
        java.util.Objects.checkFromIndexSize(offset, len, array.length);
        if (len == 0) {
            return this;
        }
        if (count > 0 && arrays[count - 1] == array && offsets[count - 1] + lengths[count - 1] == offset) {
            lengths[count - 1] += len; // continues the previous range
        } else {
            if (count == arrays.length) {
                int n = count * 2;
                arrays = Arrays.copyOf(arrays, n);
                offsets = Arrays.copyOf(offsets, n);
                lengths = Arrays.copyOf(lengths, n);
            }
            arrays[count] = array;
            offsets[count] = offset;
            lengths[count] = len;
            count++;
        }
        length += len;
        return this;
    }

    /** Number of ranges. */
    public int pieces() {
        return count;
    }

    /** The array of range {@code i}. */
    public byte[] array(int i) {
        java.util.Objects.checkIndex(i, count);
        return arrays[i];
    }

    /** Where range {@code i} starts in its array. */
    public int offset(int i) {
        java.util.Objects.checkIndex(i, count);
        return offsets[i];
    }

    /** Bytes in range {@code i}. */
    public int length(int i) {
        java.util.Objects.checkIndex(i, count);
        return lengths[i];
    }

    /** Total bytes. */
    public int length() {
        return length;
    }

    /** The bytes as one heap buffer, position 0 to limit: range 0 itself when it is the only one, else a copy. */
    public ByteBuffer flatten() {
        if (count == 1) {
            return ByteBuffer.wrap(arrays[0], offsets[0], lengths[0]).slice();
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(arrays[i], offsets[i], out, at, lengths[i]);
            at += lengths[i];
        }
        return ByteBuffer.wrap(out);
    }

    /** Copies byte {@code index} (0-based over the whole gather); for tests and checks, not the data path. */
    public byte get(int index) {
        java.util.Objects.checkIndex(index, length);
        for (int i = 0; i < count; i++) {
            if (index < lengths[i]) {
                return arrays[i][offsets[i] + index];
            }
            index -= lengths[i];
        }
        throw new IllegalStateException();
    }

    @Override
    public String toString() {
        return "Gather[" + count + " ranges, " + length + " bytes]";
    }
}
