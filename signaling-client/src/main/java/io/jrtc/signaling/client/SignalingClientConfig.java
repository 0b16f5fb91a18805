package io.jrtc.signaling.client;

import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.TrustManagerFactory;

/**
 * Configuration of a {@link SignalingClient}. Build with {@link #builder(URI, String)}.
 *
 * @param uri                {@code ws://host:port/ws} or {@code wss://…}
 * @param agentId            the id to register
 * @param tokenSupplier      asked for a token on every (re)connect; null for open servers
 * @param initialBackoff     first reconnect delay (default 1 s)
 * @param maxBackoff         reconnect delay cap (default 30 s)
 * @param backoffMultiplier  growth per attempt (default 2)
 * @param backoffJitter      fraction of each delay taken off at random (default 0.2)
 * @param stableAfter        registered this long resets the backoff (default 10 s)
 * @param maxQueuedMessages  messages held while not registered; more are refused (default 256)
 * @param maxMessageBytes    largest message this client sends (default 64 KiB, the server's default limit)
 * @param connectTimeout     TCP connect, WebSocket handshake and registration each (default 10 s)
 * @param pingInterval       send a WebSocket ping when nothing was written for this long (default 15 s)
 * @param readIdleTimeout    reconnect when nothing was read for this long; zero disables (default 45 s)
 * @param trustManagerFactory trust for {@code wss://}; null = the JDK's default trust store
 * @param eventLoopGroup     a shared Netty group (must use {@code NioIoHandler}); null = the client owns one thread
 * @param random             source of jitter (seed it in tests)
 * @param candidateBatching  declare {@code features:["candidates"]} and coalesce queued candidates into
 *                           {@code candidates} batches when the server announces them (default true; protocol 1,
 *                           revision 3). Off, the client sends and receives single candidates only
 * @param presenceSupplier   asked on every (re)connect for the opaque presence blob to register with (revision 5:
 *                           a server that announces {@code "presence"} hands it to the other agents); null: none
 */
