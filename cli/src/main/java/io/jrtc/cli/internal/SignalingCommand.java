package io.jrtc.cli.internal;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.jrtc.signaling.server.SignalingServerMain;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jrtc signaling}: the signaling server, until SIGINT/SIGTERM. */
@Command(name = "signaling", mixinStandardHelpOptions = true,
        description = {"Runs the signaling server: WebSocket signaling at /ws, the browser page at /, /health, /metrics.",
                "Prints the URLs, then serves until SIGINT or SIGTERM (then drains and exits with 0)."},
        footer = {"", "Durations: 500ms, 30s, 5m, 24h or PT30S. Secrets may also come from the environment "
                + "(JRTC_SIGNALING_SECRET, JRTC_TURN_SECRET).",
                "Example: jrtc signaling --port 8080 --secret \"$SECRET\" --turn-url turn:turn.example.org:3478 --turn-secret \"$TURN\""})
public final class SignalingCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SignalingCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port, 0 = any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--redis", paramLabel = "URI", description = "redis://host:port: share one signaling space with other instances.")
    String redis;

    @Option(names = "--redis-prefix", paramLabel = "P", description = "Redis key and channel prefix (default jrtc:sig:).")
    String redisPrefix;

    @Option(names = "--presence-ttl", paramLabel = "DURATION", description = "Redis presence TTL (default 15s).")
    String presenceTtl;

    @Option(names = "--instance-id", paramLabel = "ID", description = "This instance's id in Redis (default: random).")
    String instanceId;

    @Option(names = "--secret", paramLabel = "SECRET", description = "HMAC secret for agent tokens (env JRTC_SIGNALING_SECRET). Without one the server is open.")
    String secret;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "Read the secret from a file.")
    String secretFile;

    @Option(names = "--token-max-age", paramLabel = "DURATION", description = "Longest token lifetime accepted (default 24h).")
    String tokenMaxAge;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain: serve wss:// and https://.")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "PKCS#8 private key for --tls-cert.")
    String tlsKey;

    @Option(names = {"--stun-url", "--stun"}, paramLabel = "URL", split = ",", description = "STUN URL handed out in ice_servers. Repeatable.")
    List<String> stunUrls = new ArrayList<>();

    @Option(names = {"--turn-url", "--turn"}, paramLabel = "URL", split = ",",
            description = "TURN URL handed out in ice_servers with TURN REST credentials (needs --turn-secret). Repeatable.")
    List<String> turnUrls = new ArrayList<>();

    @Option(names = "--turn-secret", paramLabel = "SECRET", description = "coturn's static-auth-secret (env JRTC_TURN_SECRET).")
    String turnSecret;

    @Option(names = "--turn-lifetime", paramLabel = "DURATION", description = "TURN credential lifetime (default 24h).")
    String turnLifetime;

    @Option(names = "--max-agents", paramLabel = "N", description = "Most agents on this instance (default 10000).")
    Integer maxAgents;

    @Option(names = "--max-frame-bytes", paramLabel = "N", description = "Largest WebSocket message (default 65536).")
    Integer maxFrameBytes;

    @Option(names = "--rate", paramLabel = "PER_SECOND", description = "Soft limit: messages per second per connection; faster senders are slowed down (default 100).")
    String rate;

    @Option(names = "--burst", paramLabel = "N", description = "Soft limit: burst per connection (default 400).")
    Integer burst;

    @Option(names = "--max-backlog", paramLabel = "N", description = "Hard limit: messages held while slowed down; beyond, refused (default 1000).")
    Integer maxBacklog;

    @Option(names = "--register-timeout", paramLabel = "DURATION", description = "Close connections not registered within (default 10s).")
    String registerTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "Close silent connections after (default 60s).")
    String idleTimeout;

    @Option(names = "--ping-interval", paramLabel = "DURATION", description = "WebSocket ping period (default 20s).")
    String pingInterval;

    @Option(names = "--duplicate-ids", paramLabel = "POLICY", description = "refuse | take-over (default refuse).")
    String duplicateIds;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", description = "How long shutdown waits for agents (default 10s).")
    String drainTimeout;

    @Option(names = "--io-threads", paramLabel = "N", description = "Event-loop threads (default: processors).")
    Integer ioThreads;

    @Option(names = "--candidate-batches", paramLabel = "on|off",
            description = "Accept and announce 'candidates' batches (default on; off while older instances share Redis).")
    String candidateBatches;

    /** The server configuration these options describe. */
    SignalingServerConfig config() {
        List<String> a = new ArrayList<>();
        add(a, "--host", host);
        add(a, "--port", Integer.toString(port));
        add(a, "--redis", redis);
        add(a, "--redis-prefix", redisPrefix);
        add(a, "--presence-ttl", presenceTtl);
        add(a, "--instance-id", instanceId);
        add(a, "--secret", secret);
        add(a, "--secret-file", secretFile);
        add(a, "--token-max-age", tokenMaxAge);
        add(a, "--tls-cert", tlsCert);
        add(a, "--tls-key", tlsKey);
        stunUrls.forEach(u -> add(a, "--stun", u));
        turnUrls.forEach(u -> add(a, "--turn", u));
        add(a, "--turn-secret", turnSecret);
        add(a, "--turn-lifetime", turnLifetime);
        add(a, "--max-agents", maxAgents);
        add(a, "--max-frame-bytes", maxFrameBytes);
        add(a, "--rate", rate);
        add(a, "--burst", burst);
        add(a, "--max-backlog", maxBacklog);
        add(a, "--register-timeout", registerTimeout);
        add(a, "--idle-timeout", idleTimeout);
        add(a, "--ping-interval", pingInterval);
        add(a, "--duplicate-ids", duplicateIds);
        add(a, "--drain-timeout", drainTimeout);
        add(a, "--io-threads", ioThreads);
        add(a, "--candidate-batches", candidateBatches);
        try {
            return SignalingServerMain.parse(a.toArray(String[]::new), System.getenv("JRTC_SIGNALING_SECRET"),
                    System.getenv("JRTC_TURN_SECRET"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static void add(List<String> a, String opt, Object v) {
        if (v != null) {
            a.add(opt);
            a.add(v.toString());
        }
    }

    @Override
    public Integer call() throws Exception {
        SignalingServerConfig cfg = config();
        if (!cfg.turnUrls().isEmpty() && cfg.turnSecret() == null) {
            throw new ParameterException(spec.commandLine(), "--turn-url needs --turn-secret (or JRTC_TURN_SECRET)");
        }
        StopSignal stop = StopSignal.install();
        SignalingServer server = new SignalingServer(cfg);
        try {
            int bound = server.start().get(60, TimeUnit.SECONDS);
            String h = cfg.bindHost().contains(":") ? "[" + cfg.bindHost() + "]" : cfg.bindHost();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("signaling  : %s://%s:%d/ws%n", cfg.tls() ? "wss" : "ws", h, bound);
            out.printf("page       : %s://%s:%d/%n", cfg.tls() ? "https" : "http", h, bound);
            out.printf("LISTENING %d%n", bound);
            out.flush();
            CompletableFuture.anyOf(stop.future(), server.terminationFuture()).get();
            if (!stop.future().isDone()) {
                LOG.error("the signaling server stopped on its own");
                return 1;
            }
            LOG.info("draining the signaling server (up to {})", cfg.drainTimeout());
            return 0;
        } finally {
            server.close();
            stop.cleanedUp();
        }
    }
}
