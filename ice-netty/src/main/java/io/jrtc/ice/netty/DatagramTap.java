package io.jrtc.ice.netty;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * An observation and fault-injection point on the UDP datagrams of one {@link IceTransport} (STUN checks and consent,
 * DTLS records, SRTP), for conformance probes and tests: set it with {@link IceTransport#datagramTap(DatagramTap)}.
 * Without one (the default) the transport pays a null check per datagram. TURN streams are not tapped.
 *
 * <p>Every datagram the transport writes to, or reads from, a UDP socket is handed to {@link #onDatagram} on the
 * transport's loop instead of going on; the tap calls {@code forward} once (pass), never (drop), several times
 * (duplicate), with other bytes (rewrite), or later from any thread (delay). The buffer is only valid during the call.
 */
@FunctionalInterface
public interface DatagramTap {

    /**
     * One datagram.
     *
     * @param outbound whether the transport sends it (else it arrived)
     * @param remote   its destination (outbound) or its sender (inbound)
     * @param datagram the bytes, position to limit
     * @param forward  where it goes on: the socket (outbound) or the ICE agent (inbound); any thread, any number of times
     */
    void onDatagram(boolean outbound, InetSocketAddress remote, ByteBuffer datagram, Consumer<ByteBuffer> forward);
}
