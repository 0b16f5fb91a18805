package io.jrtc.mesh.emu;

import io.jrtc.mesh.OverlayConfig;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code mesh-emu}: the overlay core alone, on the virtual clock. Builds N agents and runs the steady, mass-failure,
 * partition and churn scenarios ({@code all}), printing delivery, RMR, last delivery hop and repair time; or the
 * {@code overlap} scenario: 30 broadcasts from random origins, {@code --interval} apart, so that they overlap, with
 * their GRAFTs, tree moves, RMR and delivery latency percentiles.
 *
 * <pre>
 * mesh-emu [--agents N] [--degree D] [--seed S] [--fail F] [--partition-seconds P] [--loss L]
 *          [--scenario all|steady|failure|partition|churn|overlap] [--ed25519] [--eager-limit E] [--tree-threshold T]
 *          [--delay MS] [--jitter MS] [--broadcasts B] [--lazy-fanout F] [--interval MS]
 * </pre>
 */
public final class MeshEmu {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    /**
     * Options of one run; {@code treeThreshold} is {@link OverlayConfig#treeOptimisationThreshold} (0: off),
     * {@code delayMs} and {@code jitterMs} each link's one-way delay and uniform jitter, {@code broadcasts} how many
     * broadcasts the steady scenario sends, {@code lazyFanout} {@link OverlayConfig#lazyFanout} (-1: the default),
     * {@code intervalMs} the time between the overlap scenario's broadcasts.
     */
    public record Options(int agents, int degree, long seed, double failFraction, int partitionSeconds, double loss,
                          String scenario, boolean ed25519, int eagerLimit, int treeThreshold, int delayMs,
                          int jitterMs, int broadcasts, int lazyFanout, int intervalMs) {

        /** The overlap scenario's broadcasts. */
        public static final int OVERLAP_BROADCASTS = 30;

        public Options(int agents, int degree, long seed, double failFraction, int partitionSeconds, double loss,
                       String scenario, boolean ed25519, int eagerLimit, int treeThreshold, int delayMs,
                       int jitterMs, int broadcasts, int lazyFanout) {
            this(agents, degree, seed, failFraction, partitionSeconds, loss, scenario, ed25519, eagerLimit,
                    treeThreshold, delayMs, jitterMs, broadcasts, lazyFanout, 150);
        }

        public Options(int agents, int degree, long seed, double failFraction, int partitionSeconds, double loss,
                       String scenario, boolean ed25519, int eagerLimit, int treeThreshold, int delayMs,
                       int jitterMs, int broadcasts) {
            this(agents, degree, seed, failFraction, partitionSeconds, loss, scenario, ed25519, eagerLimit,
                    treeThreshold, delayMs, jitterMs, broadcasts, -1);
        }

        /** With the overlay's default tree optimisation threshold, links of 20 ± 5 ms and 5 steady broadcasts. */
        public Options(int agents, int degree, long seed, double failFraction, int partitionSeconds, double loss,
                       String scenario, boolean ed25519, int eagerLimit) {
            this(agents, degree, seed, failFraction, partitionSeconds, loss, scenario, ed25519, eagerLimit,
                    OverlayConfig.defaults().treeOptimisationThreshold, 20, 5, 5);
        }

        public static Options defaults() {
            return new Options(1000, 8, 1, 0.5, 60, 0, "all", false, 0);
        }
    }

