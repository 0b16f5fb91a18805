package io.jrtc.datachannel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A message received on a data channel (W3C {@code MessageEvent.data}): text (PPID 51/56) or binary (53/57).
 *
 * @param data the payload, position 0 to limit; empty for the "empty" PPIDs. The buffer belongs to the receiver.
 */
public record DataChannelMessage(ByteBuffer data, boolean isBinary) {

    /** The text of a string message (UTF-8, malformed sequences replaced). */
    public String text() {
        return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }

    /** The payload size in bytes. */
    public int size() {
        return data.remaining();
    }
}
