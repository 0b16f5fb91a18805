package io.jrtc.peer;

import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Routes a connection's SCTP packets through its {@link PacketTap}: what the tap forwards reaches DTLS (outbound) or the
 * association (inbound) on the connection's loop, at once when the tap forwards on the loop, else handed over.
 */
final class TapPoint {

    private final PacketTap tap;
    private final EventLoop loop;
    private final PacketTap.Forward out;
    private final PacketTap.Forward in;

    /** {@code send} and {@code receive} run on the loop and move the packet on (and pump what it caused). */
    TapPoint(PacketTap tap, EventLoop loop, Consumer<ByteBuffer> send, Consumer<ByteBuffer> receive) {
        this.tap = tap;
        this.loop = loop;
        this.out = p -> onLoop(send, p);
        this.in = p -> onLoop(receive, p);
    }

    void outbound(ByteBuffer packet) {
        tap.onSctp(PacketTap.Direction.OUTBOUND, packet, out);
    }

    void inbound(ByteBuffer packet) {
        tap.onSctp(PacketTap.Direction.INBOUND, packet, in);
    }

    private void onLoop(Consumer<ByteBuffer> target, ByteBuffer p) {
        if (loop.inEventLoop()) {
            target.accept(p);
        } else {
            try {
                loop.execute(() -> target.accept(p));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the factory is closed: a late packet has nowhere to go
            }
        }
    }
}
