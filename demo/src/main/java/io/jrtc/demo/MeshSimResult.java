package io.jrtc.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What one {@link MeshSim} run measured. Times are from the first agent's {@code start()}; latencies in nanoseconds
 * (HdrHistogram, 3 significant digits); heap in bytes.
 *
 * @param params            what was run
 * @param registeredNanos   until every agent was registered with signaling
 * @param connectedNanos    until the overlay was "connected" (see {@link MeshSim}): -1 when it never was
 * @param fullDegreeNanos   until every agent had {@code min(degree, N-1)} neighbours: -1 when not seen before traffic
 * @param stableNanos       until no neighbour changed for a second (or the settle limit ran out): when traffic began
 * @param minDegree         fewest neighbours of an agent when traffic began (and {@code meanDegree}, {@code maxDegree})
 * @param links             links of the overlay (undirected) when traffic began
 * @param diameter          of the neighbour graph when traffic began (hops); -1 when it was not one component
 * @param avgPath           mean shortest path over all ordered pairs (hops)
 * @param broadcastLatency  origin's {@code broadcast()} to each other agent's delivery, measured broadcasts only
 * @param broadcastHops     hops of those deliveries
 * @param rmrWarmup         relative message redundancy of the warm-up broadcasts (the first floods: every new link is
 *                          eager); {@code rmr} of the measured ones
 * @param unicastOneWay     {@code sendWithAck()} to the delivery at the target
 * @param unicastRoundTrip  {@code sendWithAck()} to its future completing at the origin (route discovery included
 *                          when no route was cached)
 * @param expected          deliveries expected: (broadcasts + warm-up) × (N − 1) + unicasts
 * @param delivered         distinct deliveries seen (a duplicate is not counted again)
 * @param duplicates        deliveries of a message an agent already had
 * @param acked             unicast acknowledgements received (of {@code params.unicasts()})
 * @param refused           sends the origin refused (back-pressure, not connected)
 * @param heapBaseline      used heap after GC before the first agent
 * @param heapAfter         used heap after GC with all agents up, after the traffic
 * @param threadsBefore     live platform threads before the first agent (server and factory running); after: with
 *                          every agent up; peak: most seen while they linked
 * @param fds               open file descriptors of the process with every agent up (-1 when unknown)
 * @param linksOpened       links that came up, summed over agents (each link counts at both ends)
 * @param linksFailed       link attempts that failed or were refused, summed over agents
 * @param sendFailures      frames a data channel refused, summed over agents
 * @param relayAllocations  TURN allocations coturn granted (its log), relay-only runs; -1 otherwise
 * @param linkDowns         {@link io.jrtc.mesh.MeshEvent.LinkDown} events by reason (numbers as N), at both ends
 * @param threadsAdded      platform threads alive at the end that were not before the first agent, by name (digits as N)
 * @param changesBefore     neighbour changes (up or down, at each end) before the traffic began; {@code changesDuring}
 *                          while it ran (a quiet overlay has none)
 * @param load              the system's one-minute load average at the start and at the end
 * @param cpuNanos          CPU time of the whole process (all threads, {@code getProcessCpuTime}) from the first
 *                          {@code start()} until connected (-1 if never) and until the end of the traffic: what the
 *                          set-up costs, whatever else shares the machine
 * @param asks              low-priority dials asked over signaling before building a connection, and how many of
 *                          those the remote refused (no connection built), summed over agents
 * @param treeMoves         Plumtree tree optimisations (a lazy link announcing fewer hops became the parent) made
 *                          during the measured broadcasts, summed over agents
 */