public record SignalingClientConfig(
        URI uri,
        String agentId,
        Supplier<String> tokenSupplier,
        Duration initialBackoff,
        Duration maxBackoff,
        double backoffMultiplier,
        double backoffJitter,
        Duration stableAfter,
        int maxQueuedMessages,
        int maxMessageBytes,
        Duration connectTimeout,
        Duration pingInterval,
        Duration readIdleTimeout,
        TrustManagerFactory trustManagerFactory,
        EventLoopGroup eventLoopGroup,
        RandomGenerator random,
        boolean candidateBatching,
        Supplier<String> presenceSupplier) {

    /** Without a presence blob. */
    public SignalingClientConfig(URI uri, String agentId, Supplier<String> tokenSupplier, Duration initialBackoff,
            Duration maxBackoff, double backoffMultiplier, double backoffJitter, Duration stableAfter,
            int maxQueuedMessages, int maxMessageBytes, Duration connectTimeout, Duration pingInterval,
            Duration readIdleTimeout, TrustManagerFactory trustManagerFactory, EventLoopGroup eventLoopGroup,
            RandomGenerator random, boolean candidateBatching) {
        this(uri, agentId, tokenSupplier, initialBackoff, maxBackoff, backoffMultiplier, backoffJitter, stableAfter,
                maxQueuedMessages, maxMessageBytes, connectTimeout, pingInterval, readIdleTimeout,
                trustManagerFactory, eventLoopGroup, random, candidateBatching, null);
    }

    public SignalingClientConfig {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("uri must be ws:// or wss://, got " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("uri has no host: " + uri);
        }
        if (agentId == null || agentId.isEmpty() || agentId.length() > 64) {
            throw new IllegalArgumentException("agentId must be 1..64 characters");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(stableAfter, "stableAfter");
        if (maxQueuedMessages < 0) {
            throw new IllegalArgumentException("maxQueuedMessages must be >= 0");
        }
        if (maxMessageBytes < 64) {
            throw new IllegalArgumentException("maxMessageBytes too small");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(pingInterval, "pingInterval");
        Objects.requireNonNull(readIdleTimeout, "readIdleTimeout");
        Objects.requireNonNull(random, "random");
        // validated by ReconnectBackoff too, but fail at build time
        new ReconnectBackoff(initialBackoff, maxBackoff, backoffMultiplier, backoffJitter, stableAfter, random);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public boolean tls() {
        return "wss".equalsIgnoreCase(uri.getScheme());
    }

    public static Builder builder(URI uri, String agentId) {
        return new Builder(uri, agentId);
    }

    /** Mutable builder. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private final String agentId;
        private Supplier<String> tokenSupplier;
        private Supplier<String> presenceSupplier;
        private Duration initialBackoff = ReconnectBackoff.DEFAULT_INITIAL;
        private Duration maxBackoff = ReconnectBackoff.DEFAULT_MAX;
        private double backoffMultiplier = ReconnectBackoff.DEFAULT_MULTIPLIER;
        private double backoffJitter = ReconnectBackoff.DEFAULT_JITTER;
        private Duration stableAfter = ReconnectBackoff.DEFAULT_STABLE_AFTER;
        private int maxQueuedMessages = 256;
        private int maxMessageBytes = 64 * 1024;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(15);
        private Duration readIdleTimeout = Duration.ofSeconds(45);
        private TrustManagerFactory trustManagerFactory;
        private EventLoopGroup eventLoopGroup;
        private RandomGenerator random = new Random();
        private boolean candidateBatching = true;

        private Builder(URI uri, String agentId) {
            this.uri = uri;
            this.agentId = agentId;
        }

        /** A fixed token (it will eventually expire: prefer {@link #tokenSupplier}). */
        public Builder token(String token) {
            this.tokenSupplier = token == null ? null : () -> token;
            return this;
        }

        public Builder tokenSupplier(Supplier<String> v) { this.tokenSupplier = v; return this; }

        /** Reconnect schedule: {@code initial} growing by {@code multiplier} up to {@code max}, jittered. */
        public Builder backoff(Duration initial, Duration max, double multiplier, double jitter) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            this.backoffMultiplier = multiplier;
            this.backoffJitter = jitter;
            return this;
        }

        public Builder stableAfter(Duration v) { this.stableAfter = v; return this; }
        public Builder maxQueuedMessages(int v) { this.maxQueuedMessages = v; return this; }
        public Builder maxMessageBytes(int v) { this.maxMessageBytes = v; return this; }
        public Builder connectTimeout(Duration v) { this.connectTimeout = v; return this; }
        public Builder pingInterval(Duration v) { this.pingInterval = v; return this; }
        public Builder readIdleTimeout(Duration v) { this.readIdleTimeout = v; return this; }
        public Builder trustManagerFactory(TrustManagerFactory v) { this.trustManagerFactory = v; return this; }
        public Builder eventLoopGroup(EventLoopGroup v) { this.eventLoopGroup = v; return this; }
        public Builder random(RandomGenerator v) { this.random = v; return this; }
        /** Batch candidates when the server supports it (default true). */
        public Builder candidateBatching(boolean v) { this.candidateBatching = v; return this; }
        /** The presence blob to register with, asked on every (re)connect (revision 5). */
        public Builder presenceSupplier(Supplier<String> v) { this.presenceSupplier = v; return this; }

        public SignalingClientConfig build() {
            return new SignalingClientConfig(uri, agentId, tokenSupplier, initialBackoff, maxBackoff,
                    backoffMultiplier, backoffJitter, stableAfter, maxQueuedMessages, maxMessageBytes,
                    connectTimeout, pingInterval, readIdleTimeout, trustManagerFactory, eventLoopGroup, random,
                    candidateBatching, presenceSupplier);
        }
    }
}
