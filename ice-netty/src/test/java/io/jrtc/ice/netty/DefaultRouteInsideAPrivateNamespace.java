package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The default host addresses on a real kernel, in the private network the interop tests use (../shared/INTEROP.md:
 * a veth with a /24 and a default route to a neighbour that does not exist), plus a second veth pair inside the
 * namespace without any default route, standing in for a docker bridge. A JVM started inside the namespace
 * ({@link HostAddressProbe}) binds, by default, only the address of the default-route interface and gathers its host
 * candidate there; with {@code "*"} it would take the bridge's addresses too. Nothing is sent: no ICE server, no peer.
 */
class DefaultRouteInsideAPrivateNamespace {

    @Test
    void onlyTheDefaultRouteInterfaceGivesHostCandidates() throws Exception {
        Interop.requirePrivateNetwork();
        try (PrivateNetwork net = PrivateNetwork.create()) {
            // The "bridge": both ends inside the namespace, addresses of a net that exists nowhere else.
            run(net.command("ip", "link", "add", "br-x0", "type", "veth", "peer", "name", "br-x1"));
            run(net.command("ip", "addr", "add", "10.99.0.1/24", "dev", "br-x0"));
            run(net.command("ip", "addr", "add", "10.99.0.2/24", "dev", "br-x1"));
            run(net.command("ip", "link", "set", "br-x0", "up"));
            run(net.command("ip", "link", "set", "br-x1", "up"));

            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> cmd = net.command(java, "-cp", cp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    HostAddressProbe.class.getName());
            Map<String, String> probe = probe(cmd);
            String veth = net.peerAddress().getHostAddress();

            assertThat(probe.get("default")).as("default bind addresses inside %s", net.namespace()).isEqualTo(veth);
            assertThat(probe.get("candidates")).as("host candidates gathered by default").isEqualTo("host:" + veth);
            assertThat(probe.get("every").split(",")).as("with \"*\"")
                    .containsExactlyInAnyOrder(veth, "10.99.0.1", "10.99.0.2");
        }
    }

    private static Map<String, String> probe(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        assertThat(p.exitValue()).as("probe exit; output:\n%s", out).isZero();
        Map<String, String> lines = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("PROBE ")) {
                String[] kv = line.substring(6).split(" ", 2);
                lines.put(kv[0], kv.length > 1 ? kv[1].trim() : "");
            }
        }
        assertThat(lines).as("probe output:\n%s", out).containsKeys("default", "every", "candidates");
        return lines;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
