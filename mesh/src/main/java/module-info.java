/**
 * The jrtc agent mesh: Ed25519 identities, signed envelopes and the sans-IO overlay core, plus a deterministic
 * emulator ({@code io.jrtc.mesh.emu}) that runs thousands of cores in one thread on a virtual clock.
 */
module io.jrtc.mesh {
    requires transitive io.jrtc.common;
    requires org.slf4j;
    requires transitive micrometer.core;
    requires transitive micrometer.registry.prometheus;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.http;

    exports io.jrtc.mesh;
    exports io.jrtc.mesh.emu;
    exports io.jrtc.mesh.quality;
    exports io.jrtc.mesh.metrics;
}
