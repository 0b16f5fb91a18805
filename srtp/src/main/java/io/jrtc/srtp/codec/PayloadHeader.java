package io.jrtc.srtp.codec;

import java.nio.ByteBuffer;

/**
 * A codec-specific header at the start of an RTP payload. Each variant is an immutable record with a static
 * {@code parse} that never reads past the given length and throws {@link io.jrtc.common.ParseException} on
 * malformed input.
 */
public sealed interface PayloadHeader permits Vp8PayloadDescriptor, Vp8PayloadHeader, OpusToc {

    /** Bytes {@link #writeTo} writes. */
    int encodedLength();

    /** Writes the header at the buffer's position, advancing it. */
    void writeTo(ByteBuffer out);
}
