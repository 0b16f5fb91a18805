package io.jrtc.perf.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jrtc.testkit.interop.GoProgram;
import io.jrtc.testkit.interop.PrivateNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Connection setup and echo latency of jrtc's {@code ./jrtc echo} against foreign offerers (Pion 3.1, werift,
 * Chromium), each figure beside the same offerer's figure against a Pion echo answerer in the same run. Everything
 * runs in a private network namespace made by the harness (root needed): the answerers on the host side of the veth,
 * the offerers inside the namespace.
 *
 * <p>Scenarios (all by default; {@code --only} picks some):
 * <ul>
 *   <li>{@code warm}: {@code --runs} sequential connections from each offerer ({@code --offerers pion,werift,chromium}) to a long-running {@code ./jrtc echo}
 *       (warmed first by 10 Pion connections) and to a Pion echo; setup = offerer's RTCPeerConnection created to
 *       data channel open, as the offerer measures it. The offerer's first connection is dropped (its own warm-up).
 *       {@code --warm-echo-args "..."} adds options to that echo's command line.</li>
 *   <li>{@code tail}: {@code --echoes} sequential 32-byte echoes from a Pion offerer through each answerer.</li>
 *   <li>{@code fresh}: Chromium's first connection to a freshly started {@code ./jrtc echo} ({@code --fresh} times per
 *       start-up mode: class-data cache and warm-up, cache only, neither; {@code --warmups 3,10} instead runs only the
 *       cache + warm-up mode with each number of warm-up connections), and to a fresh Pion echo process.</li>
 *   <li>{@code agent}: {@code ./jrtc agent} to a fresh {@code ./jrtc echo}: wall time from starting the agent's JVM to
 *       its channel open, with and without the class-data cache.</li>
 * </ul>
 *
 * <p>Run from the repository root after {@code mvn -pl cli,perf -am package -DskipTests} and
 * {@code (cd interop && npm ci)}: {@code java -cp perf/target/benchmarks.jar io.jrtc.perf.latency.ForeignPeerLatency}.
 * Process output goes to {@code perf/target/latency/processes.log}.
 */
public final class ForeignPeerLatency {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root = Path.of("").toAbsolutePath();
    private final Path work = root.resolve("perf/target/latency");
    private final Path log = work.resolve("processes.log");
    private final Map<String, String> opts;
    private final int runs;
    private final int echoes;
    private final int fresh;
    private final int agents;
    private PrivateNetwork net;
    private String host;
    private String ws;
    private Path pion;
    private int ids;

