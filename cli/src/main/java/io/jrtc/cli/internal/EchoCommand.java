package io.jrtc.cli.internal;

import io.jrtc.cli.AgentConfig;
import io.jrtc.cli.EchoAgent;
import io.jrtc.peer.PeerConnectionFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jrtc echo}: the echo agent, until SIGINT/SIGTERM. */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = {"Runs an echo agent: registers with the signaling server, answers every offer, and echoes every "
                + "message on every data channel (strings as strings, bytes as bytes).",
                "Serves until SIGINT or SIGTERM, then says bye to its peers and exits with 0."},
        footer = {"", "Example: jrtc echo --signaling ws://10.0.0.5:8080/ws --bind 10.0.0.5"})
public final class EchoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EchoCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID", defaultValue = "echo", description = "Agent id to register (default: ${DEFAULT-VALUE}).")
    String id;

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "3",
            description = "Before registering, make N data channel connections to itself over 127.0.0.1, so that the "
                    + "first remote peer does not pay for class loading and interpreted handshake code "
                    + "(default: ${DEFAULT-VALUE}; 0 = none).")
    int warmUp;

    @Option(names = "--idle-warm-up", paramLabel = "N", defaultValue = "1000",
            description = "After registering, on a background thread that pauses while peers connect, run N in-memory "
                    + "DTLS handshakes, answer N recorded offers of other stacks in memory and make N/10 "
                    + "self-connections, so that the connection set-up code is compiled early (about 7 s of one core "
                    + "for the default: ${DEFAULT-VALUE}; 0 = none).")
    int idleWarmUp;

    @Option(names = "--spare", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Keep one peer connection ready, its candidates gathered, ahead of the next offer, so that "
                    + "answers go out sooner and carry their candidates (default: on; --no-spare turns it off).")
    boolean spare;

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() throws Exception {
        AgentConfig cfg = agent.toConfig(id);
        StopSignal stop = StopSignal.install();
        if (warmUp < 0) {
            throw new CliFailure("--warm-up must be 0 or more, was " + warmUp);
        }
        if (idleWarmUp < 0) {
            throw new CliFailure("--idle-warm-up must be 0 or more, was " + idleWarmUp);
        }
        PeerConnectionFactory factory = new PeerConnectionFactory();
        EchoAgent echo;
        try {
            echo = new EchoAgent(cfg, factory).keepSpareConnection(spare);
            if (warmUp > 0) {
                long ms = WarmUp.selfConnect(factory, warmUp, 300, echo.warmUpChannelHandler());
                LOG.info("echo {}: warmed up with {} self-connection(s) in {} ms", id, warmUp, ms);
            }
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
        try {
            CompletableFuture<?> registered = echo.start();
            LOG.info("echo {}: connecting to {}", id, cfg.signaling());
            CompletableFuture.anyOf(registered, stop.future()).get();
            if (registered.isCompletedExceptionally()) {
                try {
                    registered.get();
                } catch (ExecutionException e) {
                    throw new CliFailure("echo " + id + ": registration refused: " + e.getCause().getMessage(), e.getCause());
                }
            }
            if (registered.isDone()) {
                spec.commandLine().getOut().printf("echo agent '%s' registered at %s%n", id, cfg.signaling());
                spec.commandLine().getOut().flush();
            }
            EchoAgent e = echo;
            try (IdleWarmUp idle = IdleWarmUp.start(id, factory, registered.isDone() ? idleWarmUp : 0,
                    e::settingUpConnections, e.warmUpChannelHandler())) {
                stop.await();
            }
            return 0;
        } finally {
            echo.close();
            factory.close();
            stop.cleanedUp();
        }
    }
}
