package io.jrtc.cli.internal;

import io.jrtc.mesh.emu.MeshEmu;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jrtc mesh-emu}: the mesh overlay core alone, N agents on the virtual clock ({@link MeshEmu}). */
@Command(name = "mesh-emu", mixinStandardHelpOptions = true,
        description = {"Runs N mesh agents' overlay cores in one thread on a virtual clock over emulated links (seeded: "
                + "the same options give the same figures), through steady, mass-failure, partition and churn "
                + "scenarios, and prints delivery, RMR, last delivery hop and repair time; or, with --scenario "
                + "overlap, 30 broadcasts from random origins --interval apart, with their GRAFTs, tree moves, RMR "
                + "and delivery latency percentiles."})
public final class MeshEmuCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--agents", paramLabel = "N", defaultValue = "1000", description = "Agents (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--degree", paramLabel = "D", defaultValue = "8", description = "Active view size (default: ${DEFAULT-VALUE}).")
    int degree;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--fail", paramLabel = "F", defaultValue = "0.5", description = "Fraction crashed at once in the failure scenario (default: ${DEFAULT-VALUE}).")
    double fail;

    @Option(names = "--partition-seconds", paramLabel = "S", defaultValue = "60", description = "How long the partition lasts (default: ${DEFAULT-VALUE}).")
    int partitionSeconds;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0", description = "Loss per transmission, 0..1; reliable channels retransmit (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "all", description = "all (steady, failure, partition and churn), steady, failure, partition, churn or overlap (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--eager-limit", paramLabel = "E", defaultValue = "0", description = "Plumtree: new links join the tree only while fewer than E are on it; 0 = all, as in the paper (default: ${DEFAULT-VALUE}).")
    int eagerLimit;

    @Option(names = "--tree-threshold", paramLabel = "T", defaultValue = "2", description = "Plumtree tree optimisation: an IHAVE announcing at least T fewer hops moves the tree; 0 = off (default: ${DEFAULT-VALUE}).")
    int treeThreshold;

    @Option(names = "--delay", paramLabel = "MS", defaultValue = "20", description = "Each link's one-way delay in ms (default: ${DEFAULT-VALUE}).")
    int delay;

    @Option(names = "--jitter", paramLabel = "MS", defaultValue = "5", description = "Each link's uniform jitter in ms (default: ${DEFAULT-VALUE}).")
    int jitter;

    @Option(names = "--broadcasts", paramLabel = "B", defaultValue = "5", description = "Broadcasts the steady scenario sends (default: ${DEFAULT-VALUE}).")
    int broadcasts;

    @Option(names = "--lazy-fanout", paramLabel = "F", defaultValue = "-1", description = "Plumtree: announce each broadcast (IHAVE) to at most F lazy neighbours, drawn at random; 0 = all; -1 = the overlay's default, 1 from degree 12 up, else 0 (default: ${DEFAULT-VALUE}).")
    int lazyFanout;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "150", description = "Time between the overlap scenario's broadcasts in ms (default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(names = "--ed25519", negatable = false, description = "Sign with real Ed25519 keys (slow at thousands of agents) instead of the emulator's keyed hash.")
    boolean ed25519;

    @Override
    public Integer call() {
        MeshEmu.Options o;
        try {
            o = MeshEmu.parse(new String[] {"--agents", "" + agents, "--degree", "" + degree, "--seed", "" + seed,
                "--fail", "" + fail, "--partition-seconds", "" + partitionSeconds, "--loss", "" + loss,
                "--scenario", scenario, "--eager-limit", "" + eagerLimit, "--tree-threshold", "" + treeThreshold,
                "--delay", "" + delay, "--jitter", "" + jitter, "--broadcasts", "" + broadcasts,
                "--lazy-fanout", "" + lazyFanout, "--interval", "" + interval});
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        o = new MeshEmu.Options(o.agents(), o.degree(), o.seed(), o.failFraction(), o.partitionSeconds(), o.loss(),
                o.scenario(), ed25519, o.eagerLimit(), o.treeThreshold(), o.delayMs(), o.jitterMs(), o.broadcasts(),
                o.lazyFanout(), o.intervalMs());
        PrintWriter out = spec.commandLine().getOut();
        MeshEmu.run(o, line -> {
            out.println(line);
            out.flush();
        });
        return 0;
    }
}
