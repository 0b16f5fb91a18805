/**
 * NAT behaviour discovery (RFC 5780) against a STUN server with two addresses: the sans-IO
 * {@link io.jrtc.ice.nat.NatBehaviorDiscovery} and its result types. {@code io.jrtc.ice.netty.NatBehaviorCheck} runs
 * it over a Netty UDP socket.
 */
package io.jrtc.ice.nat;
