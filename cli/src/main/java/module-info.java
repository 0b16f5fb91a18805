/**
 * The {@code jrtc} command (picocli): {@code signaling}, {@code echo}, {@code agent}, {@code demo},
 * {@code sctp-demo}, {@code mesh}, {@code mesh-emu}, {@code audit}, {@code nat-check} and {@code mesh-sim}. The agents behind {@code echo} and {@code agent} ({@link io.jrtc.cli.EchoAgent},
 * {@link io.jrtc.cli.ClientAgent}) are exported so other code and tests can run them in-process.
 *
 * <p>{@code jrtc sctp-demo} and {@code jrtc mesh-sim} run {@code io.jrtc.demo.SctpDemo} and
 * {@code io.jrtc.demo.MeshSim} from the {@code demo} module (shared with {@code perf}'s harnesses).
 */
module io.jrtc.cli {
    requires transitive io.jrtc.peer;
    requires transitive io.jrtc.signaling.client;
    requires io.jrtc.signaling.server;
    requires io.jrtc.mesh;
    requires io.jrtc.demo;
    requires io.jrtc.probe;
    requires info.picocli;
    requires org.slf4j;
    requires org.bouncycastle.provider; // PEM public keys for `audit verify --key` (org.bouncycastle.util.io.pem)
    requires java.logging;    // JUL (ice4j, jitsi-utils) is bridged to SLF4J by SLF4J's own bridge
    requires jul.to.slf4j;
    requires HdrHistogram;   // round-trip percentiles (RttSummary); an automatic module
    requires jdk.unsupported; // sun.misc.Signal: SIGINT/SIGTERM end long-running commands with exit code 0

    exports io.jrtc.cli;
    opens io.jrtc.cli.internal to info.picocli;
}
