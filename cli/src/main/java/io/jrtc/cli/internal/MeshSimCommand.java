package io.jrtc.cli.internal;

import io.jrtc.demo.MeshSim;
import io.jrtc.demo.MeshSimResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jrtc mesh-sim}: N mesh agents in this JVM over real PeerConnections on loopback ({@link MeshSim}). */
@Command(name = "mesh-sim", mixinStandardHelpOptions = true,
        description = {"Runs N mesh agents in this JVM over real PeerConnections on 127.0.0.1, all through one embedded "
                + "signaling server and one shared PeerConnection factory, and prints the time to a connected overlay "
                + "(one component, every agent with at least half its degree in neighbours), broadcast and unicast "
                + "latency percentiles, heap per agent, platform threads and the success rate.",
                "Exits with 0 when every broadcast and unicast was delivered exactly once and every unicast was "
                        + "acknowledged (in every round), 1 otherwise."})
public final class MeshSimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--agents", paramLabel = "N", defaultValue = "100", description = "Agents (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--degree", paramLabel = "D", defaultValue = "8", description = "Target degree (default: ${DEFAULT-VALUE}).")
    int degree;

    @Option(names = "--max-links", paramLabel = "M", defaultValue = "0", description = "Most links an agent holds; 0 = degree + 2 (default: ${DEFAULT-VALUE}).")
    int maxLinks;

    @Option(names = "--relay-only", negatable = false,
            description = "Every link through a local coturn (/usr/bin/turnserver, started here; the signaling server hands out TURN REST credentials).")
    boolean relayOnly;

    @Option(names = "--broadcasts", paramLabel = "B", defaultValue = "20", description = "Measured broadcasts, one at a time from random agents (default: ${DEFAULT-VALUE}).")
    int broadcasts;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "2", description = "Broadcasts before them, counted in the success rate but not in the latencies (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--unicasts", paramLabel = "U", defaultValue = "20", description = "Unicasts with acknowledgement, one at a time between random agents (default: ${DEFAULT-VALUE}).")
    int unicasts;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the overlay cores and of the choice of origins and targets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--loops", paramLabel = "L", defaultValue = "2", description = "Event loops of the shared factory (default: ${DEFAULT-VALUE}).")
    int loops;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "120s", converter = Converters.DurationConverter.class,
            description = "Give up when the overlay is not connected within this (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "10s", converter = Converters.DurationConverter.class,
            description = "After connected, wait at most this long for a second without neighbour changes (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--link-setup-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Converters.DurationConverter.class,
            description = "A link not up (ICE, DTLS, SCTP, channels, HELLO) within this is closed (default: ${DEFAULT-VALUE}).")
    Duration linkSetupTimeout;

    @Option(names = "--shared-verification", negatable = false,
            description = "The agents share one memo of verified Ed25519 signatures: a signature one agent verified is accepted by the others after a SHA-256 and a lookup (io.jrtc.mesh.SharedVerification).")
    boolean sharedVerification;

    @Option(names = "--lazy-fanout", paramLabel = "F", defaultValue = "-1",
            description = "Announce each broadcast (IHAVE) to at most F lazy neighbours, drawn at random; 0: to all; -1: the overlay's default, 1 from degree 12 up, else 0 (default: ${DEFAULT-VALUE}).")
    int lazyFanout;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "1",
            description = "Run the whole simulation R times in this JVM, one after another, same options and seed: round 1 pays the JVM's class loading and JIT compilation, later rounds measure the mesh without them (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--per-broadcast", negatable = false,
            description = "Print a line per measured broadcast: its own latency percentiles, its hops (mean, largest) and its five slowest deliveries with their hop counts.")
    boolean perBroadcast;

    @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "0s", converter = Converters.DurationConverter.class,
            description = "After the overlay settled and before any traffic, wait this long and print the process CPU used meanwhile: what the mesh costs with nothing to carry (default: ${DEFAULT-VALUE}).")
    Duration idle;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(), "need --rounds >= 1");
        }
        MeshSim.Params p;
        try {
            p = new MeshSim.Params(agents, degree, maxLinks, relayOnly, broadcasts, warmup, unicasts, seed, loops,
                    connectTimeout, settle, linkSetupTimeout, sharedVerification, lazyFanout, perBroadcast,
                    Math.toIntExact(idle.toSeconds()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        List<MeshSimResult> rs;
        try {
            rs = MeshSim.runRounds(p, rounds, line -> {
                out.println(line);
                out.flush();
            }, r -> {
                r.lines().forEach(out::println);
                out.flush();
            });
        } catch (IllegalStateException e) {
            throw new CliFailure("mesh-sim: " + e.getMessage(), e);
        }
        return rs.stream().allMatch(MeshSimResult::success) ? 0 : 1;
    }
}
