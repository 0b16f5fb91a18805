package io.jrtc.ice.netty;

import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.SocketId;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes one datagram of an {@link IceSockets} through its {@link DatagramTap}. */
final class Tapped {

    private static final Logger LOG = LoggerFactory.getLogger(Tapped.class);

    private Tapped() {
    }

    static void outbound(IceSockets transport, DatagramTap tap, Channel ch, IceTransmit t) {
        InetSocketAddress to = t.destination();
        try {
            tap.onDatagram(true, to, t.data(), data -> transport.writeTapped(ch, to, data));
        } catch (RuntimeException e) {
            LOG.warn("datagram tap threw on an outbound datagram to {}", to, e);
        }
    }

    static void inbound(IceSockets transport, DatagramTap tap, SocketId id, InetSocketAddress from, ByteBuffer data) {
        try {
            tap.onDatagram(false, from, data, d -> transport.readTapped(id, from, d));
        } catch (RuntimeException e) {
            LOG.warn("datagram tap threw on an inbound datagram from {}", from, e);
        }
    }
}
