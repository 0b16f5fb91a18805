package io.jrtc.cli.internal;

import io.jrtc.cli.AgentConfig;
import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.peer.PeerConnectionFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jrtc mesh}: one mesh agent over real PeerConnections, with a text console, until SIGINT/SIGTERM. */
@Command(name = "mesh", mixinStandardHelpOptions = true,
        description = {"Runs one agent of the mesh: registers with the signaling server as NAME.<agent id>, keeps "
                + "links with --degree other mesh agents, and carries messages over several hops.",
                "A line typed on standard input is broadcast to every agent; '@target text' goes to one agent "
                        + "(target: a name, an agent id or a unique prefix of 4+ hex digits) and is acknowledged. "
                        + "Received messages print with their origin and hop count.",
                "Runs until SIGINT or SIGTERM (the end of standard input does not stop it), then says goodbye to its "
                        + "neighbours and exits with 0."},
        footer = {"", "Example: jrtc mesh --signaling ws://10.0.0.5:8080/ws --id alice --degree 8"})
public final class MeshCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(MeshCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--id", required = true, paramLabel = "NAME",
            description = "A display name (1-31 of A-Z a-z 0-9 _ ~ @ -); the signaling id is NAME.<agent id>.")
    String name;

    @Option(names = "--degree", paramLabel = "D", defaultValue = "8",
            description = "Target number of neighbours; at most D+2 links are held (default: ${DEFAULT-VALUE}).")
    int degree;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The Ed25519 key file, created when missing (default: ~/.jrtc/mesh/NAME.key). The agent id "
                    + "is derived from the key, so keep the file to keep the id.")
    Path key;

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() throws Exception {
        if (degree < 1 || degree > 100) {
            throw new CliFailure("--degree must be 1..100, was " + degree);
        }
        Path keyFile = key != null ? key : Path.of(System.getProperty("user.home"), ".jrtc", "mesh", name + ".key");
        Identity identity;
        try {
            Path dir = keyFile.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            identity = Identity.loadOrCreate(keyFile);
        } catch (IOException e) {
            throw new CliFailure("mesh: cannot use the key file " + keyFile + ": " + e.getMessage(), e);
        }
        String signalingId = name + "." + identity.agentId();
        AgentConfig ac = agent.toConfig(signalingId);
        StopSignal stop = StopSignal.install();
        PeerConnectionFactory factory = new PeerConnectionFactory();
        MeshAgent mesh;
        try {
            AuditSink audit = (kind, fields) -> LOG.info("audit {} {}", kind, fields);
            MeshConfig.Builder b = MeshConfig.builder(identity, ac.signaling()).name(name).degree(degree)
                    .factory(factory).audit(audit).rtcTemplate(ac.rtcConfiguration(List.of()));
            if (ac.tokenSupplier() != null) {
                b.tokenSupplier(ac.tokenSupplier());
            }
            mesh = new MeshAgent(b.build());
        } catch (IllegalArgumentException e) {
            factory.close();
            throw new CliFailure("mesh: " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        MeshConsole console = new MeshConsole(mesh, out).attach();
        try {
            CompletableFuture<Void> registered = mesh.start();
            LOG.info("mesh {}: connecting to {}", signalingId, ac.signaling());
            CompletableFuture.anyOf(registered, stop.future()).get();
            if (registered.isCompletedExceptionally()) {
                try {
                    registered.get();
                } catch (ExecutionException e) {
                    throw new CliFailure("mesh " + name + ": registration refused: " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
            if (registered.isDone()) {
                synchronized (out) {
                    out.printf("mesh agent %s registered at %s; a line is broadcast, '@target text' goes to one agent%n",
                            signalingId, ac.signaling());
                    out.flush();
                }
                startMetrics(mesh);
                Thread reader = Thread.ofPlatform().daemon().name("jrtc-mesh-stdin").start(() -> readLines(console));
                stop.await();
                reader.interrupt();
            }
            return 0;
        } finally {
            mesh.close();
            factory.close();
            stop.cleanedUp();
        }
    }

    /**
     * The hook for {@code --metrics-port} (to come): expose {@link MeshAgent#stats()} (overlay counters, links, drops by
     * reason, back-pressure) over HTTP here. Nothing yet.
     */
    static void startMetrics(MeshAgent mesh) {
        // intentionally empty until the metrics endpoint exists
    }

    private static void readLines(MeshConsole console) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                try {
                    console.handleLine(line);
                } catch (RuntimeException e) {
                    LOG.warn("mesh: could not handle the line: {}", e.toString());
                }
            }
            LOG.info("mesh: end of standard input; still running until SIGINT/SIGTERM");
        } catch (IOException e) {
            LOG.warn("mesh: standard input failed: {}", e.toString());
        }
    }
}
