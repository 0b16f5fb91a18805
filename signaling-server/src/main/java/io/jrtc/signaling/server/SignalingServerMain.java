package io.jrtc.signaling.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Stand-alone entry point: {@code java -cp … io.jrtc.signaling.server.SignalingServerMain [options]}, its options
 * parsed by picocli. Prints {@code LISTENING <port>} on standard output once bound, drains on SIGTERM/SIGINT. Run
 * with {@code --help} for the options; a bad option prints the error and the usage on standard error and exits with
 * 2. The {@code jrtc signaling} CLI command offers the same options.
 */
public final class SignalingServerMain {

    private SignalingServerMain() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cl = commandLine();
        SignalingServerConfig config;
        try {
            cl.parseArgs(args);
            if (cl.isUsageHelpRequested()) {
                PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
                cl.usage(out);
                out.flush();
                return;
            }
            config = ((Options) cl.getCommand()).config(System.getenv("JRTC_SIGNALING_SECRET"),
                    System.getenv("JRTC_TURN_SECRET"));
        } catch (ParameterException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(cl.getUsageMessage());
            System.exit(2);
            return;
        }
        SignalingServer server = new SignalingServer(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jrtc-signaling-shutdown"));
        int port = server.start().join();
        System.out.println("LISTENING " + port);
        System.out.flush();
        server.terminationFuture().join();
    }

    /** The usage text that {@code --help} prints. */
    static String usage() {
        return commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * Parses command-line options into a configuration. Secrets from the environment are used when the
     * options do not give them.
     *
     * @throws IllegalArgumentException on an unknown option or a bad value (the message names the option)
     */
    public static SignalingServerConfig parse(String[] args, String envSecret, String envTurnSecret) {
        CommandLine cl = commandLine();
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return ((Options) cl.getCommand()).config(envSecret, envTurnSecret);
    }

    private static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Options());
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** The options, as picocli fills them in; null where not given, so the configuration's defaults hold. */
    @Command(name = "SignalingServerMain", sortOptions = false, usageHelpWidth = 110, separator = " ",
            description = "The jrtc signaling server: JSON over WebSocket at /ws, /health, /metrics, the demo page.",
            footer = "Durations: 500ms, 30s, 5m, 24h or ISO-8601 (PT30S).")
    static final class Options {

        @Option(names = {"-h", "--help"}, order = 1, usageHelp = true, description = "Print this help and exit.")
        boolean help;

        @Option(names = "--host", order = 2, paramLabel = "<addr>", description = "Bind address (default 127.0.0.1).")
        String host;

        @Option(names = "--port", order = 3,
                paramLabel = "<n>", description = "TCP port, 0 = ephemeral (default 8080).")
        Integer port;

        @Option(names = "--secret", order = 4, paramLabel = "<s>",
                description = "HMAC secret for agent tokens (or env JRTC_SIGNALING_SECRET).")
        String secret;

        /** {@code --secret-file}: the file's content, read when the option is parsed, so the later of the two wins. */
        @Option(names = "--secret-file", order = 5, paramLabel = "<path>", converter = SecretFileConverter.class,
                description = "Read the secret from a file.")
        void secretFile(String fromFile) {
            secret = fromFile;
        }

        @Option(names = "--token-max-age", order = 6, paramLabel = "<dur>", converter = DurationConverter.class,
                description = "Longest token lifetime accepted (default 24h).")
        Duration tokenMaxAge;

        @Option(names = "--max-frame-bytes", order = 7,
                paramLabel = "<n>", description = "Largest frame/message (default 65536).")
        Integer maxFrameBytes;

        @Option(names = "--max-agents", order = 8,
                paramLabel = "<n>", description = "Most agents on this instance (default 10000).")
        Integer maxAgents;

        @Option(names = "--rate", order = 9, paramLabel = "<per-second>",
                description = "Soft limit: messages per second per connection (default 100); a faster sender is "
                        + "slowed down (reads paused), not refused.")
        Double rate;

        @Option(names = "--burst", order = 10,
                paramLabel = "<n>", description = "Soft limit: burst per connection (default 400).")
        Integer burst;

        @Option(names = "--max-backlog", order = 11, paramLabel = "<n>",
                description = "Hard limit: messages held while slowed down (default 1000); beyond it messages are "
                        + "refused with rate_limited.")
        Integer maxBacklog;

        @Option(names = "--register-timeout", order = 12, paramLabel = "<dur>", converter = DurationConverter.class,
                description = "Close connections not registered within this (default 10s).")
        Duration registerTimeout;

        @Option(names = "--candidate-batches", order = 13,
                paramLabel = "<on|off>", arity = "1", converter = OnOffConverter.class,
                description = "Accept and announce 'candidates' batches (default on); off while older instances "
                        + "share the Redis space.")
        Boolean candidateBatches;

        @Option(names = "--idle-timeout", order = 14, paramLabel = "<dur>", converter = DurationConverter.class,
                description = "Close silent connections after (default 60s).")
        Duration idleTimeout;

        @Option(names = "--ping-interval", order = 15, paramLabel = "<dur>", converter = DurationConverter.class,
                description = "WebSocket ping period (default 20s).")
        Duration pingInterval;

