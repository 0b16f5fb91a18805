/**
 * The jrtc signaling server: JSON over WebSocket at {@code /ws}, token authentication, limits, presence,
 * Redis scale-out, {@code /health}, {@code /metrics} and the browser demo page. See the module README for the
 * protocol.
 */
module io.jrtc.signaling.server {
    requires io.jrtc.common;
    requires io.jrtc.signaling.protocol;
    requires org.slf4j;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;
    requires com.fasterxml.jackson.databind;
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;
    requires lettuce.core;
    requires info.picocli;

    exports io.jrtc.signaling.server;
    opens io.jrtc.signaling.server to info.picocli; // SignalingServerMain's options, filled in by reflection
}
