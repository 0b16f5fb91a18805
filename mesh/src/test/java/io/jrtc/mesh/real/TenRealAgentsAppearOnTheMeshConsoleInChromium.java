package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The signaling server's mesh console drawing a real mesh: ten real {@link MeshAgent}s (degree 3, a quality round every
 * 300 ms, so link reports come quickly) register at an embedded signaling server bound on the host end of a
 * {@link PrivateNetwork}; headless Chromium inside the namespace loads the console page ({@code /}), and the test reads
 * what the page drew from its DOM ({@code --dump-dom}). It waits, bounded, for the DOM to show what the agents report:
 * ten agent nodes and one line per undirected link (a link both ends report drawn once, with the worse mode), the same
 * link set as {@code GET /mesh} just before and just after the page was read (the overlay may still move). Then a
 * screenshot ({@code target/mesh-console-real-agents.png}) and the modes and RTTs of the drawn links.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TenRealAgentsAppearOnTheMeshConsoleInChromium {

    private static final int AGENTS = 10;
    private static final Pattern AGENT = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"reported_ms_ago\":(null|\\d+),"
            + "\"links\":\\[([^\\]]*)](?:,\"nat\":(?:null|\\{[^}]*}))?}");
    private static final Pattern LINK = Pattern.compile(
            "\\{\"agent\":\"([^\"]+)\",\"mode\":\"([A-Z_]+)\",\"rtt_ms\":([^}]+)}");
    private static final Pattern LINE = Pattern.compile("<line ([^>]*)>");
    private static final Pattern ATTR = Pattern.compile("([a-z0-9-]+)=\"([^\"]*)\"");
    private static final Pattern SUMMARY = Pattern.compile(
            "id=\"mesh-summary\"[^>]*data-agents=\"(\\d+)\"[^>]*data-links=\"(\\d+)\"[^>]*>([^<]*)<");
    private static final Map<String, Integer> RANK = Map.of("LOW", 0, "MEDIUM", 1, "HIGH", 2);

    /** One undirected link as the page draws it: ends sorted, the worse of the two reported modes. */
    private record Drawn(String mode, String rttMs) {
    }

    @Test
    void consoleDrawsEveryReportedLinkOnceWithItsModeAndRtt() throws Exception {
        Interop.requirePrivateNetwork();
        Interop.requirePeer(RemotePeer.Kind.CHROMIUM);
        long began = System.nanoTime();
        try (PrivateNetwork net = PrivateNetwork.create();
                RealMesh mesh = new RealMesh(b -> b.bindHost(net.hostAddress().getHostAddress()))) {
            String host = net.hostAddress().getHostAddress();
            int port = mesh.server.boundPort();
            for (int i = 0; i < AGENTS; i++) {
                mesh.start(mesh.config(Identity.generate(), i).name("agent" + i).degree(3)
                        .qualityInterval(Duration.ofMillis(300)).build());
            }
            RealMesh.await("ten agents form one overlay", Duration.ofSeconds(25), mesh::settled);
            RealMesh.await("/mesh shows each agent's neighbours", Duration.ofSeconds(10),
                    () -> reportsMatchNeighbours(mesh, RealMesh.get(host, port, "/mesh")));

            // the condition: the page's DOM shows the link set /mesh shows before and after it was read
            String url = "http://" + host + ":" + port + "/";
            String dom = null;
            Map<String, Drawn> expected = null;
            Map<String, Drawn> drawn = null;
            Set<String> held = null; // what the agents themselves hold, each undirected link once
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int attempt = 1; ; attempt++) {
                Map<String, Drawn> before = undirected(RealMesh.get(host, port, "/mesh"));
                dom = chromium(net, "--dump-dom", url);
                Map<String, Drawn> after = undirected(RealMesh.get(host, port, "/mesh"));
                held = held(mesh);
                drawn = drawnLinks(dom);
                if (before.keySet().equals(after.keySet()) && drawn.keySet().equals(before.keySet())
                        && held.equals(before.keySet())
                        && count(dom, "<circle[^>]*class=\"agent\"") == AGENTS) {
                    expected = before;
                    System.out.println("console matched /mesh on attempt " + attempt);
                    break;
                }
                System.out.println("attempt " + attempt + ": DOM " + drawn.size() + " links, "
                        + count(dom, "<circle[^>]*class=\"agent\"") + " agents; /mesh before " + before.size()
                        + ", after " + after.size() + " links; agents hold " + held.size() + "; same set "
                        + drawn.keySet().equals(before.keySet()));
                assertThat(System.nanoTime()).as("the page's DOM shows /mesh's links within 20 s; last DOM links %s, "
                        + "/mesh before %s, after %s", drawn.keySet(), before.keySet(), after.keySet())
                        .isLessThan(deadline);
            }

            Path shot = Path.of("target", "mesh-console-real-agents.png").toAbsolutePath();
            Files.createDirectories(shot.getParent());
            Files.deleteIfExists(shot);
            chromium(net, "--screenshot=" + shot, url);

            Matcher summary = SUMMARY.matcher(dom);
            assertThat(summary.find()).as("the summary in the page's DOM:%n%s", dom).isTrue();
            int links = expected.size();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            System.out.println("console: " + summary.group(3) + "; links " + new TreeMap<>(drawn) + "; agents hold "
                    + held.size() + "; screenshot " + shot + "; " + ms + " ms");
            assertThat(summary.group(1)).isEqualTo(String.valueOf(AGENTS));
            assertThat(summary.group(2)).isEqualTo(String.valueOf(links));
            // connected, and at most degree + 2 links per agent, each link counted once
            assertThat(links).as("links of ten agents of degree 3").isBetween(AGENTS - 1, AGENTS * 5 / 2);
            assertThat(held).as("the links the agents held when the page was read")
                    .isEqualTo(expected.keySet());
            assertThat(count(dom, "<circle[^>]*class=\"agent\"")).as("agents drawn").isEqualTo(AGENTS);
            assertThat(count(dom, "<circle[^>]*class=\"agent silent\"")).as("agents drawn without a report").isZero();
            assertThat(count(dom, "<line[^>]*class=\"link mode-")).as("links drawn").isEqualTo(links);
            long high = drawn.values().stream().filter(d -> d.mode().equals("HIGH")).count();
            long medium = drawn.values().stream().filter(d -> d.mode().equals("MEDIUM")).count();
            long low = drawn.values().stream().filter(d -> d.mode().equals("LOW")).count();
            assertThat(high + medium + low).as("every drawn link has a mode").isEqualTo(links);
            assertThat(summary.group(3)).startsWith(AGENTS + " agents, " + links + " links (" + high + " HIGH, "
                    + medium + " MEDIUM, " + low + " LOW)");
            for (Map.Entry<String, Drawn> e : drawn.entrySet()) {
                assertThat(e.getValue().rttMs()).as("RTT drawn for %s", e.getKey()).isNotNull();
                assertThat(Double.parseDouble(e.getValue().rttMs())).as("RTT of %s", e.getKey())
                        .isGreaterThan(0).isLessThan(1000);
            }
            assertThat(dom).as("an RTT in a link's title").containsPattern("<title>[^<]+: (HIGH|MEDIUM|LOW), RTT \\d");
            byte[] png = Files.readAllBytes(shot);
            assertThat(png.length).as("a PNG screenshot at %s", shot).isGreaterThan(8_000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    /** The links the agents hold right now, each undirected link once, by signaling ids. */
    private static Set<String> held(RealMesh mesh) {
        Set<String> held = new HashSet<>();
        for (MeshAgent a : mesh.agents) {
            for (AgentId n : a.neighbours()) {
                held.add(key(a.signalingId(), mesh.agent(mesh.indexOf(n)).signalingId()));
            }
        }
        return held;
    }

    /** Whether every agent has a report whose links are exactly its current neighbours, by signaling id. */
    private static boolean reportsMatchNeighbours(RealMesh mesh, String json) {
        Map<String, Set<String>> reported = new HashMap<>();
        Matcher a = AGENT.matcher(json);
        while (a.find()) {
            if (!a.group(2).equals("null")) {
                Set<String> peers = new HashSet<>();
                Matcher l = LINK.matcher(a.group(3));
                while (l.find()) {
                    peers.add(l.group(1));
                }
                reported.put(a.group(1), peers);
            }
        }
        for (MeshAgent agent : mesh.agents) {
            Set<String> expected = new HashSet<>();
            for (AgentId n : agent.neighbours()) {
                expected.add(mesh.agent(mesh.indexOf(n)).signalingId());
            }
            if (expected.isEmpty() || !expected.equals(reported.get(agent.signalingId()))) {
                return false;
            }
        }
        return true;
    }

    /** {@code /mesh} as the page models it: one entry per undirected link, the worse mode and the higher RTT. */
    private static Map<String, Drawn> undirected(String json) {
        Map<String, Drawn> out = new HashMap<>();
        Matcher a = AGENT.matcher(json);
        while (a.find()) {
            Matcher l = LINK.matcher(a.group(3));
            while (l.find()) {
                String k = key(a.group(1), l.group(1));
                String rtt = l.group(3).equals("null") ? null : l.group(3);
                Drawn old = out.get(k);
                if (old == null) {
                    out.put(k, new Drawn(l.group(2), rtt));
                } else {
                    String mode = RANK.getOrDefault(l.group(2), -1) < RANK.getOrDefault(old.mode(), -1)
                            ? l.group(2) : old.mode();
                    String worse = old.rttMs() == null || (rtt != null
                            && Double.parseDouble(rtt) > Double.parseDouble(old.rttMs())) ? rtt : old.rttMs();
                    out.put(k, new Drawn(mode, worse));
                }
            }
        }
        return out;
    }

    /** The page's {@code <line>} elements: {@code data-a|data-b} to mode and {@code data-rtt-ms}. */
    private static Map<String, Drawn> drawnLinks(String dom) {
        Map<String, Drawn> out = new HashMap<>();
        Matcher line = LINE.matcher(dom);
        while (line.find()) {
            Map<String, String> attrs = new HashMap<>();
            Matcher at = ATTR.matcher(line.group(1));
            while (at.find()) {
                attrs.put(at.group(1), at.group(2));
            }
            if (attrs.containsKey("data-a") && attrs.containsKey("data-b")) {
                out.put(key(attrs.get("data-a"), attrs.get("data-b")),
                        new Drawn(attrs.get("data-mode"), attrs.get("data-rtt-ms")));
            }
        }
        return out;
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Headless Chromium inside the namespace on {@code url} (the page's first {@code /mesh} poll within a virtual-time
     * budget); its standard output, e.g. the DOM. Killed if it has not finished within 30 s.
     */
    private static String chromium(PrivateNetwork net, String mode, String url) throws Exception {
        Path dir = Files.createTempDirectory("jrtc-mesh-console");
        Path out = dir.resolve("stdout");
        List<String> argv = new ArrayList<>(net.command(RemotePeer.CHROMIUM.toString(), "--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--no-pings", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,1600",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE " + net.hostAddress().getHostAddress(),
                "--virtual-time-budget=3000", "--user-data-dir=" + dir.resolve("profile"), mode, url));
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("Chromium " + mode + " did not finish within 30 s");
            }
            return Files.readString(out);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.onExit().get(10, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
