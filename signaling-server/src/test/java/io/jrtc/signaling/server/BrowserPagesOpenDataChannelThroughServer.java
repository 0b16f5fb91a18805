package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.jrtc.testkit.interop.Interop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page in headless Chromium, twice: page B registers as {@code echo-b}; page A opens
 * {@code /?id=web-a&auto=echo-b&count=20}, connects to B through the signaling server (offer, answer, trickled
 * candidates and end-of-candidates both ways), sends 20 messages over an RTCDataChannel, gets each echoed
 * back by page B, reads getStats() and POSTs a summary to {@code /results}.
 *
 * <p>Chromium gathers no ICE candidates on loopback, so everything (the server in its own JVM and both
 * browsers) runs inside a private network namespace holding a veth pair (10.77.0.1/10.77.0.2), per
 * INTEROP.md, plus a default route into the pair (without one Chromium gathers no host candidate at all);
 * nothing leaves the namespace. Needs root with unshare, ip and chromium
 * ({@link Interop}: skipped without them, failed with {@code JRTC_REQUIRE_INTEROP=1}).
 */
class BrowserPagesOpenDataChannelThroughServer {

    private static final int COUNT = 20;

    @Test
    void twoChromiumPagesExchangeMessagesOverADataChannel(@TempDir Path dir) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Interop.requirePrivateNetwork();
        Interop.requireExecutable("unshare", Path.of("/usr/bin/unshare"), "apt-get install util-linux");
        Interop.requireExecutable("chromium", chromium, "apt-get install chromium");
        Path script = dir.resolve("run.sh");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/unshare", "-n", "/usr/bin/bash", script.toString()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.out").toFile());
        pb.environment().put("JAVA", java);
        pb.environment().put("CP", cp);
        pb.environment().put("CHROMIUM", chromium.toString());
        pb.environment().put("COUNT", Integer.toString(COUNT));
        pb.environment().put("WORK", dir.toString());
        Process p = pb.start();
        boolean finished = p.waitFor(150, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("run.out"));
        Interop.require("network namespace", !out.contains("NETNS-UNAVAILABLE"), "cannot create one here: " + out);
        String results = out.lines().filter(l -> l.startsWith("RESULTS ")).findFirst()
                .map(l -> l.substring("RESULTS ".length()))
                .orElseThrow(() -> new AssertionError("no results; script output:\n" + out + "\nserver log:\n"
                        + readQuietly(dir.resolve("server.log")) + "\nchrome A:\n" + readQuietly(dir.resolve("chrome-a.log"))));
        JsonNode summary = RawWebSocket.JSON.readTree(results).get(0).get("summary");
        assertThat(summary.get("ok").asBoolean()).as("summary %s", summary).isTrue();
        assertThat(summary.get("agent").asText()).isEqualTo("web-a");
        assertThat(summary.get("peer").asText()).isEqualTo("echo-b");
        assertThat(summary.get("sent").asInt()).isEqualTo(COUNT);
        assertThat(summary.get("received").asInt()).isEqualTo(COUNT);
        assertThat(summary.get("rtts")).hasSize(COUNT);
        assertThat(summary.get("rtt_ms").get("p50").asDouble()).isGreaterThan(0).isLessThan(5000);
        assertThat(summary.get("agents_seen")).extracting(JsonNode::asText).contains("echo-b");
        JsonNode stats = summary.get("stats");
        assertThat(stats.get("state").asText()).isEqualTo("succeeded");
        assertThat(stats.get("local").get("address").asText()).startsWith("10.77.0.");
        assertThat(stats.get("remote").get("address").asText()).startsWith("10.77.0.");
        assertThat(stats.get("bytesSent").asLong()).isGreaterThan(0);
        assertThat(stats.get("bytesReceived").asLong()).isGreaterThan(0);
        // the signaling went through our server: one offer, one answer, candidates both ways
        String metrics = out.lines().filter(l -> l.startsWith("METRIC ")).map(l -> l.substring(7))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(metrics).contains("jrtc_signaling_messages_relayed_total{type=\"offer\"} 1.0")
                .contains("jrtc_signaling_messages_relayed_total{type=\"answer\"} 1.0");
        double candidates = metrics.lines().filter(l -> l.contains("type=\"candidate\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(candidates).as("trickled candidates plus two end-of-candidates").isGreaterThanOrEqualTo(4);
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(none)";
        }
    }

    private static final String SCRIPT = """
            #!/usr/bin/env bash
            # Runs inside `unshare -n`: a fresh network namespace with only what we add here.
            set -u
            ip link set lo up || { echo NETNS-UNAVAILABLE; exit 0; }
            ip link add v0 type veth peer name v1 || { echo NETNS-UNAVAILABLE; exit 0; }
            ip addr add 10.77.0.1/24 dev v0; ip addr add 10.77.0.2/24 dev v1
            ip link set v0 up; ip link set v1 up
            # Chromium gathers host candidates only on an interface that carries a default route. This route
            # points into the veth pair, which has no way out of the namespace.
            ip route add default via 10.77.0.2 dev v0
            cd "$WORK"
            "$JAVA" -Xmx256m -cp "$CP" io.jrtc.signaling.server.SignalingServerMain --host 10.77.0.1 --port 0 \\
                > server.out 2> server.log &
            SERVER=$!
            PORT=""
            for i in $(seq 1 300); do
              PORT=$(sed -n 's/^LISTENING //p' server.out)
              [ -n "$PORT" ] && break
              sleep 0.1
            done
            [ -n "$PORT" ] || { echo "server did not start"; kill $SERVER; exit 1; }
            echo "server on 10.77.0.1:$PORT"
            http_get() {
              exec 3<>"/dev/tcp/10.77.0.1/$PORT" || return 1
              printf 'GET %s HTTP/1.0\\r\\nHost: 10.77.0.1\\r\\n\\r\\n' "$1" >&3
              sed '1,/^\\r$/d' <&3
              exec 3<&-
            }
            FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \\
              --disable-component-update --disable-sync --disable-features=WebRtcHideLocalIpsWithMdns \\
              --disable-dev-shm-usage --mute-audio"
            "$CHROMIUM" $FLAGS --user-data-dir="$WORK/profile-b" "http://10.77.0.1:$PORT/?id=echo-b" > chrome-b.log 2>&1 &
            B=$!
            "$CHROMIUM" $FLAGS --user-data-dir="$WORK/profile-a" \\
              "http://10.77.0.1:$PORT/?id=web-a&auto=echo-b&count=$COUNT&timeout=30000" > chrome-a.log 2>&1 &
            A=$!
            for i in $(seq 1 600); do
              R=$(http_get /results 2>/dev/null)
              case "$R" in *summary*) echo "RESULTS $R"; break;; esac
              sleep 0.2
            done
            http_get /metrics | grep '^jrtc_signaling_messages_relayed_total' | sed 's/^/METRIC /'
            kill $A $B 2>/dev/null
            kill $SERVER 2>/dev/null
            wait
            echo done
            """;
}
