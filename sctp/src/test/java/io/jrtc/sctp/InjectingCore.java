package io.jrtc.sctp;

import io.jrtc.common.DatagramCore;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * A test peer that wraps another {@link DatagramCore}: it decides what of the input reaches the wrapped core, and may
 * send packets of its own, which leave before anything the wrapped core has queued. Timers are the wrapped core's.
 */
abstract class InjectingCore implements DatagramCore {

    private final DatagramCore wrapped;
    private final ArrayDeque<ByteBuffer> injected = new ArrayDeque<>();

    InjectingCore(DatagramCore wrapped) {
        this.wrapped = wrapped;
    }

    /** Queues {@code packet} to be sent ahead of the wrapped core's. */
    final void inject(ByteBuffer packet) {
        injected.add(packet);
    }

    /** Hands {@code datagram} to the wrapped core. */
    final void passOn(long nowNanos, ByteBuffer datagram) {
        wrapped.handleInput(nowNanos, datagram);
    }

    @Override
    public void handleTimeout(long nowNanos) {
        wrapped.handleTimeout(nowNanos);
    }

    @Override
    public Optional<ByteBuffer> pollTransmit() {
        ByteBuffer b = injected.poll();
        return b != null ? Optional.of(b) : wrapped.pollTransmit();
    }

    @Override
    public long pollTimeout() {
        return wrapped.pollTimeout();
    }
}