    private ForeignPeerLatency(Map<String, String> opts) {
        this.opts = opts;
        runs = Integer.parseInt(opts.getOrDefault("runs", "20"));
        echoes = Integer.parseInt(opts.getOrDefault("echoes", "1000"));
        fresh = Integer.parseInt(opts.getOrDefault("fresh", "5"));
        agents = Integer.parseInt(opts.getOrDefault("agents", "5"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String why = PrivateNetwork.unavailableReason();
        if (why != null) {
            System.err.println("cannot run: " + why);
            System.exit(2);
        }
        new ForeignPeerLatency(opts).run();
    }

    private boolean wants(String scenario) {
        String only = opts.get("only");
        return only == null || List.of(only.split(",")).contains(scenario);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        Files.deleteIfExists(log);
        System.out.printf("load average at start: %s%n", loadAverage());
        pion = buildPion();
        try (PrivateNetwork n = PrivateNetwork.create()) {
            net = n;
            host = n.hostAddress().getHostAddress();
            Proc pcap = opts.containsKey("pcap") ? new Proc("tcpdump", List.of("tcpdump", "-i", "any", "-U", "-s", "256",
                    "-w", opts.get("pcap"), "host", host), Map.of(), log) : null;
            try (Proc sig = jrtc("signaling", Map.of(), "signaling", "--host", host, "--port", "0")) {
                Proc.Line l = sig.await(s -> s.startsWith("LISTENING "), 120_000);
                if (l == null) {
                    throw new IllegalStateException("signaling server did not start (see " + log + ")");
                }
                ws = "ws://" + host + ":" + l.text().substring("LISTENING ".length()).trim() + "/ws";
                if (wants("warm") || wants("tail")) {
                    warmAndTail();
                }
                if (wants("fresh")) {
                    freshEcho();
                }
                if (wants("agent")) {
                    agentEndToEnd();
                }
            } finally {
                if (pcap != null) {
                    pcap.close();
                }
            }
        }
        System.out.printf("load average at end: %s%n", loadAverage());
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    private void warmAndTail() throws Exception {
        List<String> echoArgs = new ArrayList<>(List.of("echo", "--signaling", ws, "--bind", host, "--id", "echo"));
        if (opts.containsKey("warm-echo-args")) {
            echoArgs.addAll(List.of(opts.get("warm-echo-args").trim().split("\\s+")));
        }
        try (Proc echo = jrtc("echo", Map.of(), echoArgs.toArray(String[]::new));
             Proc pionEcho = new Proc("pion-echo", List.of(pion.toString(), "-mode", "echo", "-ws", ws, "-id", "pion-echo",
                     "-ip", host), Map.of(), log)) {
            require(echo.await(s -> s.contains("registered at"), 120_000), "jrtc echo registration");
            int idle = echoArgs.indexOf("--idle-warm-up");
            if (idle < 0 || !echoArgs.get(idle + 1).equals("0")) {
                // a long-running echo: its idle-time warm-up (about 4 s of one core) has finished
                long w0 = System.nanoTime();
                Proc.Line done = echo.await(s -> s.contains("idle-time warm-up done"), 120_000);
                System.out.printf("echo's idle-time warm-up %s after %d ms%n", done == null ? "NOT seen" : "done",
                        (System.nanoTime() - w0) / 1_000_000);
            }
            require(pionEcho.await(s -> s.equals("REGISTERED"), 30_000), "pion echo registration");
            offerer("pion", "echo", 10, 0); // warms the long-running echo: these are not counted
            if (wants("warm")) {
                System.out.printf("%nwarm: offerer's RTCPeerConnection created -> data channel open, %d connections each "
                        + "(the offerer's first dropped)%n", runs);
                for (String kind : opts.getOrDefault("offerers", "pion,werift,chromium").split(",")) {
                    for (String to : List.of("echo", "pion-echo")) {
                        List<JsonNode> r = offerer(kind, to, runs + 1, 0);
                        List<JsonNode> counted = r.subList(Math.min(1, r.size()), r.size());
                        print(kind + " -> " + (to.equals("echo") ? "jrtc echo" : "pion echo"), setupTimes(counted));
                        if (kind.equals("pion")) {
                            printSteps(counted);
                        }
                    }
                }
            }
            if (wants("tail")) {
                System.out.printf("%ntail: %d sequential 32-byte echoes from a Pion offerer, RTT%n", echoes);
                for (int round = 0; round < 2; round++) {
                    // A-B, then B-A: each answerer once runs first, right after the previous scenario's offerer
                    // processes (Chromium's) have exited, when the machine is busiest
                    for (String to : round == 0 ? List.of("pion-echo", "echo") : List.of("echo", "pion-echo")) {
                        List<JsonNode> r = offerer("pion", to, 1, echoes);
                        List<Double> rtt = new ArrayList<>();
                        if (!r.isEmpty() && r.get(0).has("rtt_ms")) {
                            r.get(0).get("rtt_ms").forEach(x -> rtt.add(x.asDouble()));
                        }
                        print("pion -> " + (to.equals("echo") ? "jrtc echo" : "pion echo") + " #" + (round + 1), rtt);
                    }
                }
            }
        }
    }

    private void freshEcho() throws Exception {
        System.out.printf("%nfresh: Chromium's first connection to a freshly started answerer, %d starts per mode "
                + "(start = process spawned -> registered)%n", fresh);
        record Mode(String label, Map<String, String> env, List<String> extra) {
        }
        List<Mode> modes = new ArrayList<>();
        for (String w : opts.getOrDefault("warmups", "3").split(",")) {
            modes.add(new Mode("jrtc echo (class-data cache + warm-up " + w + ")", Map.of(), List.of("--warm-up", w)));
        }
        if (!opts.containsKey("warmups")) {
            modes.add(new Mode("jrtc echo (class-data cache only)", Map.of(), List.of("--warm-up", "0")));
            modes.add(new Mode("jrtc echo (neither)", Map.of("JRTC_CDS", "0"), List.of("--warm-up", "0")));
        }
        for (Mode m : modes) {
            List<Double> setup = new ArrayList<>();
            List<Double> start = new ArrayList<>();
            for (int i = 0; i < fresh; i++) {
                String id = "fresh-" + (++ids);
                List<String> args = new ArrayList<>(List.of("echo", "--signaling", ws, "--bind", host, "--id", id));
                args.addAll(m.extra());
                try (Proc echo = jrtc(id, m.env(), args.toArray(String[]::new))) {
                    Proc.Line reg = require(echo.await(s -> s.contains("registered at"), 120_000), id + " registration");
                    start.add((reg.at() - echo.startedAt) / 1e6);
                    setup.addAll(setupTimes(offerer("chromium", id, 1, 0)));
                }
            }
            print("chromium -> " + m.label(), setup);
            print("   start of " + m.label(), start);
        }
        List<Double> setup = new ArrayList<>();
        List<Double> start = new ArrayList<>();
        for (int i = 0; i < fresh; i++) {
            String id = "fresh-pion-" + (++ids);
            try (Proc p = new Proc(id, List.of(pion.toString(), "-mode", "echo", "-ws", ws, "-id", id, "-ip", host), Map.of(), log)) {
                Proc.Line reg = require(p.await(s -> s.equals("REGISTERED"), 30_000), id + " registration");
                start.add((reg.at() - p.startedAt) / 1e6);
                setup.addAll(setupTimes(offerer("chromium", id, 1, 0)));
            }
        }
        print("chromium -> pion echo (fresh process)", setup);
        print("   start of pion echo", start);
    }

    private void agentEndToEnd() throws Exception {
        System.out.printf("%nagent: ./jrtc agent -> a fresh ./jrtc echo, %d runs per mode; wall = agent JVM spawned -> "
                + "channel open; setup = the agent's own createOffer -> open%n", agents);
        for (boolean cds : List.of(true, false)) {
            List<Double> wall = new ArrayList<>();
            List<Double> own = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                String id = "fresh-" + (++ids);
                // the echo only answers; its idle-time warm-up would take a core from the agent's JVM start on this
                // 2-core machine (on separate machines it would not), so it is off here
                try (Proc echo = jrtc(id, Map.of(), "echo", "--signaling", ws, "--bind", host, "--id", id,
                        "--idle-warm-up", "0")) {
                    require(echo.await(s -> s.contains("registered at"), 120_000), id + " registration");
                    Map<String, String> env = cds ? Map.of() : Map.of("JRTC_CDS", "0");
                    try (Proc agent = jrtc("agent-" + id, env, "agent", "--signaling", ws, "--bind", host, "--to", id)) {
                        Proc.Line open = agent.await(s -> s.contains("open after"), 60_000);
                        if (open != null) {
                            wall.add((open.at() - agent.startedAt) / 1e6);
                            String t = open.text().replaceAll(".*open after ([0-9.]+) ms.*", "$1");
                            own.add(Double.parseDouble(t));
                        }
                        agent.waitFor(60_000);
                    }
                }
            }
            String label = cds ? "with class-data cache" : "without (JRTC_CDS=0)";
            print("agent wall " + label, wall);
            print("agent setup " + label, own);
        }
    }

    // ------------------------------------------------------------------------------------------------ offerers

    /** Runs one offerer process inside the namespace; returns its JSON result lines. */
    private List<JsonNode> offerer(String kind, String to, int n, int echoCount) throws Exception {
        String id = kind + "-" + (++ids);
        String peerIp = net.peerAddress().getHostAddress();
        Path profile = kind.equals("chromium") ? Files.createTempDirectory("jrtc-latency-chromium") : null;
        List<String> cmd = switch (kind) {
            case "pion" -> net.command(pion.toString(), "-mode", "offer", "-ws", ws, "-id", id, "-to", to,
                    "-n", Integer.toString(n), "-echoes", Integer.toString(echoCount), "-ip", peerIp);
            case "werift" -> net.command("node", root.resolve("perf/peers/werift-offerer.mjs").toString(),
                    root.resolve("interop").toString(), ws, id, to, Integer.toString(n), Integer.toString(echoCount));
            case "chromium" -> {
                String page = root.resolve("perf/peers/offerer.html").toUri() + "?ws=" + ws + "&id=" + id + "&to=" + to
                        + "&n=" + n + "&echoes=" + echoCount;
                yield net.command("chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--user-data-dir=" + profile, "--disable-features=WebRtcHideLocalIpsWithMdns",
                        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE " + host, "--disable-extensions",
                        "--disable-default-apps", "--no-pings", "--disable-domain-reliability",
                        "--disable-client-side-phishing-detection", "--allow-file-access-from-files",
                        "--enable-logging=stderr", "--v=0", page);
            }
            default -> throw new IllegalArgumentException(kind);
        };
        List<JsonNode> out = new ArrayList<>();
        try (Proc p = new Proc(id, cmd, Map.of(), log)) {
            long timeout = 60_000L + 15_000L * n;
            if (kind.equals("chromium")) {
                p.await(s -> s.contains("\"DONE\"") || s.contains("FAILED"), timeout);
            } else {
                p.waitFor(timeout);
            }
            for (Proc.Line l : p.lines()) {
                String t = l.text();
                int i = t.indexOf('{');
                if (i >= 0 && t.contains("\"setup_ms\"")) {
                    String json = t.substring(i);
                    int end = json.lastIndexOf('}');
                    out.add(JSON.readTree(json.substring(0, end + 1)));
                }
            }
        } finally {
            if (profile != null) {
                deleteTree(profile);
            }
        }
        for (JsonNode r : out) {
            if (r.has("error")) {
                System.out.printf("  %s -> %s run %d: %s%n", kind, to, r.path("run").asInt(), r.get("error").asText());
            }
        }
        return out;
    }

    /** Medians of the steps a Pion offerer marks (ms after its RTCPeerConnection was created). */
    private static void printSteps(List<JsonNode> results) {
        StringBuilder b = new StringBuilder("      steps, p50 ms after the offerer's PC was created:");
        for (String step : List.of("answer_ms", "first_candidate_ms", "ice_connected_ms", "connected_ms", "setup_ms")) {
            Histogram h = new Histogram(3);
            for (JsonNode r : results) {
                if (r.hasNonNull(step) && !r.has("error") && r.get(step).asDouble() > 0) {
                    h.recordValue(Math.round(r.get(step).asDouble() * 1000));
                }
            }
            if (h.getTotalCount() > 0) {
                b.append(String.format(Locale.ROOT, " %s %.2f", step.replace("_ms", ""), h.getValueAtPercentile(50) / 1000.0));
            }
        }
        System.out.println(b);
    }

    private static List<Double> setupTimes(List<JsonNode> results) {
        List<Double> s = new ArrayList<>();
        for (JsonNode r : results) {
            if (r.hasNonNull("setup_ms") && !r.has("error")) {
                s.add(r.get("setup_ms").asDouble());
            }
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Proc jrtc(String name, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("jrtc").toString()));
        cmd.addAll(List.of(args));
        Map<String, String> e = new HashMap<>(env);
        e.put("JRTC_NO_BUILD", "1");
        return new Proc(name, cmd, e, log);
    }

    private Path buildPion() throws Exception {
        return GoProgram.build(root.resolve("perf/peers/pion"), work.resolve("pion"), "jrtc-perf-pion");
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalStateException(what + " timed out");
        }
        return value;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void print(String label, List<Double> ms) {
        if (ms.isEmpty()) {
            System.out.printf("  %-56s n=0%n", label);
            return;
        }
        Histogram h = new Histogram(3);
        for (double v : ms) {
            h.recordValue(Math.max(1, Math.round(v * 1000))); // microseconds
        }
        System.out.printf(Locale.ROOT, "  %-56s n=%-4d min %8.2f  p50 %8.2f  p95 %8.2f  p99 %8.2f  max %8.2f ms%n", label,
                h.getTotalCount(), h.getMinValue() / 1e3, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(95) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
    }
}
