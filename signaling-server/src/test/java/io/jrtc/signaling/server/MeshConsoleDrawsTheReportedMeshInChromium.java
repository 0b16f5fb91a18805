package io.jrtc.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The page's mesh console in a real browser: ten agents registered over WebSocket each report their links to the
 * two agents either side of them on a ring (every link reported by both ends: 20 links), with modes and RTTs;
 * headless Chromium, in a private network namespace, loads the page, and the test reads the counts the page drew from
 * its DOM ({@code --dump-dom}: agents, links, modes, the summary) and takes a screenshot
 * ({@code target/mesh-console.png}). The agents here speak the protocol directly: what is under test is the server's
 * {@code /mesh} and the page; mesh agents send the same {@code link_report}.
 */
class MeshConsoleDrawsTheReportedMeshInChromium {

    private static final int AGENTS = 10;
    private final Servers servers = new Servers();
    private final List<RawWebSocket> sockets = new ArrayList<>();

    @AfterEach
    void tearDown() {
        sockets.forEach(RawWebSocket::close);
        servers.close();
    }

    private static String id(int i) {
        return "agent-" + Math.floorMod(i, AGENTS);
    }

    /** The link between ring neighbours i and i+1 is LOW for i = 0, MEDIUM for i = 1, else HIGH; chords are HIGH. */
    private static String mode(int i, int j) {
        int lo = Math.min(Math.floorMod(i, AGENTS), Math.floorMod(j, AGENTS));
        int hi = Math.max(Math.floorMod(i, AGENTS), Math.floorMod(j, AGENTS));
        if (hi - lo == 1 || hi - lo == AGENTS - 1) {
            int first = hi - lo == 1 ? lo : hi;
            return first == 0 ? "LOW" : first == 1 ? "MEDIUM" : "HIGH";
        }
        return "HIGH";
    }

    @Test
    void theConsoleShowsTenAgentsAndTwentyLinks() throws Exception {
        Interop.requirePeer(RemotePeer.Kind.CHROMIUM);
        try (PrivateNetwork net = PrivateNetwork.create()) {
            String host = net.hostAddress().getHostAddress();
            SignalingServer s = servers.start(SignalingServerConfig.builder().bindHost(host).port(0));
            for (int i = 0; i < AGENTS; i++) {
                RawWebSocket ws = RawWebSocket.connect(SocketFactory.getDefault(), host, s.boundPort(), "/ws");
                sockets.add(ws);
                ws.sendJson("{\"type\":\"register\",\"agent_id\":\"" + id(i) + "\"}");
                StringBuilder links = new StringBuilder();
                for (int d : new int[] {-2, -1, 1, 2}) {
                    links.append(links.isEmpty() ? "" : ",").append("{\"agent\":\"").append(id(i + d))
                            .append("\",\"mode\":\"").append(mode(i, i + d)).append("\",\"rtt_ms\":")
                            .append(0.5 + Math.abs(d)).append('}');
                }
                // revision 6: agent-3 reports its NAT behaviour too
                ws.sendJson("{\"type\":\"link_report\",\"links\":[" + links + "]" + (i == 3
                        ? ",\"nat\":{\"status\":\"complete\",\"mapping\":\"address-dependent\",\"filtering\":\"endpoint-independent\"}"
                        : "") + "}");
            }
            // every report is in before the browser looks
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String mesh = Servers.get(host, s.boundPort(), "/mesh").body();
            while (count(mesh, "\"reported_ms_ago\":\\d") < AGENTS && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // no push: ask again
                mesh = Servers.get(host, s.boundPort(), "/mesh").body();
            }
            assertThat(count(mesh, "\"reported_ms_ago\":\\d")).as("/mesh: %s", mesh).isEqualTo(AGENTS);

            String url = "http://" + host + ":" + s.boundPort() + "/";
            Path shot = Path.of("target", "mesh-console.png").toAbsolutePath();
            Files.createDirectories(shot.getParent());
            Files.deleteIfExists(shot);
            String dom = chromium(net, "--dump-dom", url);
            chromium(net, "--screenshot=" + shot, url);

            Matcher summary = Pattern.compile("id=\"mesh-summary\"[^>]*data-agents=\"(\\d+)\"[^>]*data-links=\"(\\d+)\"[^>]*>([^<]*)<")
                    .matcher(dom);
            assertThat(summary.find()).as("the summary in the page's DOM:%n%s", dom).isTrue();
            assertThat(summary.group(1)).isEqualTo("10");
            assertThat(summary.group(2)).isEqualTo("20");
            assertThat(summary.group(3)).startsWith("10 agents, 20 links (18 HIGH, 1 MEDIUM, 1 LOW)");
            assertThat(count(dom, "<circle[^>]*class=\"agent\"")).as("agents drawn").isEqualTo(AGENTS);
            assertThat(count(dom, "<line[^>]*class=\"link mode-high\"")).as("HIGH links drawn").isEqualTo(18);
            assertThat(count(dom, "<line[^>]*class=\"link mode-medium\"")).isEqualTo(1);
            assertThat(count(dom, "<line[^>]*class=\"link mode-low\"")).isEqualTo(1);
            assertThat(dom).contains("data-a=\"agent-0\" data-b=\"agent-1\" data-mode=\"LOW\"");
            // agent-3's dot carries its NAT behaviour, in its data attributes and its tooltip; no other dot has any
            assertThat(dom).containsPattern("<circle[^>]*data-id=\"agent-3\" data-nat-mapping=\"address-dependent\" "
                    + "data-nat-filtering=\"endpoint-independent\"[^>]*><title>agent-3; NAT mapping address-dependent, "
                    + "filtering endpoint-independent \\(complete\\)</title>");
            assertThat(count(dom, "data-nat-mapping")).isEqualTo(1);
            byte[] png = Files.readAllBytes(shot);
            assertThat(png.length).as("a PNG screenshot at %s", shot).isGreaterThan(8_000);
            assertThat(png[1]).isEqualTo((byte) 'P');
        }
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Runs headless Chromium in the namespace on {@code url} with a virtual-time budget for the page's first poll. */
    private static String chromium(PrivateNetwork net, String mode, String url) throws Exception {
        Path profile = Files.createTempDirectory("jrtc-console");
        List<String> argv = net.command(RemotePeer.CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--window-size=1280,1600", "--virtual-time-budget=5000", "--user-data-dir=" + profile, mode, url);
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("Chromium %s finished", mode).isTrue();
        return out;
    }
}
