/**
 * The jrtc agent mesh: Ed25519 identities, signed envelopes and the sans-IO overlay core, plus a deterministic
 * emulator ({@code io.jrtc.mesh.emu}) that runs thousands of cores in one thread on a virtual clock, and
 * {@link io.jrtc.mesh.MeshAgent}, which runs one core over PeerConnection data channels found through signaling.
 */
module io.jrtc.mesh {
    requires transitive io.jrtc.common;
    requires transitive io.jrtc.peer;
    requires transitive io.jrtc.signaling.client;
    requires io.netty.transport;
    requires io.netty.common;
    requires org.slf4j;

    exports io.jrtc.mesh;
    exports io.jrtc.mesh.emu;
}