        @Option(names = "--duplicate-ids", order = 16, paramLabel = "<p>", converter = PolicyConverter.class,
                description = "refuse | take-over (default refuse).")
        DuplicateIdPolicy duplicateIds;

        @Option(names = "--redis", order = 17, paramLabel = "<uri>",
                description = "redis://host:port to join a multi-instance signaling space.")
        String redis;

        @Option(names = "--presence-ttl", order = 18, paramLabel = "<dur>", converter = DurationConverter.class,
                description = "Redis presence TTL (default 15s).")
        Duration presenceTtl;

        @Option(names = "--redis-prefix", order = 19,
                paramLabel = "<p>", description = "Redis key/channel prefix (default jrtc:sig:).")
        String redisPrefix;

        @Option(names = "--instance-id", order = 20,
                paramLabel = "<id>", description = "This instance's id in Redis (default random).")
        String instanceId;

        @Option(names = "--stun", order = 21,
                paramLabel = "<url>[,<url>...]", description = "STUN URLs for ice_servers (repeatable).")
        List<String> stun = new ArrayList<>();

        @Option(names = "--turn", order = 22,
                paramLabel = "<url>[,<url>...]", description = "TURN URLs for ice_servers (repeatable).")
        List<String> turn = new ArrayList<>();

        @Option(names = "--turn-secret", order = 23, paramLabel = "<s>",
                description = "coturn static-auth-secret (or env JRTC_TURN_SECRET).")
        String turnSecret;

        @Option(names = "--turn-lifetime", order = 24, paramLabel = "<dur>", converter = DurationConverter.class,
                description = "TURN credential lifetime (default 24h).")
        Duration turnLifetime;

        @Option(names = "--tls-cert", order = 25,
                paramLabel = "<pem>", description = "Certificate chain: serve wss:// and https://.")
        Path tlsCert;

        @Option(names = "--tls-key", order = 26, paramLabel = "<pem>", description = "PKCS#8 private key.")
        Path tlsKey;

        @Option(names = "--drain-timeout", order = 27, paramLabel = "<dur>", converter = DurationConverter.class,
                description = "How long shutdown waits for agents (default 10s).")
        Duration drainTimeout;

        @Option(names = "--io-threads", order = 28,
                paramLabel = "<n>", description = "Event-loop threads (default: processors).")
        Integer ioThreads;

        SignalingServerConfig config(String envSecret, String envTurnSecret) {
            SignalingServerConfig.Builder b = SignalingServerConfig.builder().port(port == null ? 8080 : port);
            String s = secret != null ? secret : envSecret;
            String ts = turnSecret != null ? turnSecret : envTurnSecret;
            set(host, b::bindHost);
            set(tokenMaxAge, b::tokenMaxAge);
            set(maxFrameBytes, b::maxFrameBytes);
            set(maxAgents, b::maxAgents);
            set(idleTimeout, b::idleTimeout);
            set(maxBacklog, b::maxBacklogMessages);
            set(registerTimeout, b::registerTimeout);
            set(candidateBatches, b::candidateBatches);
            set(pingInterval, b::pingInterval);
            set(duplicateIds, b::duplicateIdPolicy);
            set(redis, b::redisUri);
            set(presenceTtl, b::presenceTtl);
            set(redisPrefix, b::redisKeyPrefix);
            set(instanceId, b::instanceId);
            set(turnLifetime, b::turnCredentialLifetime);
            set(drainTimeout, b::drainTimeout);
            set(ioThreads, b::ioThreads);
            return b.secret(s == null || s.isEmpty() ? null : s)
                    .turnSecret(ts == null || ts.isEmpty() ? null : ts)
                    .rateLimit(rate == null ? SignalingServerConfig.DEFAULT_MESSAGES_PER_SECOND : rate,
                            burst == null ? SignalingServerConfig.DEFAULT_MESSAGE_BURST : burst)
                    .stunUrls(split(stun))
                    .turnUrls(split(turn))
                    .tls(tlsCert, tlsKey)
                    .build();
        }

        private static <T> void set(T value, java.util.function.Consumer<T> setter) {
            if (value != null) {
                setter.accept(value);
            }
        }
    }

    /** {@code 500ms}, {@code 30s}, ... as {@link #duration}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration("duration", value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("bad duration " + value + " (use 500ms, 30s, 5m, 24h or PT30S)");
            }
        }
    }

    static final class OnOffConverter implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new TypeConversionException("on or off, not " + v);
            };
        }
    }

    static final class PolicyConverter implements ITypeConverter<DuplicateIdPolicy> {
        @Override
        public DuplicateIdPolicy convert(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "refuse" -> DuplicateIdPolicy.REFUSE;
                case "take-over", "take_over", "takeover" -> DuplicateIdPolicy.TAKE_OVER;
                default -> throw new TypeConversionException("refuse or take-over, not " + v);
            };
        }
    }

    /** Each comma-separated URL of the repeated option, trimmed; blanks dropped. */
    private static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    static final class SecretFileConverter implements ITypeConverter<String> {
        @Override
        public String convert(String file) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new TypeConversionException("cannot read secret file " + file + ": " + e.getMessage());
            }
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
