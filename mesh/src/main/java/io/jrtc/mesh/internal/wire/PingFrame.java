package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * PING: a link-quality probe on the control channel. The receiver answers at once with a {@link PongFrame} echoing
 * both fields; the sender takes the round-trip time as its clock at the PONG minus {@code timestamp}. The timestamp
 * is the sender's own monotonic clock in nanoseconds, opaque to the receiver (the clocks of two agents are never
 * compared). {@code sequence} lets the sender match answers and count probes that got none.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x0b  |              Sequence (32 bits) ...           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      ...      |         Timestamp (64 bits, sender's clock) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * 13 bytes in all.
 */
public record PingFrame(int sequence, long timestamp) implements Frame {

    /** Type byte, sequence, timestamp. */
    public static final int LENGTH = 1 + 4 + 8;

    static PingFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, PING, "PING", LENGTH);
        return new PingFrame(in.getInt(), in.getLong());
    }

    /** The answer: a PONG echoing this probe. */
    public PongFrame answer() {
        return new PongFrame(sequence, timestamp);
    }

    @Override
    public int type() {
        return PING;
    }

    @Override
    public int encodedLength() {
        return LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) PING).putInt(sequence).putLong(timestamp);
    }
}
