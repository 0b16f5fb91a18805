/**
 * The Netty edge of {@code io.jrtc.ice}: {@link io.jrtc.ice.netty.IceTransport} owns the UDP sockets and TURN
 * streams of one {@link io.jrtc.ice.IceAgent} and feeds it datagrams and time on one event loop;
 * {@link io.jrtc.ice.netty.LocalAddresses} picks the host addresses to bind; {@link io.jrtc.ice.netty.NatBehaviorCheck}
 * runs RFC 5780 NAT behaviour discovery ({@link io.jrtc.ice.nat.NatBehaviorDiscovery}) over a socket of its own.
 */
module io.jrtc.ice.netty {
    requires transitive io.jrtc.ice;
    requires transitive io.netty.transport;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.handler;
    requires io.netty.codec;

    exports io.jrtc.ice.netty;
}
