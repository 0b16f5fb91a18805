package io.jrtc.peer;

import io.jrtc.ice.netty.IceSockets;

/** Puts a connection's {@link PacketTap} on its ICE sockets' UDP datagrams ({@link PacketTap#onDatagram}). */
final class DatagramTapPoint {

    private DatagramTapPoint() {
    }

    /** Installs {@code tap} on {@code ice} (nothing when null: the production path). */
    static void install(IceSockets ice, PacketTap tap) {
        if (tap == null) {
            return;
        }
        ice.datagramTap((outbound, remote, datagram, forward) -> tap.onDatagram(
                outbound ? PacketTap.Direction.OUTBOUND : PacketTap.Direction.INBOUND, datagram, forward::accept));
    }
}
