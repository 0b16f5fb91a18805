/**
 * ICE (RFC 8445), STUN (RFC 8489), TURN (RFC 8656), consent freshness (RFC 7675) and trickle ICE (RFC 8838).
 *
 * <p>{@code io.jrtc.ice} holds the sans-IO {@link io.jrtc.ice.IceAgent} and its value types;
 * its Netty edge, {@code io.jrtc.ice.netty.IceTransport}, is in the module {@code io.jrtc.ice.netty} (artifact
 * {@code jrtc-ice-netty}): this module does no I/O and does not depend on Netty. ice4j is used for the STUN/TURN
 * message layer only. {@code io.jrtc.ice.nat} holds NAT behaviour discovery (RFC 5780),
 * {@link io.jrtc.ice.nat.NatBehaviorDiscovery}, run over a socket by
 * {@code io.jrtc.ice.netty.NatBehaviorCheck}.
 */
module io.jrtc.ice {
    requires transitive io.jrtc.common;
    requires ice4j;

    exports io.jrtc.ice;
    exports io.jrtc.ice.nat;
}
