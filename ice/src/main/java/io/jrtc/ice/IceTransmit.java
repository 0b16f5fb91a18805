package io.jrtc.ice;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Something the edge must send: a datagram on a UDP socket, or bytes to write on a stream.
 *
 * @param via         the local socket or stream to use
 * @param destination where the datagram goes (for a stream: the server it is connected to, for counting)
 * @param data        the bytes, between position and limit; the caller owns the buffer
 */
public record IceTransmit(SocketId via, InetSocketAddress destination, ByteBuffer data) {
}