    private MeshEmu() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mesh-emu: " + e.getMessage());
            System.err.println("usage: mesh-emu [--agents N] [--degree D] [--seed S] [--fail F] [--partition-seconds P]"
                    + " [--loss L] [--scenario all|steady|failure|partition|churn|overlap] [--ed25519] [--eager-limit E]"
                    + " [--tree-threshold T] [--delay MS] [--jitter MS] [--broadcasts B] [--lazy-fanout F]"
                    + " [--interval MS]");
            System.exit(2);
            return;
        }
        run(o, line -> {
            System.out.println(line);
            System.out.flush();
        });
    }

    public static Options parse(String[] args) {
        Options d = Options.defaults();
        int agents = d.agents();
        int degree = d.degree();
        long seed = d.seed();
        double fail = d.failFraction();
        int part = d.partitionSeconds();
        double loss = d.loss();
        String scenario = d.scenario();
        boolean ed = false;
        int eagerLimit = 0;
        int treeThreshold = d.treeThreshold();
        int delay = d.delayMs();
        int jitter = d.jitterMs();
        int broadcasts = d.broadcasts();
        int lazyFanout = -1;
        int interval = d.intervalMs();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--ed25519" -> ed = true;
                case "--agents", "--degree", "--seed", "--fail", "--partition-seconds", "--loss", "--scenario",
                     "--eager-limit", "--tree-threshold", "--delay", "--jitter", "--broadcasts", "--lazy-fanout",
                     "--interval" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    try {
                        switch (a) {
                            case "--agents" -> agents = Integer.parseInt(v);
                            case "--degree" -> degree = Integer.parseInt(v);
                            case "--seed" -> seed = Long.parseLong(v);
                            case "--fail" -> fail = Double.parseDouble(v);
                            case "--partition-seconds" -> part = Integer.parseInt(v);
                            case "--loss" -> loss = Double.parseDouble(v);
                            case "--eager-limit" -> eagerLimit = Integer.parseInt(v);
                            case "--tree-threshold" -> treeThreshold = Integer.parseInt(v);
                            case "--delay" -> delay = Integer.parseInt(v);
                            case "--jitter" -> jitter = Integer.parseInt(v);
                            case "--broadcasts" -> broadcasts = Integer.parseInt(v);
                            case "--lazy-fanout" -> lazyFanout = Integer.parseInt(v);
                            case "--interval" -> interval = Integer.parseInt(v);
                            default -> scenario = v;
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(a + ": not a number: " + v);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (agents < 2 || degree < 1 || fail < 0 || fail >= 1 || loss < 0 || loss >= 1 || eagerLimit < 0
                || treeThreshold < 0 || delay < 0 || jitter < 0 || broadcasts < 1 || lazyFanout < -1 || interval < 1
                || !List.of("all", "steady", "failure", "partition", "churn", "overlap").contains(scenario)) {
            throw new IllegalArgumentException("bad values: agents >= 2, degree >= 1, 0 <= fail < 1, 0 <= loss < 1,"
                    + " interval >= 1, scenario one of all, steady, failure, partition, churn, overlap");
        }
        return new Options(agents, degree, seed, fail, part, loss, scenario, ed, eagerLimit, treeThreshold, delay, jitter,
                broadcasts, lazyFanout, interval);
    }

    /** Runs the chosen scenarios, handing each report line to {@code out} as it is ready; returns all lines. */
    public static List<String> run(Options o, Consumer<String> out) {
        List<String> lines = new ArrayList<>();
        EmuConfig net = EmuConfig.defaults(o.seed()).withLoss(o.loss()).withEd25519(o.ed25519())
                .withDelay(Duration.ofMillis(o.delayMs()), Duration.ofMillis(o.jitterMs()));
        OverlayConfig.Builder ob = OverlayConfig.builder().degree(o.degree()).eagerLimit(o.eagerLimit())
                .treeOptimisationThreshold(o.treeThreshold());
        if (o.lazyFanout() >= 0) {
            ob.lazyFanout(o.lazyFanout());
        }
        OverlayConfig overlay = ob.build();
        long spacing = Math.max(1, 20 * S / o.agents()) ;
        print(out, lines, String.format(Locale.ROOT,
                "mesh-emu: %d agents, degree %d (max links %d), passive %d, seed %d, links %d ms +/- %d ms, loss %.1f%%, "
                        + "signatures %s%s, tree optimisation %s, lazy fanout %s", o.agents(), o.degree(), overlay.maxLinks,
                overlay.passiveSize, o.seed(), net.delayNanos() / MS, net.jitterNanos() / MS, 100 * o.loss(),
                o.ed25519() ? "Ed25519 (JDK)" : "emulated (keyed hash, not Ed25519)",
                o.eagerLimit() > 0 ? ", eager limit " + o.eagerLimit() : "",
                o.treeThreshold() > 0 ? "threshold " + o.treeThreshold() + " hops" : "off",
                overlay.lazyFanout == 0 ? "all" : Integer.toString(overlay.lazyFanout)));
        boolean all = o.scenario().equals("all");
        if (all || o.scenario().equals("steady")) {
            Scenarios s = build(o, net, overlay, spacing, out, lines);
            report(out, lines, "steady, first broadcast (tree forming)", s.broadcast(5 * S));
            for (int i = 2; i <= o.broadcasts(); i++) {
                report(out, lines, "steady, broadcast " + i, s.broadcast(5 * S));
            }
        }
        if (all || o.scenario().equals("failure")) {
            Scenarios s = build(o, net, overlay, spacing, out, lines);
            s.broadcast(5 * S);
            s.broadcast(5 * S);
            long t0 = s.emulator().now();
            List<Integer> dead = s.failFraction(o.failFraction());
            print(out, lines, String.format(Locale.ROOT, "failure: %d of %d agents crashed at once (%.0f%%)",
                    dead.size(), o.agents(), 100 * o.failFraction()));
            long repaired = s.watchRepair(5 * S, 100 * MS);
            print(out, lines, String.format(Locale.ROOT, "failure: components 5 s after the crash %s",
                    head(s.emulator().components())));
            report(out, lines, "failure, broadcast 5 s after the crash (one repair round)", s.broadcast(5 * S));
            if (repaired < 0) {
                long more = s.runUntilConnected(120 * S, 250 * MS);
                repaired = more < 0 ? -1 : s.emulator().now() - t0;
            }
            print(out, lines, repaired < 0 ? "failure: survivors NOT reconnected within 130 s"
                    : String.format(Locale.ROOT, "failure: repair time (the survivors form one component over their "
                    + "links to each other) %.2f s after the crash%s", repaired / 1e9,
                    repaired == 0 ? " (0: the survivors were never split)" : ""));
            report(out, lines, "failure, next broadcast", s.broadcast(5 * S));
            report(out, lines, "failure, next broadcast", s.broadcast(5 * S));
        }
        if (all || o.scenario().equals("partition")) {
            Scenarios s = build(o, net, overlay, spacing, out, lines);
            s.broadcast(5 * S);
            s.partitionHalves();
            s.emulator().runFor(o.partitionSeconds() * S);
            print(out, lines, String.format(Locale.ROOT, "partition: two halves for %d s: components %s",
                    o.partitionSeconds(), head(s.emulator().components())));
            report(out, lines, "partition, broadcast inside one half (expected: half)", s.broadcast(5 * S));
            s.emulator().heal();
            long healAt = s.emulator().now();
            long merged = s.watchRepair(1 * S, 50 * MS);
            Scenarios.BroadcastResult firstFull = null;
            long firstFullSent = -1;
            while (s.emulator().now() - healAt < 60 * S) {
                if (merged < 0 && s.emulator().connected()) {
                    merged = s.emulator().now() - healAt;
                }
                long sent = s.emulator().now() - healAt;
                Scenarios.BroadcastResult r = s.broadcast(1 * S);
                if (r.delivered() == r.expected()) {
                    firstFull = r;
                    firstFullSent = sent;
                    break;
                }
            }
            print(out, lines, String.format(Locale.ROOT, "partition healed: one component %s after healing",
                    merged < 0 ? "not yet (checked every 50 ms for 1 s, then between broadcasts)"
                            : String.format(Locale.ROOT, "%.2f s", merged / 1e9)));
            if (firstFull == null) {
                print(out, lines, "partition healed: no broadcast reached everyone within 60 s");
            } else {
                print(out, lines, String.format(Locale.ROOT,
                        "partition healed: first broadcast delivered to all sent %.2f s after healing, complete %.2f s after healing",
                        firstFullSent / 1e9, (firstFullSent + firstFull.completionNanos()) / 1e9));
                report(out, lines, "partition healed, that broadcast", firstFull);
            }
        }
        if (all || o.scenario().equals("churn")) {
            Scenarios s = build(o, net, overlay, spacing, out, lines);
            int k = Math.max(1, o.agents() / 100);
            double sum = 0;
            double min = 1;
            int rounds = 30;
            int refused = 0;
            for (int i = 0; i < rounds; i++) {
                s.churn(k);
                Scenarios.BroadcastResult r = s.broadcast(2 * S);
                if (!r.accepted()) {
                    refused++; // its origin had no neighbour yet: the caller was told (NOT_CONNECTED), nothing was sent
                    continue;
                }
                sum += r.deliveryRatio();
                min = Math.min(min, r.deliveryRatio());
            }
            int sent = rounds - refused;
            print(out, lines, String.format(Locale.ROOT,
                    "churn: %d crash and %d join every 2 s for %d s: broadcast delivery mean %.3f%%, min %.3f%% (%d broadcasts"
                            + "%s)", k, k, 2 * rounds, sent == 0 ? 0 : 100 * sum / sent, sent == 0 ? 0 : 100 * min, sent,
                    refused == 0 ? "" : "; " + refused + " refused at an origin without a neighbour yet"));
        }
        if (o.scenario().equals("overlap")) {
            Scenarios s = build(o, net, overlay, spacing, out, lines);
            report(out, lines, "overlap, first broadcast (tree forming)", s.broadcast(2 * S));
            Scenarios.OverlapResult r = s.overlapping(Options.OVERLAP_BROADCASTS, o.intervalMs() * MS, 3 * S);
            print(out, lines, String.format(Locale.ROOT,
                    "overlap: %d broadcasts from random origins %d ms apart: delivered %d/%d (%.3f%%), GRAFTs %d, "
                            + "tree moves %d, RMR %.3f, mean delivery hop %.2f, delivery latency p50 %.1f / p95 %.1f / "
                            + "p99 %.1f / max %.1f ms", r.broadcasts(), o.intervalMs(), r.delivered(), r.expected(),
                    r.expected() == 0 ? 100.0 : 100.0 * r.delivered() / r.expected(), r.grafts(), r.treeMoves(),
                    r.rmr(), r.meanDeliveryHop(), r.p50Nanos() / 1e6, r.p95Nanos() / 1e6, r.p99Nanos() / 1e6,
                    r.maxNanos() / 1e6));
        }
        return lines;
    }

    private static Scenarios build(Options o, EmuConfig net, OverlayConfig overlay, long spacing, Consumer<String> out,
                                   List<String> lines) {
        long wall = System.nanoTime();
        Scenarios s = new Scenarios(net, overlay, o.agents(), spacing);
        s.emulator().runFor(spacing * o.agents());
        long t = s.runUntilConnected(120 * S, 500 * MS);
        s.emulator().runFor(10 * S);
        print(out, lines, String.format(Locale.ROOT,
                "build: %d joins over %.1f s, connected %s later; then 10 s to settle (%.1f s wall, %d actions)",
                o.agents(), spacing * o.agents() / 1e9, t < 0 ? "NOT within 120 s" : String.format(Locale.ROOT, "%.1f s", t / 1e9),
                (System.nanoTime() - wall) / 1e9, s.emulator().actionsRun()));
        return s;
    }

    private static String head(List<Integer> c) {
        return c.size() <= 4 ? c.toString() : c.subList(0, 4) + " ... (" + c.size() + " components)";
    }

    private static void report(Consumer<String> out, List<String> lines, String what, Scenarios.BroadcastResult r) {
        if (!r.accepted()) {
            print(out, lines, what + ": refused at its origin (no neighbour yet), nothing sent");
            return;
        }
        print(out, lines, String.format(Locale.ROOT,
                "%s: delivered %d/%d (%.3f%%), RMR %.3f, last delivery hop %d, mean %.2f, last delivery after %.0f ms, "
                        + "tree moves %d",
                what, r.delivered(), r.expected(), 100 * r.deliveryRatio(), r.rmr(), r.lastDeliveryHop(),
                r.meanDeliveryHop(), r.completionNanos() / 1e6, r.treeMoves()));
    }

    private static void print(Consumer<String> out, List<String> lines, String line) {
        lines.add(line);
        out.accept(line);
    }
}
