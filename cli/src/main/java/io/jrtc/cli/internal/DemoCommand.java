package io.jrtc.cli.internal;

import io.jrtc.cli.AgentConfig;
import io.jrtc.cli.ClientAgent;
import io.jrtc.cli.EchoAgent;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import io.jrtc.signaling.client.AgentTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jrtc demo}: signaling server, echo agent and client agent in one JVM on loopback, with figures. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a signaling server, an echo agent and a client agent in this JVM, all on 127.0.0.1; "
                + "opens a data channel from the client to the echo agent and prints the setup time, round-trip "
                + "percentiles and echo throughput. Exits with 0 when every echo came back intact.",
                "Also prints the URL of the browser page served by the signaling server."})
public final class DemoCommand implements Callable<Integer> {

    static final String ECHO_ID = "echo";
    static final String CLIENT_ID = "demo-client";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Signaling port on 127.0.0.1 (default: ${DEFAULT-VALUE}, any free one).")
    int port;

    @Option(names = "--throughput", paramLabel = "DURATION", defaultValue = "3s", converter = Converters.DurationConverter.class,
            description = "How long the throughput run lasts; 0s skips it (default: ${DEFAULT-VALUE}).")
    Duration throughput;

    @Option(names = "--stay", description = "Keep the signaling server and the echo agent running after the figures, until Ctrl-C.")
    boolean stay;

    @Mixin
    Measure measure;

    @Override
    public Integer call() throws Exception {
        measure.validate(spec.commandLine(), throughput);
        PrintWriter out = spec.commandLine().getOut();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        long t0 = System.nanoTime();
        // A fresh secret: the demo's server admits only agents with tokens it signed (and does not warn about being open).
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        String secret = HexFormat.of().formatHex(key);
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(port)
                .secret(secret).drainTimeout(Duration.ofSeconds(2)).build());
        PeerConnectionFactory factory = null;
        EchoAgent echo = null;
        ClientAgent client = null;
        try {
            int bound = server.start().get(30, TimeUnit.SECONDS);
            URI ws = URI.create("ws://127.0.0.1:" + bound + "/ws");
            Report.line(out, "demo", "signaling server, echo agent '" + ECHO_ID + "' and client agent '" + CLIENT_ID
                    + "' in one JVM, all on 127.0.0.1");
            Report.line(out, "signaling", ws.toString());
            factory = new PeerConnectionFactory(2);
            echo = new EchoAgent(AgentConfig.builder(ws, ECHO_ID).addBindAddress(loopback)
                    .tokenSupplier(AgentTokens.supplier(secret, ECHO_ID, Duration.ofHours(12), Clock.systemUTC())).build(), factory);
            client = new ClientAgent(AgentConfig.builder(ws, CLIENT_ID).addBindAddress(loopback)
                    .tokenSupplier(AgentTokens.supplier(secret, CLIENT_ID, Duration.ofHours(12), Clock.systemUTC())).build(), factory);
            await(echo.start(), "the echo agent to register");
            await(client.start(), "the client agent to register");
            try {
                // The first connection in a JVM pays for class loading and ice4j's configuration; the second shows what a
                // connection costs in a warm process. The measurements run on the second.
                Duration cold;
                try (ClientAgent.Session first = client.connect(ECHO_ID, measure.timeout)) {
                    cold = first.setupTime();
                }
                try (ClientAgent.Session s = client.connect(ECHO_ID, measure.timeout)) {
                    Report.line(out, "setup cold", String.format(java.util.Locale.ROOT,
                            "%.1f ms (first connection in this JVM: class loading, ice4j configuration)", cold.toNanos() / 1e6));
                    measure.run(s, out, throughput);
                }
            } catch (TimeoutException | ClientAgent.AgentException e) {
                throw new CliFailure(e.getMessage(), e);
            }
            EchoAgent.Stats st = echo.stats();
            Report.line(out, "echo agent", st.textEchoed() + " strings and " + st.binaryEchoed() + " binary messages echoed ("
                    + st.bytesEchoed() + " bytes), " + st.sendFailures() + " send failures");
            Report.line(out, "page", "http://127.0.0.1:" + bound + "/?id=web&token="
                    + AgentTokens.mint(secret, "web", Duration.ofHours(12)));
            Report.line(out, "note", "the echo agent here listens on 127.0.0.1 only, which a browser's WebRTC cannot reach. "
                    + "To try the page, run the agent on a real interface: ./jrtc signaling --host <addr> and "
                    + "./jrtc echo --signaling ws://<addr>:8080/ws --bind <addr>, then open http://<addr>:8080/");
            Report.line(out, "elapsed", String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9));
            Report.line(out, "result", "OK");
            if (stay) {
                StopSignal stop = StopSignal.install();
                Report.line(out, "staying", "the signaling server and echo agent keep running; Ctrl-C stops them");
                try {
                    stop.await();
                } finally {
                    stop.cleanedUp();
                }
            }
            return 0;
        } finally {
            if (client != null) {
                client.close();
            }
            if (echo != null) {
                echo.close();
            }
            if (factory != null) {
                factory.close();
            }
            server.close();
        }
    }

    private void await(java.util.concurrent.CompletableFuture<?> f, String what) throws InterruptedException {
        try {
            f.get(measure.timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliFailure("timed out waiting for " + what);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CliFailure("failed waiting for " + what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
