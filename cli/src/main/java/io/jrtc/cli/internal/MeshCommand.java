package io.jrtc.cli.internal;

import io.jrtc.cli.AgentConfig;
import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.mesh.NatCheck;
import io.jrtc.mesh.audit.AuditLog;
import io.jrtc.peer.PeerConnectionFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
                        + "Received messages print with their origin and hop count. A line starting with / is a "
                        + "command: '/revoke HEX' publishes an operator's revocation (a line of 'jrtc revoke') to the "
                        + "whole mesh, '/revoked' lists the revoked agents, '/help' lists the commands; '//text' "
                        + "broadcasts '/text'.",
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
                    + "is derived from the key, so keep the file to keep the id. Beside it, NAME.seq keeps the "
                    + "message sequences ahead of the agent, so that a restart with the clock set back is not "
                    + "taken for a replay.")
    Path key;

    @Option(names = "--metrics-port", paramLabel = "P",
            description = "Serve Prometheus metrics at http://BIND:P/metrics (links by mode, RTT and loss per link, "
                    + "delivered/forwarded/duplicated/dropped by reason, RMR). Off by default.")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The address --metrics-port binds (default: ${DEFAULT-VALUE}; 0.0.0.0 for a remote scraper).")
    String metricsBind;

    @Option(names = "--audit", paramLabel = "FILE",
            description = "The audit log: hash-chained, checkpoints signed with the agent's key; joins, leaves, link "
                    + "fallbacks and recoveries, identity and signature failures, mode changes (default: next to the "
                    + "key file, NAME.audit). Check it with 'jrtc audit verify FILE'.")
    Path auditFile;

    @Option(names = "--operator-key", paramLabel = "KEY",
            description = "Trust revocations signed by this operator key (a file with a PEM PUBLIC KEY block or 64 hex "
                    + "digits in it, or the 64 hex digits themselves); repeatable. Without one, the agent obeys no "
                    + "revocation (and passes none on).")
    List<Path> operatorKeys = List.of();

    @Option(names = "--revocations", paramLabel = "FILE",
            description = "The revocation file: revocations in it (one hex line each, from 'jrtc revoke') are applied "
                    + "at start and sent to every neighbour; those the agent accepts later are appended.")
    Path revocations;

    @Option(names = "--nat-check", paramLabel = "auto|off|HOST[:PORT]", defaultValue = "auto",
            description = "Discover this agent's NAT mapping and filtering behaviour (RFC 5780) once registered, and "
                    + "print it ('* nat: ...'), audit it and export it as jrtc_mesh_nat_behaviour: 'auto' checks "
                    + "against the first UDP STUN or TURN server of the ICE servers (default: ${DEFAULT-VALUE}), 'off' "
                    + "not at all, or give a STUN server that supports RFC 5780 (e.g. coturn with two addresses).")
    String natCheck;

    @Option(names = "--paths", paramLabel = "direct-then-relay|relay-only|race", defaultValue = "direct-then-relay",
            description = "How a link is opened: direct first, then relay-only through TURN if it is not up in 5 s "
                    + "(default); relay-only; or race, one connection that checks direct and relayed candidate pairs "
                    + "at once and keeps direct when it works. Every decision goes in the audit log.")
    String paths;

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() throws Exception {
        if (degree < 1 || degree > 100) {
            throw new CliFailure("--degree must be 1..100, was " + degree);
        }
        NatCheck nat = switch (natCheck.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> NatCheck.iceServers();
            case "off" -> NatCheck.off();
            default -> NatCheck.server(NatCheckCommand.parseServer(spec.commandLine(), natCheck));
        };
        io.jrtc.mesh.LinkRecovery.Strategy strategy = switch (paths.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "direct-then-relay" -> io.jrtc.mesh.LinkRecovery.Strategy.DIRECT_THEN_RELAY;
            case "relay-only" -> io.jrtc.mesh.LinkRecovery.Strategy.RELAY_ONLY;
            case "race" -> io.jrtc.mesh.LinkRecovery.Strategy.RACE;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--paths must be direct-then-relay, relay-only or race, was '" + paths + "'");
        };
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
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new CliFailure("--metrics-port must be 0..65535, was " + metricsPort);
        }
        Path auditPath = auditFile != null ? auditFile : auditNextTo(keyFile);
        AuditLog auditLog;
        try {
            auditLog = AuditLog.open(auditPath, identity);
        } catch (IOException e) {
            throw new CliFailure("mesh: cannot use the audit log " + auditPath + ": " + e.getMessage(), e);
        }
        LOG.info("mesh {}: audit log {}", name, auditPath.toAbsolutePath());
        String signalingId = name + "." + identity.agentId();
        AgentConfig ac = agent.toConfig(signalingId);
        StopSignal stop;
        try {
            stop = StopSignal.install();
        } catch (RuntimeException e) {
            auditLog.close();
            throw e;
        }
        PeerConnectionFactory factory = new PeerConnectionFactory();
        MeshAgent mesh;
        try {
            AuditSink audit = (kind, fields) -> {
                LOG.info("audit {} {}", kind, fields);
                auditLog.record(kind, fields);
            };
            MeshConfig.Builder b = MeshConfig.builder(identity, ac.signaling()).name(name).degree(degree)
                    .factory(factory).audit(audit).rtcTemplate(ac.rtcConfiguration(List.of()))
                    .sequenceFile(sequencesNextTo(keyFile))
                    .recovery(io.jrtc.mesh.LinkRecovery.Config.defaults().withStrategy(strategy));
            for (Path k : operatorKeys) {
                b.operatorKey(operatorKey(k));
            }
            if (revocations != null) {
                b.revocationFile(revocations);
            }
            if (ac.tokenSupplier() != null) {
                b.tokenSupplier(ac.tokenSupplier());
            }
            b.natCheck(nat);
            mesh = new MeshAgent(b.build());
            // entries after the last checkpoint are signed by nothing: an idle agent signs them once a minute
            factory.eventLoopGroup().next().scheduleAtFixedRate(auditLog::checkpointIfDue, 60, 60, TimeUnit.SECONDS);
        } catch (IllegalArgumentException | IllegalStateException e) {
            factory.close();
            auditLog.close();
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
                    out.printf("mesh agent %s registered at %s; a line is broadcast, '@target text' goes to one agent, "
                            + "/help lists the commands%n",
                            signalingId, ac.signaling());
                    out.flush();
                }
                startMetrics(mesh, metricsPort, metricsBind, out);
                Thread reader = Thread.ofPlatform().daemon().name("jrtc-mesh-stdin").start(() -> readLines(console));
                stop.await();
                reader.interrupt();
            }
            return 0;
        } finally {
            mesh.close();
            factory.close();
            auditLog.close();
            stop.cleanedUp();
        }
    }

    /**
     * {@code --metrics-port}: serves the agent's meters ({@code jrtc_mesh_*}, see {@code MeshMetrics}) at
     * {@code http://bind:port/metrics} on a thread of its own, closed with the agent; nothing without a port.
     */
    static InetSocketAddress startMetrics(MeshAgent mesh, Integer port, String bind, PrintWriter out) {
        if (port == null) {
            return null;
        }
        InetSocketAddress at;
        try {
            at = mesh.startMetrics(new InetSocketAddress(InetAddress.getByName(bind), port));
        } catch (java.net.UnknownHostException | RuntimeException e) {
            throw new CliFailure("mesh: cannot serve metrics at " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        synchronized (out) {
            out.printf("metrics at http://%s:%d/metrics%n", at.getAddress().getHostAddress(), at.getPort());
            out.flush();
        }
        return at;
    }

    /**
     * An {@code --operator-key}: a file (a PEM PUBLIC KEY block, or 64 hex digits in it), or the 64 hex digits
     * themselves when no such file exists.
     */
    static byte[] operatorKey(Path k) {
        String arg = k.toString();
        if (!Files.exists(k) && arg.length() == 64 && arg.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return java.util.HexFormat.of().parseHex(arg.toLowerCase(java.util.Locale.ROOT));
        }
        try {
            return AuditCommand.Verify.readKey(k);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("--operator-key " + k + ": no such file, and not 64 hex digits", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("--operator-key " + k + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--operator-key " + k + ": " + e.getMessage(), e);
        }
    }

    /** The default audit log: next to the key file, {@code NAME.audit} for {@code NAME.key}. */
    static Path auditNextTo(Path keyFile) {
        return nextTo(keyFile, ".audit");
    }

    /** The sequence lease: next to the key file, {@code NAME.seq} for {@code NAME.key}. */
    static Path sequencesNextTo(Path keyFile) {
        return nextTo(keyFile, ".seq");
    }

    private static Path nextTo(Path keyFile, String suffix) {
        String f = keyFile.getFileName().toString();
        String base = f.endsWith(".key") ? f.substring(0, f.length() - 4) : f;
        return keyFile.resolveSibling(base + suffix);
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
