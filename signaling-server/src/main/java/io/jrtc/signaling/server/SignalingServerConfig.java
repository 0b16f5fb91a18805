package io.jrtc.signaling.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link SignalingServer} needs. Build one with {@link #builder()}; every field has a safe
 * default (loopback only, ephemeral port, no Redis, no TLS, open access with a start-up warning).
 *
 * @param bindHost               address to listen on; default {@code 127.0.0.1} (never the wildcard by default)
 * @param port                   TCP port; 0 picks an ephemeral one, reported by {@link SignalingServer#boundPort()}
 * @param secret                 HMAC secret for agent tokens ({@link AgentToken}); {@code null} = open server
 * @param tokenMaxAge            the longest token lifetime accepted (expiry - now)
 * @param maxFrameBytes          largest WebSocket frame or reassembled message, in bytes
 * @param maxAgents              most agents registered on this instance at once
 * @param messagesPerSecond      sustained per-connection message rate (token bucket refill)
 * @param messageBurst           per-connection burst (token bucket capacity)
 * @param idleTimeout            close a connection from which nothing (not even a pong) arrived for this long
 * @param pingInterval           how often the server sends a WebSocket ping on each connection
 * @param duplicateIdPolicy      REFUSE or TAKE_OVER a second registration of the same id
 * @param redisUri               {@code redis://host:port[/db]} to join a multi-instance signaling space, or null
 * @param presenceTtl            how long an agent's Redis presence survives without a heartbeat
 * @param redisKeyPrefix         prefix for every Redis key and channel (isolates signaling spaces)
 * @param instanceId             this instance's id in Redis; null = random
 * @param stunUrls               STUN URLs handed out in {@code ice_servers}
 * @param turnUrls               TURN URLs handed out in {@code ice_servers} with REST API credentials
 * @param turnSecret             coturn {@code --static-auth-secret}; required for TURN URLs to be handed out
 * @param turnCredentialLifetime lifetime of the ephemeral TURN credentials
 * @param tlsCertFile            PEM certificate chain for {@code wss://}/{@code https://}, or null for plain
 * @param tlsKeyFile             PEM PKCS#8 private key matching {@code tlsCertFile}
 * @param drainTimeout           how long {@link SignalingServer#drain()} waits for agents to go before closing
 * @param ioThreads              Netty event-loop threads; 0 = number of available processors
 * @param maxQueuedBytesPerAgent bytes queued towards one agent beyond which it is closed as a slow consumer
 * @param maxBacklogMessages     the hard limit: messages held per connection while it is being slowed down (over
 *                               the soft limit, {@code messagesPerSecond}/{@code messageBurst}); beyond this (or
 *                               beyond {@code 16 × maxFrameBytes} of held text) a message is refused with
 *                               {@code rate_limited}
 * @param registerTimeout        close a WebSocket (or a TCP connection that never upgrades) that has not
 *                               registered within this time
 * @param candidateBatches       accept {@code candidates} batches and announce them in {@code registered}
 *                               (protocol 1, revision 3); off, a batch is an unknown type. Turn it off while
 *                               an older instance still shares the Redis space (it cannot unroll batches)
 */
public record SignalingServerConfig(
        String bindHost,
        int port,
        String secret,
        Duration tokenMaxAge,
        int maxFrameBytes,
        int maxAgents,
        double messagesPerSecond,
        int messageBurst,
        Duration idleTimeout,
        Duration pingInterval,
        DuplicateIdPolicy duplicateIdPolicy,
        String redisUri,
        Duration presenceTtl,
        String redisKeyPrefix,
        String instanceId,
        List<String> stunUrls,
        List<String> turnUrls,
        String turnSecret,
        Duration turnCredentialLifetime,
        Path tlsCertFile,
        Path tlsKeyFile,
        Duration drainTimeout,
        int ioThreads,
        long maxQueuedBytesPerAgent,
        int maxBacklogMessages,
        Duration registerTimeout,
        boolean candidateBatches) {

    /** Default maximum frame size: 64 KiB, room for an SDP carrying many candidates. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    /**
     * Default soft limit, sustained: 100 messages/s per connection. With {@link #DEFAULT_MESSAGE_BURST} a mesh
     * agent joining 20 neighbours (20 offers or answers, ~10 candidates and an end-of-candidates each: ~240
     * messages) passes unslowed; more is slowed down, not refused.
     */
    public static final double DEFAULT_MESSAGES_PER_SECOND = 100;
    /** Default soft limit, burst: 400 messages. */
    public static final int DEFAULT_MESSAGE_BURST = 400;
    /** Default hard limit: 1,000 messages held per connection while it is slowed down. */
    public static final int DEFAULT_MAX_BACKLOG_MESSAGES = 1000;

    public SignalingServerConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (secret != null && secret.isEmpty()) {
            throw new IllegalArgumentException("secret must be null (open server) or non-empty");
        }
        requirePositive(tokenMaxAge, "tokenMaxAge");
        if (maxFrameBytes < 256) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 256, got " + maxFrameBytes);
        }
        if (maxAgents < 1) {
            throw new IllegalArgumentException("maxAgents must be positive");
        }
        if (!(messagesPerSecond > 0) || messageBurst < 1) {
            throw new IllegalArgumentException("messagesPerSecond and messageBurst must be positive");
        }
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(pingInterval, "pingInterval");
        if (pingInterval.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("pingInterval must be shorter than idleTimeout");
        }
        Objects.requireNonNull(duplicateIdPolicy, "duplicateIdPolicy");
        requirePositive(presenceTtl, "presenceTtl");
        if (presenceTtl.toMillis() < 300) {
            throw new IllegalArgumentException("presenceTtl must be at least 300 ms");
        }
        Objects.requireNonNull(redisKeyPrefix, "redisKeyPrefix");
        stunUrls = List.copyOf(stunUrls);
        turnUrls = List.copyOf(turnUrls);
        if (turnSecret != null && turnSecret.isEmpty()) {
            throw new IllegalArgumentException("turnSecret must be null or non-empty");
        }
        requirePositive(turnCredentialLifetime, "turnCredentialLifetime");
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file");
        }
        requirePositive(drainTimeout, "drainTimeout");
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0");
        }
        if (maxQueuedBytesPerAgent < maxFrameBytes) {
            throw new IllegalArgumentException("maxQueuedBytesPerAgent must be at least maxFrameBytes");
        }
        if (maxBacklogMessages < 0) {
            throw new IllegalArgumentException("maxBacklogMessages must be >= 0");
        }
        requirePositive(registerTimeout, "registerTimeout");
    }

    /** The hard limit in bytes of text held per connection while it is slowed down. */
    public long maxBacklogBytes() {
        return 16L * maxFrameBytes;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Whether {@code wss://} is served. */
    public boolean tls() {
        return tlsCertFile != null;
    }

    /** A builder with every default filled in. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindHost = bindHost;
        b.port = port;
        b.secret = secret;
        b.tokenMaxAge = tokenMaxAge;
        b.maxFrameBytes = maxFrameBytes;
        b.maxAgents = maxAgents;
        b.messagesPerSecond = messagesPerSecond;
        b.messageBurst = messageBurst;
        b.idleTimeout = idleTimeout;
        b.pingInterval = pingInterval;
        b.duplicateIdPolicy = duplicateIdPolicy;
        b.redisUri = redisUri;
        b.presenceTtl = presenceTtl;
        b.redisKeyPrefix = redisKeyPrefix;
        b.instanceId = instanceId;
        b.stunUrls = stunUrls;
        b.turnUrls = turnUrls;
        b.turnSecret = turnSecret;
        b.turnCredentialLifetime = turnCredentialLifetime;
        b.tlsCertFile = tlsCertFile;
        b.tlsKeyFile = tlsKeyFile;
        b.drainTimeout = drainTimeout;
        b.ioThreads = ioThreads;
        b.maxQueuedBytesPerAgent = maxQueuedBytesPerAgent;
        b.maxBacklogMessages = maxBacklogMessages;
        b.registerTimeout = registerTimeout;
        b.candidateBatches = candidateBatches;
        return b;
    }

    /** Secrets are redacted. */
    @Override
    public String toString() {
        return "SignalingServerConfig[bind=" + bindHost + ":" + port
                + ", auth=" + (secret == null ? "open" : "hmac-token(maxAge=" + tokenMaxAge + ")")
                + ", maxFrameBytes=" + maxFrameBytes + ", maxAgents=" + maxAgents
                + ", rate=" + messagesPerSecond + "/s burst " + messageBurst + " (soft), backlog "
                + maxBacklogMessages + " (hard), registerTimeout=" + registerTimeout
                + ", candidateBatches=" + candidateBatches
                + ", idleTimeout=" + idleTimeout + ", ping=" + pingInterval
                + ", duplicateIds=" + duplicateIdPolicy
                + ", redis=" + (redisUri == null ? "none" : redactUri(redisUri))
                + ", presenceTtl=" + presenceTtl + ", prefix=" + redisKeyPrefix
                + ", stun=" + stunUrls + ", turn=" + turnUrls
                + ", turnSecret=" + (turnSecret == null ? "none" : "<redacted>")
                + ", turnLifetime=" + turnCredentialLifetime
                + ", tls=" + (tls() ? tlsCertFile : "off") + ", drainTimeout=" + drainTimeout
                + ", ioThreads=" + ioThreads + "]";
    }

    private static String redactUri(String uri) {
        int at = uri.indexOf('@');
        int scheme = uri.indexOf("://");
        return at > 0 && scheme > 0 && scheme < at ? uri.substring(0, scheme + 3) + "<redacted>" + uri.substring(at) : uri;
    }

    /** Mutable builder for {@link SignalingServerConfig}. Not thread-safe. */
    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int port = 0;
        private String secret;
        private Duration tokenMaxAge = Duration.ofHours(24);
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private int maxAgents = 10_000;
        private double messagesPerSecond = DEFAULT_MESSAGES_PER_SECOND;
        private int messageBurst = DEFAULT_MESSAGE_BURST;
        private int maxBacklogMessages = DEFAULT_MAX_BACKLOG_MESSAGES;
        private Duration registerTimeout = Duration.ofSeconds(10);
        private boolean candidateBatches = true;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration pingInterval = Duration.ofSeconds(20);
        private DuplicateIdPolicy duplicateIdPolicy = DuplicateIdPolicy.REFUSE;
        private String redisUri;
        private Duration presenceTtl = Duration.ofSeconds(15);
        private String redisKeyPrefix = "jrtc:sig:";
        private String instanceId;
        private List<String> stunUrls = List.of();
        private List<String> turnUrls = List.of();
        private String turnSecret;
        private Duration turnCredentialLifetime = Duration.ofHours(24);
        private Path tlsCertFile;
        private Path tlsKeyFile;
        private Duration drainTimeout = Duration.ofSeconds(10);
        private int ioThreads = 0;
        private long maxQueuedBytesPerAgent = 4L * 1024 * 1024;

        private Builder() {
        }

        public Builder bindHost(String v) { this.bindHost = v; return this; }
        public Builder port(int v) { this.port = v; return this; }
        /** HMAC secret for agent tokens; null leaves the server open (it warns at start-up). */
        public Builder secret(String v) { this.secret = v; return this; }
        public Builder tokenMaxAge(Duration v) { this.tokenMaxAge = v; return this; }
        public Builder maxFrameBytes(int v) { this.maxFrameBytes = v; return this; }
        public Builder maxAgents(int v) { this.maxAgents = v; return this; }
        /** Token bucket: {@code perSecond} sustained, {@code burst} at once. */
        public Builder rateLimit(double perSecond, int burst) {
            this.messagesPerSecond = perSecond;
            this.messageBurst = burst;
            return this;
        }
        public Builder idleTimeout(Duration v) { this.idleTimeout = v; return this; }
        public Builder pingInterval(Duration v) { this.pingInterval = v; return this; }
        public Builder duplicateIdPolicy(DuplicateIdPolicy v) { this.duplicateIdPolicy = v; return this; }
        public Builder redisUri(String v) { this.redisUri = v; return this; }
        public Builder presenceTtl(Duration v) { this.presenceTtl = v; return this; }
        public Builder redisKeyPrefix(String v) { this.redisKeyPrefix = v; return this; }
        public Builder instanceId(String v) { this.instanceId = v; return this; }
        public Builder stunUrls(List<String> v) { this.stunUrls = v; return this; }
        public Builder turnUrls(List<String> v) { this.turnUrls = v; return this; }
        public Builder turnSecret(String v) { this.turnSecret = v; return this; }
        public Builder turnCredentialLifetime(Duration v) { this.turnCredentialLifetime = v; return this; }
        /** Serve {@code wss://} with this PEM certificate chain and PEM PKCS#8 key. */
        public Builder tls(Path certFile, Path keyFile) {
            this.tlsCertFile = certFile;
            this.tlsKeyFile = keyFile;
            return this;
        }
        public Builder drainTimeout(Duration v) { this.drainTimeout = v; return this; }
        public Builder ioThreads(int v) { this.ioThreads = v; return this; }
        public Builder maxQueuedBytesPerAgent(long v) { this.maxQueuedBytesPerAgent = v; return this; }
        /** The hard limit: messages held while a connection is slowed down; 0 = refuse at once (no shaping). */
        public Builder maxBacklogMessages(int v) { this.maxBacklogMessages = v; return this; }
        public Builder registerTimeout(Duration v) { this.registerTimeout = v; return this; }
        /** Accept and announce {@code candidates} batches (default on). */
        public Builder candidateBatches(boolean v) { this.candidateBatches = v; return this; }

        public SignalingServerConfig build() {
            return new SignalingServerConfig(bindHost, port, secret, tokenMaxAge, maxFrameBytes, maxAgents,
                    messagesPerSecond, messageBurst, idleTimeout, pingInterval, duplicateIdPolicy, redisUri,
                    presenceTtl, redisKeyPrefix, instanceId, stunUrls, turnUrls, turnSecret,
                    turnCredentialLifetime, tlsCertFile, tlsKeyFile, drainTimeout, ioThreads,
                    maxQueuedBytesPerAgent, maxBacklogMessages, registerTimeout, candidateBatches);
        }
    }
}
