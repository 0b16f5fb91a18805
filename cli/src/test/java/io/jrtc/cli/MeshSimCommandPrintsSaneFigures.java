package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code jrtc mesh-sim} in-process: 10 real mesh agents over PeerConnections on 127.0.0.1 form one overlay, every
 * broadcast and unicast is delivered exactly once, and the printed figures hang together (counts, percentile order,
 * degrees within the link maximum, threads flat, heap per agent positive). Bad options exit 2.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MeshSimCommandPrintsSaneFigures {

    private static final Pattern PERCENTILES = Pattern.compile(
            "n=(\\d+) p50 ([\\d.]+) ms, p95 ([\\d.]+) ms, p99 ([\\d.]+) ms, max ([\\d.]+) ms");

    @Test
    void tenAgentsDeliverEverythingOnceAndPrintSaneFigures() {
        Run r = Run.of("mesh-sim", "--agents", "10", "--degree", "4", "--broadcasts", "6", "--warmup", "1",
                "--unicasts", "5", "--seed", "3", "--per-broadcast", "--idle", "1s");
        assertThat(r.code()).as("%s", r).isZero();
        String out = r.out();
        // (1 warm-up + 6 broadcasts) x 9 other agents + 5 unicasts
        assertThat(out).as(out).contains("agents:          10 over real PeerConnections on 127.0.0.1, degree 4 (max 6 links)",
                "success:         100.000 % (68 of 68 deliveries; 0 duplicates; 5 of 5 acked; 0 sends refused)",
                "result:          OK");

        double registered = seconds(out, "registered");
        double connected = seconds(out, "connected");
        assertThat(connected).as(out).isPositive().isGreaterThanOrEqualTo(registered).isLessThan(120);
        assertThat(seconds(out, "settled")).isGreaterThanOrEqualTo(connected);

        Matcher overlay = find(out, "overlay: +(\\d+) links, degree min (\\d+) / mean ([\\d.]+) / max (\\d+), "
                + "diameter (\\d+), average path ([\\d.]+) hops");
        int links = Integer.parseInt(overlay.group(1));
        int min = Integer.parseInt(overlay.group(2));
        double mean = Double.parseDouble(overlay.group(3));
        int max = Integer.parseInt(overlay.group(4));
        assertThat(min).as("every agent has >= ceil(4/2) neighbours when connected").isGreaterThanOrEqualTo(2);
        assertThat(max).as("no agent above its link maximum").isLessThanOrEqualTo(6);
        assertThat(links).as("links = sum of degrees / 2").isEqualTo((int) Math.round(mean * 10 / 2));
        assertThat(Integer.parseInt(overlay.group(5))).isBetween(1, 9);
        assertThat(Double.parseDouble(overlay.group(6))).isBetween(1.0, 9.0);

        assertPercentiles(out, "broadcast", 6 * 9);
        assertPercentiles(out, "unicast one-way", 5);
        assertPercentiles(out, "unicast ack rtt", 5);
        Matcher hops = find(out, "broadcast hops: +mean ([\\d.]+), p99 (\\d+), max (\\d+)");
        assertThat(Double.parseDouble(hops.group(1))).isBetween(1.0, 9.0);
        assertThat(Integer.parseInt(hops.group(3))).isBetween(1, 9);

        // --per-broadcast: a line for each of the 6 measured broadcasts (not the warm-up), 9 deliveries each, whose
        // percentiles are in order and whose hops stay within the run's
        Matcher per = Pattern.compile("# broadcast \\d+ from agent \\d+: 9 deliveries, p50 / p90 / p99 / max "
                + "([\\d.]+) / ([\\d.]+) / ([\\d.]+) / ([\\d.]+) ms, hops mean ([\\d.]+) max (\\d+); slowest \\(ms/hops\\):"
                + "( [\\d.]+/\\d+){5}").matcher(out);
        int lines = 0;
        while (per.find()) {
            lines++;
            assertThat(Double.parseDouble(per.group(1))).isLessThanOrEqualTo(Double.parseDouble(per.group(2)));
            assertThat(Double.parseDouble(per.group(3))).isLessThanOrEqualTo(Double.parseDouble(per.group(4)));
            assertThat(Integer.parseInt(per.group(6))).isBetween(1, Integer.parseInt(hops.group(3)));
        }
        assertThat(lines).as(out).isEqualTo(6);
        // --idle 1s: one line with the CPU used while nothing was sent
        Matcher idle = find(out, "# idle ([\\d.]+) s before the traffic: process CPU ([\\d.]+) s \\(([\\d.]+) cores\\)");
        assertThat(Double.parseDouble(idle.group(1))).isBetween(1.0, 3.0);
        assertThat(Double.parseDouble(idle.group(3))).as("cores used while idle").isLessThan(Runtime.getRuntime()
                .availableProcessors() + 0.5);

        Matcher heap = find(out, "heap: +([\\d.]+) KiB per agent");
        assertThat(Double.parseDouble(heap.group(1))).as("heap per agent").isPositive().isLessThan(20 * 1024);
        Matcher threads = find(out, "threads: +platform threads before (\\d+), peak (\\d+), after (\\d+)");
        int before = Integer.parseInt(threads.group(1));
        // Platform threads do not grow with the agents: beyond those before the first agent, at most the factory's 2
        // loops, the JDK's virtual-thread carriers (one per core), DTLS's 2 rescue threads (HandshakeThreads), and the
        // JDK's lazily started helpers (the delayed executor's scheduler, the virtual-thread unparker and unblocker)
        assertThat(Integer.parseInt(threads.group(2))).as("platform threads: the shared loops carry all 10 agents "
                + "(virtual-thread carriers for DTLS are at most one per core)").isLessThanOrEqualTo(before
                + 2 + Runtime.getRuntime().availableProcessors() + 2 + 3);
        assertThat(Integer.parseInt(threads.group(3))).isLessThanOrEqualTo(Integer.parseInt(threads.group(2)));
    }

    @Test
    void relayOnlyCarriesEveryLinkThroughCoturn() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/turnserver")), "coturn (/usr/bin/turnserver) not installed");
        Run r = Run.of("mesh-sim", "--agents", "4", "--degree", "2", "--broadcasts", "2", "--warmup", "0",
                "--unicasts", "2", "--relay-only");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains("relay-only through coturn",
                "success:         100.000 % (8 of 8 deliveries; 0 duplicates; 2 of 2 acked; 0 sends refused)");
        Matcher relay = find(r.out(), "relay: +(\\d+) TURN allocations granted");
        int links = Integer.parseInt(find(r.out(), "overlay: +(\\d+) links").group(1));
        assertThat(Integer.parseInt(relay.group(1))).as("one allocation per end of each link at least")
                .isGreaterThanOrEqualTo(2 * links);
    }

    /** The agents share one memo of verified signatures, and announce each broadcast at once to one lazy neighbour. */
    @Test
    void sharedVerificationAndALazyFanoutStillDeliverEverythingOnce() {
        Run r = Run.of("mesh-sim", "--agents", "8", "--degree", "5", "--broadcasts", "4", "--warmup", "1",
                "--unicasts", "2", "--seed", "5", "--shared-verification", "--lazy-fanout", "1");
        assertThat(r.code()).as("%s", r).isZero();
        String out = r.out();
        // (1 warm-up + 4 broadcasts) x 7 other agents + 2 unicasts
        assertThat(out).as(out).contains("one shared memo of verified signatures, lazy fanout 1",
                "success:         100.000 % (37 of 37 deliveries; 0 duplicates; 2 of 2 acked; 0 sends refused)");
        Matcher v = find(out, "verifications: +(\\d+) Ed25519 verifications run, (\\d+) answered by the shared memo");
        // every envelope, HELLO and presence entry was verified once at least; an envelope reaches 7 agents, and
        // those after the first (but for two verifying it at the same instant) find it in the memo
        assertThat(Long.parseLong(v.group(1))).isPositive();
        assertThat(Long.parseLong(v.group(2))).as("memo hits").isPositive();
        assertThat(Run.of("mesh-sim", "--agents", "4", "--lazy-fanout", "-2").code()).isEqualTo(2);
    }

    /** Two rounds in one JVM: each builds its own overlay from scratch, and each delivers everything once. */
    @Test
    void roundsRunTheWholeSimulationAgainInTheSameJvm() {
        Run r = Run.of("mesh-sim", "--agents", "6", "--degree", "3", "--broadcasts", "3", "--warmup", "1",
                "--unicasts", "2", "--seed", "7", "--rounds", "2");
        assertThat(r.code()).as("%s", r).isZero();
        String out = r.out();
        assertThat(out).as(out).contains("# round 1 of 2 (a cold JVM)",
                "# round 2 of 2 (the same JVM: classes loaded and compiled by the rounds before)");
        // (1 warm-up + 3 broadcasts) x 5 other agents + 2 unicasts, in each round
        String success = "success:         100.000 % (22 of 22 deliveries; 0 duplicates; 2 of 2 acked; 0 sends refused)";
        String second = out.substring(out.indexOf("# round 2 of 2"));
        assertThat(out.substring(0, out.indexOf("# round 2 of 2"))).as(out).contains(success, "result:          OK");
        assertThat(second).as(out).contains(success, "result:          OK");
        assertThat(second).as("the second round registers its agents again").contains("registered:");
        assertThat(Pattern.compile("^connected: ", Pattern.MULTILINE).matcher(out).results().count()).isEqualTo(2);
        Run zero = Run.of("mesh-sim", "--agents", "4", "--rounds", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("--rounds >= 1");
    }

    @Test
    void oneAgentIsAUsageError() {
        Run r = Run.of("mesh-sim", "--agents", "1");
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("--agents >= 2");
    }

    private static void assertPercentiles(String out, String name, int n) {
        Matcher m = find(out, Pattern.quote(name) + ":[^\\n]*" + PERCENTILES.pattern());
        assertThat(Integer.parseInt(m.group(1))).as(name + " samples").isEqualTo(n);
        double p50 = Double.parseDouble(m.group(2));
        double p95 = Double.parseDouble(m.group(3));
        double p99 = Double.parseDouble(m.group(4));
        double maxMs = Double.parseDouble(m.group(5));
        assertThat(p50).as(name).isPositive();
        assertThat(p95).as(name).isGreaterThanOrEqualTo(p50);
        assertThat(p99).as(name).isGreaterThanOrEqualTo(p95);
        assertThat(maxMs).as(name).isGreaterThanOrEqualTo(p99).isLessThan(30_000);
    }

    private static double seconds(String out, String name) {
        return Double.parseDouble(find(out, Pattern.quote(name) + ": +([\\d.]+) s").group(1));
    }

    private static Matcher find(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertThat(m.find()).as("/%s/ in:\n%s", regex, out).isTrue();
        return m;
    }
}
