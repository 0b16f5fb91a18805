package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import java.util.function.Predicate;

/** Finding the DTLS hellos of a session's handshake in its datagrams. */
final class DtlsHellos {

    private DtlsHellos() {
    }

    static Predicate<ProbeTap.WireSeen> hello(Direction d, boolean client) {
        return w -> w.direction() == d && w.datagram().hello(client) != null;
    }

    /** The first datagram with a ClientHello or ServerHello from {@code d}, waiting up to {@code ms}; or null. */
    static ProbeTap.WireSeen first(Session s, Direction d, boolean client, long ms) throws InterruptedException {
        return s.tap.awaitWire(hello(d, client), ms);
    }

    /**
     * Which side the target took in the DTLS handshake: true when it sent a ClientHello (client), false when it sent a
     * ServerHello (server), null when neither was seen within {@code ms}.
     */
    static Boolean targetIsClient(Session s, long ms) throws InterruptedException {
        ProbeTap.WireSeen w = s.tap.awaitWire(x -> x.inbound() && (x.datagram().hello(true) != null
                || x.datagram().hello(false) != null), ms);
        return w == null ? null : w.datagram().hello(true) != null;
    }
}
