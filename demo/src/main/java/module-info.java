/**
 * The demonstrations that the {@code jrtc} command ({@code sctp-demo}, {@code mesh-sim}) and the {@code perf}
 * harnesses share: {@link io.jrtc.demo.SctpDemo}, two SCTP cores over testkit's network emulator in virtual time, and
 * {@link io.jrtc.demo.MeshSim}, N mesh agents over real PeerConnections on loopback. A module of its own, so that
 * {@code cli} does not depend on {@code perf}.
 */
module io.jrtc.demo {
    requires transitive io.jrtc.sctp;
    requires io.jrtc.testkit;
    requires transitive io.jrtc.mesh;
    requires io.jrtc.signaling.server;
    requires transitive HdrHistogram; // MeshSimResult's latency histograms; an automatic module
    requires org.slf4j;
    requires java.management; // MeshSim: heap and thread figures
    requires jdk.management;  // MeshSim: process CPU time (com.sun.management.OperatingSystemMXBean)

    exports io.jrtc.demo;
}
