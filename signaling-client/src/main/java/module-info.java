/**
 * The jrtc signaling client: typed protocol-version-1 messages over a WebSocket (Netty), registration,
 * reconnection with exponential backoff and jitter, and a bounded queue while disconnected.
 */
module io.jrtc.signaling.client {
    requires transitive io.jrtc.common;
    requires transitive io.netty.transport;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;
    requires io.jrtc.signaling.protocol;
    requires org.slf4j;

    exports io.jrtc.signaling.client;
}
