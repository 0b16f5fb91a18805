package io.jrtc.datachannel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A message received on a data channel (W3C {@code MessageEvent.data}): text (PPID 51/56) or binary (53/57).
 *
 * @param data the payload, position 0 to limit; empty for the "empty" PPIDs. The buffer belongs to the receiver, and
 *             so do its bytes: nothing writes them again. It is usually a view of the decrypted packet the message
 *             arrived in (no copy), so its {@code arrayOffset()} need not be 0 and its {@code array()} may be longer:
 *             read it through the buffer, or take {@link #toByteArray()}.
 */
public record DataChannelMessage(ByteBuffer data, boolean isBinary) {

    /** The text of a string message (UTF-8, malformed sequences replaced). */
    public String text() {
        return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }

    /** The payload as a new array of exactly its length (a copy). */
    public byte[] toByteArray() {
        byte[] out = new byte[data.remaining()];
        data.get(data.position(), out);
        return out;
    }

    /** The payload size in bytes. */
    public int size() {
        return data.remaining();
    }
}
