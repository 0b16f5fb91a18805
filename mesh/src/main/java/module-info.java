/**
 * The jrtc agent mesh: Ed25519 identities, signed envelopes and the sans-IO overlay core, plus a deterministic
 * emulator ({@code io.jrtc.mesh.emu}) that runs thousands of cores in one thread on a virtual clock; the link edge's
 * sans-IO deciders (link quality in {@code io.jrtc.mesh.quality}, {@link io.jrtc.mesh.LinkRecovery}) and the agent's
 * Micrometer meters with a small {@code /metrics} endpoint ({@code io.jrtc.mesh.metrics}); and
 * {@link io.jrtc.mesh.MeshAgent}, which runs one core over PeerConnection data channels found through signaling.
 */
module io.jrtc.mesh {
    requires transitive io.jrtc.common;
    requires transitive io.jrtc.peer;
    requires transitive io.jrtc.signaling.client;
    requires org.slf4j;
    requires org.bouncycastle.provider; // PEM key files (org.bouncycastle.util.io.pem)
    requires com.fasterxml.jackson.core;
    requires transitive micrometer.core;
    requires transitive micrometer.registry.prometheus;
    requires transitive io.netty.common;
    requires io.netty.buffer;
    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires HdrHistogram;   // mesh-emu's overlap scenario: delivery latency percentiles; an automatic module

    exports io.jrtc.mesh;
    exports io.jrtc.mesh.emu;
    exports io.jrtc.mesh.audit;
    exports io.jrtc.mesh.quality;
    exports io.jrtc.mesh.metrics;
}
