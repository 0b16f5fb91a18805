package io.jrtc.datachannel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A message received on a data channel (W3C {@code MessageEvent.data}): text (PPID 51/56) or binary (53/57).
 *
 * <p>Its bytes belong to the receiver: nothing writes them again. They are usually views of the decrypted packets
 * the message arrived in, not copies. A message larger than one packet arrived in several SCTP fragments, and those
 * are kept apart, so receiving it costs no copy beyond DTLS's one:
 * <ul>
 *   <li>{@link #buffers()} gives the fragments as they are (one buffer for a message that fit one packet); reading
 *       them, {@link #writeTo(OutputStream)} and {@link #toByteArray()} never join them first;</li>
 *   <li>{@link #data()} gives one contiguous buffer: for a fragmented message the first call copies the fragments
 *       together (the W3C {@code ArrayBuffer} view), later calls return that same buffer.</li>
 * </ul>
 * A buffer's {@code arrayOffset()} need not be 0 and its {@code array()} may be longer: read it through the buffer.
 * Instances may be handed to other threads; {@link #data()} is safe to call from several.
 */
public final class DataChannelMessage {

    private final List<ByteBuffer> buffers;
    private final boolean binary;
    private final int size;
    private ByteBuffer joined; // guarded by this; the only buffer when there is one

    /**
     * A message of one buffer: {@code data}'s bytes from position to limit; the buffer is kept, not copied, so the
     * caller must not change it afterwards.
     */
    public DataChannelMessage(ByteBuffer data, boolean isBinary) {
        this(List.of(data), isBinary);
    }

    private DataChannelMessage(List<ByteBuffer> buffers, boolean isBinary) {
        this.buffers = buffers;
        this.binary = isBinary;
        int n = 0;
        for (ByteBuffer b : buffers) {
            n = Math.addExact(n, b.remaining());
        }
        this.size = n;
        this.joined = buffers.size() == 1 ? buffers.get(0) : null;
    }

    /**
     * A message made of {@code fragments} in order (each from position to limit), kept as they are, not copied.
     *
     * @throws IllegalArgumentException if there is no fragment
     */
    public static DataChannelMessage ofFragments(List<ByteBuffer> fragments, boolean isBinary) {
        List<ByteBuffer> list = List.copyOf(fragments);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("a message has at least one buffer (an empty one for no bytes)");
        }
        return new DataChannelMessage(list, isBinary);
    }

    /** Whether the message is binary (W3C: an {@code ArrayBuffer}), not text. */
    public boolean isBinary() {
        return binary;
    }

    /**
     * The payload as one buffer, position 0 to limit. For a message that arrived in one packet this is that
     * packet's view (no copy); for a fragmented one the first call copies the fragments into one new buffer, kept for
     * later calls. The same buffer object is returned each time: take a {@code duplicate()} before moving its
     * position if others may read it.
     */
    public ByteBuffer data() {
        synchronized (this) {
            if (joined == null) {
                ByteBuffer out = ByteBuffer.allocate(size);
                for (ByteBuffer b : buffers) {
                    out.put(b.duplicate());
                }
                joined = out.flip();
            }
            return joined;
        }
    }

    /**
     * The payload as the buffers it arrived in, in order (one for a message that fit one packet), each a new view
     * (position 0 to limit) of bytes that are the receiver's: no copy.
     */
    public List<ByteBuffer> buffers() {
        ByteBuffer[] out = new ByteBuffer[buffers.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffers.get(i).duplicate();
        }
        return List.of(out);
    }

    /** Whether the payload is one buffer already, so {@link #data()} costs no copy. */
    public boolean isContiguous() {
        synchronized (this) {
            return joined != null;
        }
    }

    /** The text of a string message (UTF-8, malformed sequences replaced). */
    public String text() {
        if (buffers.size() == 1) {
            return StandardCharsets.UTF_8.decode(buffers.get(0).duplicate()).toString();
        }
        return new String(toByteArray(), StandardCharsets.UTF_8);
    }

    /** The payload as a new array of exactly its length (one copy, straight from the fragments). */
    public byte[] toByteArray() {
        byte[] out = new byte[size];
        int at = 0;
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            b.get(b.position(), out, at, n);
            at += n;
        }
        return out;
    }

    /** Writes the payload to {@code out}, fragment by fragment (no joining copy). */
    public void writeTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        for (ByteBuffer b : buffers) {
            if (b.hasArray()) {
                out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            } else {
                byte[] chunk = new byte[b.remaining()];
                b.get(b.position(), chunk);
                out.write(chunk);
            }
        }
    }

    /** The payload size in bytes. */
    public int size() {
        return size;
    }

    /** Equal when both are binary or both text, with the same bytes (however they are split into buffers). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DataChannelMessage m) || m.binary != binary || m.size != size) {
            return false;
        }
        return data().equals(m.data());
    }

    @Override
    public int hashCode() {
        return 31 * data().hashCode() + Boolean.hashCode(binary);
    }

    @Override
    public String toString() {
        return "DataChannelMessage[" + (binary ? "binary" : "text") + ", " + size + " bytes in " + buffers.size()
                + (buffers.size() == 1 ? " buffer]" : " buffers]");
    }
}
