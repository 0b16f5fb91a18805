package io.jrtc.ice;

import java.net.InetSocketAddress;

/**
 * A test seam that the ICE edge accepts through {@link IceConfig#writeObserver()}: it is told of every datagram or
 * stream write the edge hands to a socket, by destination. Tests use it to prove where packets went (under
 * {@code iceTransportPolicy: relay}, only to TURN servers); testkit's {@code WritesByDestination} counts them.
 * Production configurations leave it null, and the edge then pays one null check per write.
 *
 * <p>Called on the edge's event loop, so an implementation must be quick, must not throw, and must be safe to read
 * from other threads.
 */
@FunctionalInterface
public interface IceWriteObserver {

    /**
     * One write.
     *
     * @param destination the datagram's destination, or the server at the other end of a stream
     * @param bytes       the bytes handed to the socket (for a stream: this write's bytes)
     */
    void written(InetSocketAddress destination, int bytes);
}