public record MeshSimResult(MeshSim.Params params, long registeredNanos, long connectedNanos, long fullDegreeNanos,
        long stableNanos, int minDegree, double meanDegree, int maxDegree, int links, int diameter, double avgPath,
        Histogram broadcastLatency, Histogram broadcastHops, double rmrWarmup, double rmr, Histogram unicastOneWay,
        Histogram unicastRoundTrip, long expected, long delivered, long duplicates, long acked, long refused,
        long heapBaseline, long heapAfter, int threadsBefore, int threadsAfter, int threadsPeak, long fds,
        long linksOpened, long linksFailed, long sendFailures, long relayAllocations, java.util.Map<String, Long> linkDowns, java.util.Map<String, Integer> threadsAdded, long changesBefore, long changesDuring, double[] load,
        long[] cpuNanos, long[] asks, long treeMoves, long[] sharedVerifications) {

    /** Delivered over expected, 0..1. */
    public double successRate() {
        return expected == 0 ? 1 : (double) delivered / expected;
    }

    /** Every expected delivery happened once, every unicast was acknowledged and the overlay was connected. */
    public boolean success() {
        return connectedNanos >= 0 && delivered == expected && duplicates == 0 && acked == params.unicasts()
                && refused == 0;
    }

    public double heapPerAgentBytes() {
        return (double) (heapAfter - heapBaseline) / params.agents();
    }

    /** The report, one {@code name: value} line each. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        MeshSim.Params p = params;
        int n = p.agents();
        out.add(line("agents", n + " over real PeerConnections on 127.0.0.1, degree " + p.degree() + " (max "
                + p.maxLinks() + " links), " + (p.relayOnly() ? "relay-only through coturn" : "direct (host candidates)")
                + ", " + p.loops() + " event loops, seed " + p.seed() + ", link set-up timeout "
                + p.linkSetupTimeout().toSeconds() + " s" + (p.sharedVerification()
                        ? ", one shared memo of verified signatures" : ", every agent verifies every signature")
                + (p.lazyFanout() >= 0 ? ", lazy fanout " + p.lazyFanout()
                        : ", lazy fanout " + io.jrtc.mesh.OverlayConfig.builder().degree(p.degree()).build().lazyFanout
                                + " (the default at degree " + p.degree() + ")")));
        out.add(line("registered", secs(registeredNanos) + " (all " + n + " at the signaling server)"));
        out.add(line("connected", connectedNanos < 0 ? "NO: not within " + p.connectTimeout().toSeconds() + " s"
                : secs(connectedNanos) + " (one component, every agent with >= " + MeshSim.linkCriterion(p)
                        + " neighbours)"));
        out.add(line("full degree", fullDegreeNanos < 0 ? "not seen before traffic began"
                : secs(fullDegreeNanos) + " (every agent with >= " + Math.min(p.degree(), n - 1) + " neighbours)"));
        out.add(line("settled", secs(stableNanos) + " (connected and no neighbour change for 1 s, or the settle limit)"));
        out.add(line("overlay", String.format(Locale.ROOT, "%d links, degree min %d / mean %.2f / max %d, diameter %s, "
                + "average path %.2f hops", links, minDegree, meanDegree, maxDegree,
                diameter < 0 ? "- (not one component)" : Integer.toString(diameter), avgPath)));
        out.add(line("broadcast", p.broadcasts() + " measured from random origins, one at a time, after " + p.warmup()
                + " warm-up: " + percentiles(broadcastLatency)));
        out.add(line("broadcast hops", broadcastHops.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT,
                "mean %.2f, p99 %d, max %d; RMR %.3f (warm-up %.3f); tree moves %d", broadcastHops.getMean(),
                broadcastHops.getValueAtPercentile(99), broadcastHops.getMaxValue(), rmr, rmrWarmup, treeMoves)));
        out.add(line("unicast one-way", p.unicasts() + " sendWithAck to random agents: " + percentiles(unicastOneWay)));
        out.add(line("unicast ack rtt", percentiles(unicastRoundTrip)));
        out.add(line("success", String.format(Locale.ROOT, "%.3f %% (%d of %d deliveries; %d duplicates; %d of %d acked; "
                + "%d sends refused)", successRate() * 100, delivered, expected, duplicates, acked, p.unicasts(), refused)));
        out.add(line("heap", String.format(Locale.ROOT, "%.1f KiB per agent (used after GC %.1f MiB, baseline %.1f MiB)",
                heapPerAgentBytes() / 1024, heapAfter / 1048576.0, heapBaseline / 1048576.0)));
        out.add(line("threads", "platform threads before " + threadsBefore + ", peak " + threadsPeak + ", after "
                + threadsAfter + (threadsAdded.isEmpty() ? "" : "; new: " + threadsAdded)));
        out.add(line("links", linksOpened / 2 + " opened, " + linksFailed + " attempts failed or refused, "
                + sendFailures + " frames refused by a channel; " + asks[0] + " dials asked first, " + asks[1]
                + " of them refused before any connection; " + (fds < 0 ? "?" : Long.toString(fds))
                + " file descriptors open (limit " + MeshSim.fdLimit() + ")"));
        out.add(line("churn", changesBefore + " neighbour changes before the traffic, " + changesDuring + " during it"));
        out.add(line("link downs", linkDowns.isEmpty() ? "none" : linkDowns.toString()));
        if (relayAllocations >= 0) {
            out.add(line("relay", relayAllocations + " TURN allocations granted by coturn (ICE policy relay: no other "
                    + "candidate is used)"));
        }
        out.add(line("load", String.format(Locale.ROOT, "%.2f at start, %.2f at end (1-minute average, %d cores)",
                load[0], load[1], Runtime.getRuntime().availableProcessors())));
        out.add(line("cpu", String.format(Locale.ROOT, "%s until connected, %.2f s until the end of the traffic "
                + "(process CPU time, all threads)", cpuNanos[0] < 0 ? "-" : secs(cpuNanos[0]), cpuNanos[1] / 1e9)));
        if (sharedVerifications != null) {
            out.add(line("verifications", sharedVerifications[1] + " Ed25519 verifications run, " + sharedVerifications[0]
                    + " answered by the shared memo (envelopes, HELLOs, presence)"));
        }
        out.add(line("result", success() ? "OK" : "FAILED"));
        return out;
    }

    private static String line(String name, String value) {
        return String.format(Locale.ROOT, "%-16s %s", name + ":", value);
    }

    private static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "n=%d p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms", h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(95) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6);
    }
}
