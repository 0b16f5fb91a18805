package io.jrtc.signaling.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Stand-alone entry point: {@code java -cp … io.jrtc.signaling.server.SignalingServerMain [options]}.
 * Prints {@code LISTENING <port>} on standard output once bound, drains on SIGTERM/SIGINT. Run with
 * {@code --help} for the options. The {@code jrtc signaling} CLI command offers the same options.
 */
public final class SignalingServerMain {

    static final String USAGE = """
            Usage: SignalingServerMain [options]
              --host <addr>             bind address (default 127.0.0.1)
              --port <n>                TCP port, 0 = ephemeral (default 8080)
              --secret <s>              HMAC secret for agent tokens (or env JRTC_SIGNALING_SECRET)
              --secret-file <path>      read the secret from a file
              --token-max-age <dur>     longest token lifetime accepted (default 24h)
              --max-frame-bytes <n>     largest frame/message (default 65536)
              --max-agents <n>          most agents on this instance (default 10000)
              --rate <per-second>       soft limit: messages per second per connection (default 100);
                                        a faster sender is slowed down (reads paused), not refused
              --burst <n>               soft limit: burst per connection (default 400)
              --max-backlog <n>         hard limit: messages held while slowed down (default 1000);
                                        beyond it messages are refused with rate_limited
              --register-timeout <d>    close connections not registered within this (default 10s)
              --candidate-batches <b>   on | off: accept and announce 'candidates' batches (default on);
                                        off while older instances share the Redis space
              --idle-timeout <dur>      close silent connections after (default 60s)
              --ping-interval <dur>     WebSocket ping period (default 20s)
              --duplicate-ids <p>       refuse | take-over (default refuse)
              --redis <uri>             redis://host:port to join a multi-instance signaling space
              --presence-ttl <dur>      Redis presence TTL (default 15s)
              --redis-prefix <p>        Redis key/channel prefix (default jrtc:sig:)
              --instance-id <id>        this instance's id in Redis (default random)
              --stun <url>[,<url>...]   STUN URLs for ice_servers (repeatable)
              --turn <url>[,<url>...]   TURN URLs for ice_servers (repeatable)
              --turn-secret <s>         coturn static-auth-secret (or env JRTC_TURN_SECRET)
              --turn-lifetime <dur>     TURN credential lifetime (default 24h)
              --tls-cert <pem>          certificate chain: serve wss:// and https://
              --tls-key <pem>           PKCS#8 private key
              --drain-timeout <dur>     how long shutdown waits for agents (default 10s)
              --io-threads <n>          event-loop threads (default: processors)
            Durations: 500ms, 30s, 5m, 24h or ISO-8601 (PT30S).
            """;

    private SignalingServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out().print(USAGE);
            return;
        }
        SignalingServerConfig config;
        try {
            config = parse(args, System.getenv("JRTC_SIGNALING_SECRET"), System.getenv("JRTC_TURN_SECRET"));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        SignalingServer server = new SignalingServer(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jrtc-signaling-shutdown"));
        int port = server.start().join();
        out().println("LISTENING " + port);
        out().flush();
        server.terminationFuture().join();
    }

    private static PrintStream out() {
        return System.out;
    }

    /**
     * Parses command-line options into a configuration. Secrets from the environment are used when the
     * options do not give them.
     *
     * @throws IllegalArgumentException on an unknown option or a bad value
     */
    public static SignalingServerConfig parse(String[] args, String envSecret, String envTurnSecret) {
        SignalingServerConfig.Builder b = SignalingServerConfig.builder().port(8080);
        String secret = envSecret;
        String turnSecret = envTurnSecret;
        double rate = SignalingServerConfig.DEFAULT_MESSAGES_PER_SECOND;
        int burst = SignalingServerConfig.DEFAULT_MESSAGE_BURST;
        Path cert = null;
        Path key = null;
        List<String> stun = new ArrayList<>();
        List<String> turn = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                throw new IllegalArgumentException("option " + opt + " needs a value");
            }
            i++;
            switch (opt) {
                case "--host" -> b.bindHost(v);
                case "--port" -> b.port(integer(opt, v));
                case "--secret" -> secret = v;
                case "--secret-file" -> secret = readSecret(v);
                case "--token-max-age" -> b.tokenMaxAge(duration(opt, v));
                case "--max-frame-bytes" -> b.maxFrameBytes(integer(opt, v));
                case "--max-agents" -> b.maxAgents(integer(opt, v));
                case "--rate" -> rate = number(opt, v);
                case "--burst" -> burst = integer(opt, v);
                case "--idle-timeout" -> b.idleTimeout(duration(opt, v));
                case "--max-backlog" -> b.maxBacklogMessages(integer(opt, v));
                case "--register-timeout" -> b.registerTimeout(duration(opt, v));
                case "--candidate-batches" -> b.candidateBatches(switch (v.toLowerCase(Locale.ROOT)) {
                    case "on", "true", "yes" -> true;
                    case "off", "false", "no" -> false;
                    default -> throw new IllegalArgumentException("--candidate-batches: on or off, not " + v);
                });
                case "--ping-interval" -> b.pingInterval(duration(opt, v));
                case "--duplicate-ids" -> b.duplicateIdPolicy(switch (v.toLowerCase(Locale.ROOT)) {
                    case "refuse" -> DuplicateIdPolicy.REFUSE;
                    case "take-over", "take_over", "takeover" -> DuplicateIdPolicy.TAKE_OVER;
                    default -> throw new IllegalArgumentException("--duplicate-ids: refuse or take-over, not " + v);
                });
                case "--redis" -> b.redisUri(v);
                case "--presence-ttl" -> b.presenceTtl(duration(opt, v));
                case "--redis-prefix" -> b.redisKeyPrefix(v);
                case "--instance-id" -> b.instanceId(v);
                case "--stun" -> stun.addAll(split(v));
                case "--turn" -> turn.addAll(split(v));
                case "--turn-secret" -> turnSecret = v;
                case "--turn-lifetime" -> b.turnCredentialLifetime(duration(opt, v));
                case "--tls-cert" -> cert = Path.of(v);
                case "--tls-key" -> key = Path.of(v);
                case "--drain-timeout" -> b.drainTimeout(duration(opt, v));
                case "--io-threads" -> b.ioThreads(integer(opt, v));
                default -> throw new IllegalArgumentException("unknown option " + opt);
            }
        }
        return b.secret(secret == null || secret.isEmpty() ? null : secret)
                .turnSecret(turnSecret == null || turnSecret.isEmpty() ? null : turnSecret)
                .rateLimit(rate, burst)
                .stunUrls(stun)
                .turnUrls(turn)
                .tls(cert, key)
                .build();
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String readSecret(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read secret file " + file + ": " + e.getMessage());
        }
    }

    private static int integer(String opt, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + ": not an integer: " + v);
        }
    }

    private static double number(String opt, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + ": not a number: " + v);
        }
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 2d} or ISO-8601 ({@code PT30S}). */
    public static Duration duration(String opt, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("p")) {
                return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException(opt + ": bad duration " + v);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(opt + ": bad duration " + v + " (use 500ms, 30s, 5m, 24h or PT30S)");
        }
    }
}
