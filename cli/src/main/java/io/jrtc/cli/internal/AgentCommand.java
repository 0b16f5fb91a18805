package io.jrtc.cli.internal;

import io.jrtc.cli.AgentConfig;
import io.jrtc.cli.ClientAgent;
import io.jrtc.peer.PeerConnectionFactory;
import java.io.PrintWriter;
import java.security.SecureRandom;
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

/** {@code jrtc agent}: a client agent that connects to another agent, pings it and reports. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs a client agent: registers, offers a data channel to the agent given by --to (an echo agent), "
                + "sends pings one at a time and prints the setup time and round-trip percentiles; with --throughput, "
                + "also the echo throughput. Every echo is checked byte for byte. Exits with 0 when all came back."},
        footer = {"", "Example: jrtc agent --signaling ws://10.0.0.5:8080/ws --to echo --count 1000 --throughput 3s --bind 10.0.0.6"})
public final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID", description = "Agent id to register (default: agent-<random>).")
    String id;

    @Option(names = "--to", required = true, paramLabel = "ID", description = "The agent to connect to.")
    String to;

    @Option(names = "--throughput", paramLabel = "DURATION", defaultValue = "0s", converter = Converters.DurationConverter.class,
            description = "Also measure echo throughput for this long (default: ${DEFAULT-VALUE}, skip).")
    Duration throughput;

    @Mixin
    Measure measure;

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() throws Exception {
        measure.validate(spec.commandLine(), throughput);
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        String me = id != null ? id : "agent-" + HexFormat.of().formatHex(r);
        AgentConfig cfg = agent.toConfig(me);
        PrintWriter out = spec.commandLine().getOut();
        // ice4j's and the DTLS handshake's one-time initialisation runs on another core while we register
        try (PeerConnectionFactory factory = new PeerConnectionFactory();
             ClientAgent client = new ClientAgent(cfg, factory)) {
            factory.prewarm();
            try {
                client.start().get(measure.timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new CliFailure("could not register at " + cfg.signaling() + " within " + measure.timeout.toMillis() + " ms");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new CliFailure("registration at " + cfg.signaling() + " refused: " + e.getCause().getMessage(), e.getCause());
            }
            try (ClientAgent.Session s = client.connect(to, measure.timeout)) {
                Report.line(out, "agent", me + " -> " + to + " via " + cfg.signaling());
                measure.run(s, out, throughput);
            } catch (TimeoutException | ClientAgent.AgentException e) {
                throw new CliFailure(e.getMessage(), e);
            }
        }
        Report.line(out, "result", "OK");
        return 0;
    }
}
