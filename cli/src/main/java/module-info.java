/**
 * The {@code jrtc} command (picocli): {@code signaling}, {@code echo}, {@code agent}, {@code demo},
 * {@code sctp-demo}, {@code mesh}, {@code mesh-emu}, {@code audit}, {@code nat-check} and {@code mesh-sim}. The agents behind {@code echo} and {@code agent} ({@link io.jrtc.cli.EchoAgent},
 * {@link io.jrtc.cli.ClientAgent}) are exported so other code and tests can run them in-process.
 *
 * <p>{@code jrtc sctp-demo} and {@code jrtc mesh-sim} call {@code io.jrtc.perf.sctp.SctpDemo} and
 * {@code io.jrtc.perf.mesh.MeshSim} from the {@code perf} module, which has no module
 * descriptor: it is read from the class path (the POM passes {@code --add-reads io.jrtc.cli=ALL-UNNAMED}), so the module
 * compiles whether the reactor hands it perf's jar or its {@code target/classes}.
 */
module io.jrtc.cli {
    requires transitive io.jrtc.peer;
    requires transitive io.jrtc.signaling.client;
    requires io.jrtc.signaling.server;
    requires io.jrtc.mesh;
    requires io.jrtc.probe;
    requires info.picocli;
    requires org.slf4j;
    requires java.logging;    // JUL (ice4j, jitsi-utils) is bridged to SLF4J
    requires jdk.unsupported; // sun.misc.Signal: SIGINT/SIGTERM end long-running commands with exit code 0

    exports io.jrtc.cli;
    opens io.jrtc.cli.internal to info.picocli;
}
