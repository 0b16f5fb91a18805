package io.jrtc.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.cli.AgentConfig;
import io.jrtc.cli.ClientAgent;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./jrtc} at the repository root, as a user runs it, on the jar {@code mvn package} just built (this class runs in
 * the integration-test phase). The launcher is told not to rebuild ({@code JRTC_NO_BUILD=1}): other modules' sources may
 * be newer than the jar while they are being edited; {@link LauncherBuildsTheJarWhenMissingOrStale} covers the build.
 * Exit codes pass through; the long-running commands stop on SIGTERM or SIGINT (Ctrl-C) with exit code 0.
 */
class LauncherScriptRunsThePackagedJar {

    private static final Map<String, String> NO_BUILD = Map.of("JRTC_NO_BUILD", "1");
    private static final Duration T = Duration.ofSeconds(60);

    @BeforeAll
    static void jarExists() {
        assertThat(Launcher.SCRIPT).as("the launcher").isExecutable();
        assertThat(Launcher.JAR).as("the shaded jar, built in the package phase").exists();
    }

    @Test
    void helpExitsZero() throws Exception {
        Launcher.Result r = Launcher.run(Launcher.SCRIPT, NO_BUILD, T, "--help");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains("Usage: jrtc", "Commands:", "signaling", "echo", "agent", "demo", "sctp-demo");
        assertThat(r.err()).doesNotContain("building");
    }

    @Test
    void usageErrorsExitTwoAndRuntimeFailuresOne() throws Exception {
        Launcher.Result usage = Launcher.run(Launcher.SCRIPT, NO_BUILD, T, "demo", "--count", "none");
        assertThat(usage.code()).as("%s", usage).isEqualTo(2);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Launcher.Result failure = Launcher.run(Launcher.SCRIPT, NO_BUILD, T, "agent", "--signaling",
                "ws://127.0.0.1:" + closed + "/ws", "--to", "echo", "--timeout", "1s", "--bind", "127.0.0.1");
        assertThat(failure.code()).as("%s", failure).isEqualTo(1);
        assertThat(failure.err()).contains("jrtc agent: could not register");
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void signalingServesUntilASignalThenExitsZero(String signal) throws Exception {
        Launcher.Running r = Launcher.start(Launcher.SCRIPT, NO_BUILD, "signaling", "--host", "127.0.0.1", "--port", "0");
        try {
            String out = r.awaitOut(o -> o.contains("LISTENING "), T);
            Matcher m = Pattern.compile("LISTENING (\\d+)").matcher(out);
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            assertThat(out).contains("signaling  : ws://127.0.0.1:" + port + "/ws", "page       : http://127.0.0.1:" + port + "/");
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"serving\"");
        } finally {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(r.process().pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(r.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(r.process().exitValue()).as("%s", r.result()).isZero();
        assertThat(r.err()).contains("SIG" + signal + ": stopping", "draining the signaling server");
    }

    @Test
    void echoAgentProcessEchoesForAClientInThisJvmAndStopsOnSigterm() throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .drainTimeout(Duration.ofSeconds(2)).build());
        int port = server.start().get(20, TimeUnit.SECONDS);
        String ws = "ws://127.0.0.1:" + port + "/ws";
        Launcher.Running echo = Launcher.start(Launcher.SCRIPT, NO_BUILD, "echo", "--signaling", ws, "--id", "echo-process",
                "--bind", "127.0.0.1");
        try (ClientAgent client = new ClientAgent(AgentConfig.builder(URI.create(ws), "jvm-client")
                .addBindAddress(InetAddress.getLoopbackAddress()).build())) {
            echo.awaitOut(o -> o.contains("echo agent 'echo-process' registered at " + ws), T);
            client.start().get(10, TimeUnit.SECONDS);
            try (ClientAgent.Session s = client.connect("echo-process", Duration.ofSeconds(20))) {
                assertThat(s.ping(100, 64, false, Duration.ofSeconds(20)).count()).isEqualTo(100);
                assertThat(s.ping(100, 1024, true, Duration.ofSeconds(20)).count()).isEqualTo(100);
                echo.process().destroy(); // SIGTERM: the agent says bye and leaves
                assertThat(echo.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            echo.process().destroyForcibly();
            server.close();
        }
        assertThat(echo.process().exitValue()).as("%s", echo.result()).isZero();
        assertThat(echo.err()).contains("SIGTERM: stopping", "echo echo-process: stopped (1 peer connections closed)");
    }

    @Test
    void demoRunsFromTheLauncher() throws Exception {
        Launcher.Result r = Launcher.run(Launcher.SCRIPT, NO_BUILD, T, "demo", "--count", "200", "--throughput", "1s");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).containsPattern("(?m)^setup      : [0-9.]+ ms")
                .containsPattern("(?m)^rtt        : 200 echoes")
                .containsPattern("(?m)^throughput : [0-9.]+ MB/s")
                .contains("result     : OK");
    }
}
