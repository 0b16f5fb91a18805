/** The Netty edge of the ICE agent: {@link io.jrtc.ice.netty.IceTransport}. */
package io.jrtc.ice.netty;
