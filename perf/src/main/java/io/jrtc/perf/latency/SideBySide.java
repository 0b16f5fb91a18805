package io.jrtc.perf.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcStats;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.jrtc.testkit.interop.GoProgram;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * jrtc side by side with foreign WebRTC stacks (Pion 3.1, werift, Chromium, Firefox ESR), in one run. For each foreign
 * stack, the same offerer program (the stack's own) runs the same workload against three answerers: jrtc's echo agent
 * (an echo answerer in the harness's JVM, {@link JrtcEchoAnswerer}; default SCTP settings, pacing on), the stack's own echo answerer, and jrtc's echo agent with SCTP pacing off. The
 * offerers run inside a private network namespace, the jrtc agents and the signaling server on the host side of its veth;
 * the foreign echo answerers run inside the namespace too.
 *
 * <p>Workload, per offerer run ({@code perf/peers/bench.js}, {@code perf/peers/pion/bench.go}): {@code --n} sequential
 * connections (setup = RTCPeerConnection created to data channel open; the first is dropped as the offerer's warm-up),
 * then on the last connection's reliable ordered channel {@code --echoes} sequential 32-byte echoes (RTT),
 * {@code --big} 64 KiB messages echoed (65,535 bytes with Pion, which cannot receive 65,536), and {@code --small} 1 KiB
 * messages echoed, each batch sent as fast as {@code bufferedAmount} allows (under 1 MiB) and timed until its last echo.
 *
 * <p>Around each offerer run the namespace's UDP counters ({@code /proc/net/snmp}: RcvbufErrors, InErrors) are read,
 * and, when jrtc answers, jrtc's SCTP counters of the measured connection (retransmitted chunks, fast retransmits, T3
 * expiries) are read just before it closes.
 *
 * <p>Run from the repository root (root needed for the namespace) after {@code mvn -pl perf -am package -DskipTests}
 * and {@code (cd interop && npm ci)}:
 * {@code java -cp perf/target/benchmarks.jar io.jrtc.perf.latency.SideBySide [--peers pion,werift,chromium,firefox]
 * [--pacing both|on] [--n 6] [--echoes 500] [--big 128] [--small 5000] [--order forward|reverse]}. Process output goes to
 * {@code perf/target/side-by-side/processes.log}.
 */
public final class SideBySide {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JRTC = "jrtc";
    private static final String JRTC_NOPACE = "jrtc-nopace";

    private final Path root = Path.of("").toAbsolutePath();
    private final Path work = root.resolve("perf/target/side-by-side");
    private final Path log = work.resolve("processes.log");
    private final int n;
    private final int echoes;
    private final int big;
    private final int small;
    private final List<String> peers;
    private final boolean pacingBoth;
    /** Measure the answerers in reverse order (pacing off first), to separate order effects from pacing. */
    private final boolean reversed;
    private final Map<String, CompletableFuture<Result>> pending = new ConcurrentHashMap<>();
    private final Map<String, JrtcEchoAnswerer> agents = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private PrivateNetwork net;
    private String ws;
    private String http;
    private Path pion;
    private int ids;

    /** What an offerer reported, and jrtc's SCTP counters of that connection when jrtc answered. */
    private record Result(JsonNode json, RtcStats.SctpTransport jrtcSctp) {
    }

    /** One line of the table. */
    private record Row(String pair, List<Double> setup, List<Double> rtt, double bigMBps, int bigSize, double smallPerSec,
            long rcvbufErrors, long inErrors, String jrtcRetransmits, String load, String error) {
    }

    private SideBySide(Map<String, String> opts) {
        n = Integer.parseInt(opts.getOrDefault("n", "6"));
        echoes = Integer.parseInt(opts.getOrDefault("echoes", "500"));
        big = Integer.parseInt(opts.getOrDefault("big", "128"));
        small = Integer.parseInt(opts.getOrDefault("small", "5000"));
        peers = List.of(opts.getOrDefault("peers", "pion,werift,chromium,firefox").split(","));
        pacingBoth = opts.getOrDefault("pacing", "both").equals("both");
        reversed = opts.getOrDefault("order", "forward").equals("reverse");
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
        new SideBySide(opts).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        Files.deleteIfExists(log);
        String loadStart = loadAverage();
        System.out.printf("load average at start: %s%n", loadStart);
        if (peers.contains("pion")) {
            pion = buildPion();
        }
        try (PrivateNetwork n0 = PrivateNetwork.create()) {
            net = n0;
            String host = net.hostAddress().getHostAddress();
            SignalingServer sig = new SignalingServer(SignalingServerConfig.builder().bindHost(host).port(0).build());
            int sigPort = sig.start().get(30, TimeUnit.SECONDS);
            ws = "ws://" + host + ":" + sigPort + "/ws";
            HttpServer web = HttpServer.create(new InetSocketAddress(net.hostAddress(), 0), 16);
            web.createContext("/", this::serve);
            web.start();
            http = "http://" + host + ":" + web.getAddress().getPort();
            try {
                startAgent(JRTC, null, host);
                if (pacingBoth) {
                    startAgent(JRTC_NOPACE, SctpConfig.builder().pacing(false).build(), host);
                }
                for (String kind : peers) {
                    runPeer(kind);
                }
            } finally {
                agents.values().forEach(JrtcEchoAnswerer::close);
                web.stop(0);
                sig.close();
            }
        }
        System.out.printf("load average at end: %s%n%n", loadAverage());
        printTable();
    }

    private void startAgent(String id, SctpConfig sctp, String host) throws Exception {
        JrtcEchoAnswerer a = new JrtcEchoAnswerer(URI.create(ws), id, net.hostAddress(), sctp);
        a.start();
        agents.put(id, a);
    }

    private void runPeer(String kind) throws Exception {
        String echoId = kind + "-echo";
        try (AutoCloseable answerer = startEcho(kind, echoId)) {
            List<String> targets = new ArrayList<>(List.of(JRTC, echoId));
            if (pacingBoth) {
                targets.add(JRTC_NOPACE);
            }
            if (reversed) {
                java.util.Collections.reverse(targets);
            }
            for (String to : targets) {
                String label = kind + " -> " + (to.equals(echoId) ? kind + " (own)" : to.equals(JRTC) ? "jrtc" : "jrtc, pacing off");
                rows.add(measure(kind, to, label));
                Row r = rows.get(rows.size() - 1);
                System.out.println(describe(r));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ one offerer run

    private Row measure(String kind, String to, String label) throws Exception {
        String id = kind + "-off-" + (++ids);
        int bigSize = kind.equals("pion") ? 65_535 : 65_536;
        CompletableFuture<Result> done = new CompletableFuture<>();
        pending.put(id, done);
        long[] before = udp();
        String load = loadAverage();
        Result res;
        try (AutoCloseable p = startOfferer(kind, id, to, bigSize)) {
            res = done.get(300, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            res = null;
        } finally {
            pending.remove(id);
        }
        long[] after = udp();
        if (res == null) {
            return new Row(label, List.of(), List.of(), 0, bigSize, 0, after[0] - before[0], after[1] - before[1], "-", load,
                    "no result in 300 s (see " + log + " and target/interop-logs)");
        }
        JsonNode j = res.json();
        List<Double> setup = doubles(j.path("setup_ms"));
        if (setup.size() > 1) {
            setup = setup.subList(1, setup.size());
        }
        double mbps = 0;
        double perSec = 0;
        if (j.has("big") && j.get("big").path("received").asInt() == j.get("big").path("count").asInt()) {
            mbps = (double) j.get("big").get("size").asLong() * j.get("big").get("count").asLong() / (j.get("big").get("ms").asDouble() / 1e3) / 1e6;
        }
        if (j.has("small") && j.get("small").path("received").asInt() == j.get("small").path("count").asInt()) {
            perSec = j.get("small").get("count").asLong() / (j.get("small").get("ms").asDouble() / 1e3);
        }
        String rtx = "-";
        if (res.jrtcSctp() != null) {
            RtcStats.SctpTransport s = res.jrtcSctp();
            rtx = s.retransmittedChunks() + " rtx (" + s.fastRetransmits() + " fast, " + s.t3Expiries() + " T3) of "
                    + s.packetsSent() + " pkts";
        }
        return new Row(label, setup, doubles(j.path("rtt_ms")), mbps, bigSize, perSec, after[0] - before[0],
                after[1] - before[1], rtx, load, j.hasNonNull("error") ? j.get("error").asText() : null);
    }

    private AutoCloseable startOfferer(String kind, String id, String to, int bigSize) throws IOException {
        String result = http + "/result";
        return switch (kind) {
            case "pion" -> new Proc(id, net.command(pion.toString(), "-mode", "bench", "-ws", ws, "-id", id, "-to", to,
                    "-n", Integer.toString(n), "-echoes", Integer.toString(echoes), "-ip", net.peerAddress().getHostAddress(),
                    "-bigSize", Integer.toString(bigSize), "-bigCount", Integer.toString(big),
                    "-smallCount", Integer.toString(small), "-result", result), Map.of(), log);
            case "werift" -> new Proc(id, net.command("node", root.resolve("perf/peers/werift-bench.mjs").toString(),
                    root.resolve("interop").toString(), "offer", ws, id, to, Integer.toString(n), Integer.toString(echoes),
                    Integer.toString(bigSize), Integer.toString(big), Integer.toString(small), result), Map.of(), log);
            case "chromium", "firefox" -> browser(kind, "mode=offer&ws=" + ws + "&id=" + id + "&to=" + to + "&n=" + n
                    + "&echoes=" + echoes + "&bigSize=" + bigSize + "&bigCount=" + big + "&smallCount=" + small);
            default -> throw new IllegalArgumentException("unknown peer " + kind);
        };
    }

    private AutoCloseable startEcho(String kind, String id) throws Exception {
        AutoCloseable p = switch (kind) {
            case "pion" -> new Proc(id, net.command(pion.toString(), "-mode", "echo", "-ws", ws, "-id", id,
                    "-ip", net.peerAddress().getHostAddress()), Map.of(), log);
            case "werift" -> new Proc(id, net.command("node", root.resolve("perf/peers/werift-bench.mjs").toString(),
                    root.resolve("interop").toString(), "echo", ws, id), Map.of(), log);
            case "chromium", "firefox" -> browser(kind, "mode=echo&ws=" + ws + "&id=" + id);
            default -> throw new IllegalArgumentException("unknown peer " + kind);
        };
        // The offerer waits until the answerer has registered, so no wait is needed here.
        return p;
    }

    private AutoCloseable browser(String kind, String query) throws IOException {
        String url = http + "/bench.html?" + query;
        return kind.equals("chromium") ? RemotePeer.chromium(net, url, false, List.of()) : RemotePeer.firefox(net, url, false);
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private void serve(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (x.getRequestMethod().equals("POST") && path.equals("/result")) {
                JsonNode j = JSON.readTree(x.getRequestBody());
                String peer = j.path("peer").asText();
                String to = j.path("to").asText();
                RtcStats.SctpTransport sctp = null;
                JrtcEchoAnswerer agent = agents.get(to);
                if (agent != null) {
                    Optional<PeerConnection> pc = agent.peerConnection(peer);
                    if (pc.isPresent()) {
                        try {
                            sctp = pc.get().getStats().get(5, TimeUnit.SECONDS).first(RtcStats.SctpTransport.class).orElse(null);
                        } catch (Exception e) {
                            System.err.println("stats of " + peer + " failed: " + e);
                        }
                    }
                }
                CompletableFuture<Result> f = pending.get(peer);
                if (f != null) {
                    f.complete(new Result(j, sctp));
                }
                x.sendResponseHeaders(204, -1);
                return;
            }
            String name = path.equals("/") ? "bench.html" : path.substring(1);
            Path file = root.resolve("perf/peers").resolve(name).normalize();
            if (!file.startsWith(root.resolve("perf/peers")) || !Files.isRegularFile(file)) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "application/octet-stream";
            x.getResponseHeaders().set("content-type", type + "; charset=utf-8");
            x.getResponseHeaders().set("cache-control", "no-store");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ counters, output

    /** The namespace's UDP RcvbufErrors and InErrors. */
    private long[] udp() {
        String s = net.udpCounters(); // "InDatagrams NoPorts ... = 1 2 ..."
        int eq = s.indexOf(" = ");
        if (eq < 0) {
            return new long[] {-1, -1};
        }
        String[] names = s.substring(0, eq).trim().split("\\s+");
        String[] values = s.substring(eq + 3).trim().split("\\s+");
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(names.length, values.length); i++) {
            m.put(names[i], Long.parseLong(values[i]));
        }
        return new long[] {m.getOrDefault("RcvbufErrors", -1L), m.getOrDefault("InErrors", -1L)};
    }

    private static List<Double> doubles(JsonNode a) {
        List<Double> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asDouble()));
        return out;
    }

    private static double pct(List<Double> ms, double p) {
        if (ms.isEmpty()) {
            return Double.NaN;
        }
        Histogram h = new Histogram(3);
        for (double v : ms) {
            h.recordValue(Math.max(1, Math.round(v * 1000))); // microseconds
        }
        return h.getValueAtPercentile(p) / 1e3;
    }

    private static String describe(Row r) {
        return String.format(Locale.ROOT,
                "%-28s setup p50 %7.1f ms (n=%d) | RTT p50 %6.2f p99 %6.2f ms (n=%d) | %s %7.1f MB/s | 1 KiB %8.0f msg/s | "
                        + "ns RcvbufErrors +%d InErrors +%d | jrtc %s | load %s%s",
                r.pair(), pct(r.setup(), 50), r.setup().size(), pct(r.rtt(), 50), pct(r.rtt(), 99), r.rtt().size(),
                r.bigSize() == 65_536 ? "64 KiB" : r.bigSize() + " B", r.bigMBps(), r.smallPerSec(), r.rcvbufErrors(),
                r.inErrors(), r.jrtcRetransmits(), r.load(), r.error() == null ? "" : " | ERROR " + r.error());
    }

    private void printTable() {
        System.out.println("| pair | setup p50 (ms) | RTT p50 (ms) | RTT p99 (ms) | large msgs (MB/s) | 1 KiB msg/s | "
                + "ns RcvbufErrors | jrtc SCTP retransmissions | load |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f | %.2f | %.1f%s | %.0f | %d | %s | %s |%s%n", r.pair(),
                    pct(r.setup(), 50), pct(r.rtt(), 50), pct(r.rtt(), 99), r.bigMBps(),
                    r.bigSize() == 65_536 ? "" : " (" + r.bigSize() + " B)", r.smallPerSec(), r.rcvbufErrors(),
                    r.jrtcRetransmits(), r.load(), r.error() == null ? "" : " ERROR " + r.error());
        }
    }

    private Path buildPion() throws Exception {
        return GoProgram.build(root.resolve("perf/peers/pion"), work.resolve("pion"), "jrtc-perf-pion");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
