package io.jrtc.common;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The sans-IO shape of a point-to-point protocol core: bytes and time go in; datagrams to send and the
 * next wake-up time come out. Events are core-specific and are drained through the core's own
 * {@code pollEvent()}.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>Single-threaded: the caller serialises every call. The core never locks, blocks, starts a thread or
 *       reads a clock; {@code nowNanos} is the only notion of time it has. Time that goes backwards is ignored.</li>
 *   <li>Outputs queue up, so a caller may call two mutating methods in a row and drain afterwards.</li>
 *   <li>Malformed input never throws: it is counted and dropped, or becomes an error event.</li>
 * </ul>
 */
public interface DatagramCore {

    /** Returned by {@link #pollTimeout()} when the core needs no wake-up. */
    long NO_TIMEOUT = Long.MAX_VALUE;

    /**
     * A datagram arrived. The core reads the buffer between its position and limit during this call only and
     * does not keep a reference to it.
     */
    void handleInput(long nowNanos, ByteBuffer datagram);

    /** The clock moved on; expire whatever timers are due at {@code nowNanos}. */
    void handleTimeout(long nowNanos);

    /** The next datagram to send, or empty when nothing is queued. The caller owns the returned buffer. */
    Optional<ByteBuffer> pollTransmit();

    /** The absolute time (same base as {@code nowNanos}) at which {@link #handleTimeout} should next be called, or {@link #NO_TIMEOUT}. */
    long pollTimeout();
}
