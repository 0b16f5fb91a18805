package io.jrtc.signaling.server;

import io.jrtc.signaling.server.internal.HttpHandler;
import io.jrtc.signaling.server.internal.Hub;
import io.jrtc.signaling.server.internal.RedisBackbone;
import io.jrtc.signaling.server.internal.ResultsStore;
import io.jrtc.signaling.server.internal.ServerInitializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jrtc signaling server: JSON text frames over a WebSocket at {@code /ws} (protocol version 1, see the
 * module README), plus {@code /} (demo page), {@code /health}, {@code /metrics} and {@code /results}.
 *
 * <pre>{@code
 * SignalingServer server = new SignalingServer(SignalingServerConfig.builder().port(8080).secret(s).build());
 * int port = server.start().join();
 * ...
 * server.close();          // drain: /health 503, agents told server_draining, then closed
 * }</pre>
 *
 * <p>Threading: the public methods may be called from any thread. I/O runs on a Netty
 * {@code MultiThreadIoEventLoopGroup} owned by the server; Redis callbacks run on Lettuce's threads. No
 * relay step blocks an event loop.
 */
public final class SignalingServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignalingServer.class);

    private enum Lifecycle { NEW, STARTING, RUNNING, DRAINING, CLOSED }

    private final SignalingServerConfig config;
    private final Hub hub;
    private final ResultsStore results;
    private final String instanceId;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private volatile EventLoopGroup group;
    private volatile Channel serverChannel;
    private volatile ChannelGroup channels;
    private volatile RedisBackbone redis;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile ScheduledFuture<?> reaper;
    private volatile InetSocketAddress bound;

    /** A server using the system UTC clock for tokens and TURN credentials. */
    public SignalingServer(SignalingServerConfig config) {
        this(config, Clock.systemUTC());
    }

    /** A server reading wall-clock time (token expiry, TURN credential expiry) from {@code clock}. */
    public SignalingServer(SignalingServerConfig config, Clock clock) {
        this.config = config;
        this.instanceId = config.instanceId() != null ? config.instanceId() : randomInstanceId();
        this.hub = new Hub(config, clock);
        this.results = new ResultsStore(clock);
    }

    private static String randomInstanceId() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return "i-" + HexFormat.of().formatHex(b);
    }

    /**
     * Joins Redis (if configured), binds and starts serving. Completes with the bound port. Blocking work
     * (Redis connect, bind) runs on a virtual thread, never on the caller's.
     *
     * @throws IllegalStateException if already started
     */
    public CompletableFuture<Integer> start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTING)) {
            throw new IllegalStateException("server already started");
        }
        Thread.ofVirtual().name("jrtc-signaling-start").start(this::startBlocking);
        return started;
    }

    private void startBlocking() {
        try {
            if (config.secret() == null) {
                LOG.warn("signaling server is OPEN: no secret configured, so any client may register any "
                        + "agent_id. Configure a secret to require signed agent tokens.");
            }
            if (!config.turnUrls().isEmpty() && config.turnSecret() == null) {
                LOG.warn("TURN URLs configured without a TURN shared secret: they are not handed out");
            }
            SslContext ssl = null;
            if (config.tls()) {
                ssl = SslContextBuilder.forServer(config.tlsCertFile().toFile(), config.tlsKeyFile().toFile()).build();
                hub.metrics().tlsCertificateExpiry(certificateNotAfter(config.tlsCertFile()));
            }
            if (config.redisUri() != null) {
                RedisBackbone r = new RedisBackbone(config.redisUri(), config.redisKeyPrefix(), instanceId,
                        config.presenceTtl(), hub);
                r.start();
                hub.metrics().backbone(r::connected);
                redis = r;
                hub.attachRedis(r);
            }
            int threads = config.ioThreads() > 0 ? config.ioThreads()
                    : Math.max(1, Runtime.getRuntime().availableProcessors());
            group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("jrtc-signaling"),
                    NioIoHandler.newFactory());
            channels = new DefaultChannelGroup("jrtc-signaling", GlobalEventExecutor.INSTANCE);
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                    .childHandler(new ServerInitializer(hub, ssl, HttpHandler.loadAssets(), results, instanceId,
                            channels));
            Channel ch = b.bind(new InetSocketAddress(InetAddress.getByName(config.bindHost()), config.port()))
                    .sync().channel();
            serverChannel = ch;
            bound = (InetSocketAddress) ch.localAddress();
            if (redis != null) {
                scheduleRedisTimers();
            }
            if (!lifecycle.compareAndSet(Lifecycle.STARTING, Lifecycle.RUNNING)) {
                throw new IllegalStateException("closed while starting");
            }
            LOG.info("signaling server instance {} listening on {}://{}:{}{} ({} I/O threads, {}, {})",
                    instanceId, config.tls() ? "wss" : "ws", bound.getHostString(), bound.getPort(), "/ws",
                    threads, config.secret() == null ? "open" : "token auth",
                    redis == null ? "standalone" : "Redis scale-out");
            started.complete(bound.getPort());
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("signaling server failed to start on {}:{}", config.bindHost(), config.port(), e);
            lifecycle.set(Lifecycle.CLOSED);
            release(false);
            started.completeExceptionally(e);
            terminated.complete(null);
        }
    }

    /** The notAfter (Unix seconds) of the first certificate in a PEM file. */
    private static long certificateNotAfter(Path pem) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return c.getNotAfter().toInstant().getEpochSecond();
        }
    }

    private void scheduleRedisTimers() {
        long ttl = config.presenceTtl().toMillis();
        long beat = redis.heartbeatMillis(); // the repair's delay counts on this period
        long reap = Math.max(100, ttl / 2);
        heartbeat = group.next().scheduleAtFixedRate(this::heartbeatTick, beat, beat, TimeUnit.MILLISECONDS);
        reaper = group.next().scheduleAtFixedRate(this::reapTick, reap, reap, TimeUnit.MILLISECONDS);
    }

    private volatile boolean heartbeatFailing;

    private void heartbeatTick() {
        RedisBackbone r = redis;
        if (r == null) {
            return;
        }
        List<String> ids = hub.localAgentIds();
        if (ids.isEmpty()) {
            return;
        }
        r.heartbeat(ids).whenComplete((lost, err) -> {
            if (err != null) {
                if (!heartbeatFailing) {
                    heartbeatFailing = true;
                    LOG.warn("presence heartbeat to Redis failed; agents here expire for others after {} "
                            + "unless it recovers: {}", config.presenceTtl(), err.toString());
                }
                return;
            }
            if (heartbeatFailing) {
                heartbeatFailing = false;
                LOG.info("presence heartbeat to Redis recovered");
            }
            if (!lost.isEmpty()) {
                LOG.info("agents {} are now owned by another instance; closing them here", lost);
                hub.lost(lost);
            }
        });
    }

    private void reapTick() {
        RedisBackbone r = redis;
        if (r == null) {
            return;
        }
        r.reap().whenComplete((gone, err) -> {
            if (err == null && !gone.isEmpty()) {
                LOG.info("presence expired for agents {} (their instance stopped heartbeating)", gone);
            } else if (err != null) {
                LOG.debug("presence reaper failed: {}", err.toString());
            }
        });
    }

    /** The bound TCP port. @throws IllegalStateException before {@link #start()} has completed */
    public int boundPort() {
        InetSocketAddress a = bound;
        if (a == null) {
            throw new IllegalStateException("not bound yet");
        }
        return a.getPort();
    }

    /** The bound address. @throws IllegalStateException before {@link #start()} has completed */
    public InetSocketAddress localAddress() {
        InetSocketAddress a = bound;
        if (a == null) {
            throw new IllegalStateException("not bound yet");
        }
        return a;
    }

    /** This instance's id in the Redis signaling space (also reported by {@code /health}). */
    public String instanceId() {
        return instanceId;
    }

    public SignalingServerConfig config() {
        return config;
    }

    /** The Micrometer registry behind {@code /metrics} (a {@code PrometheusMeterRegistry}). */
    public MeterRegistry meterRegistry() {
        return hub.metrics().registry();
    }

    /** The Prometheus text exposition, as {@code /metrics} serves it. */
    public String scrapeMetrics() {
        return hub.metrics().scrape("text/plain");
    }

    /** Agents registered on this instance. */
    public int connectedAgents() {
        return hub.registeredCount();
    }

    public boolean isDraining() {
        Lifecycle l = lifecycle.get();
        return l == Lifecycle.DRAINING || l == Lifecycle.CLOSED;
    }

    /** Completes once the server has fully stopped. */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /**
     * Graceful shutdown: {@code /health} turns 503 and new WebSocket upgrades are refused; every agent gets
     * {@code server_draining} and a close frame (1001); the server waits up to the drain timeout for the
     * agents to answer the close, then stops listening, closes what is left, releases Redis presence and
     * stops its threads. Idempotent; returns {@link #terminationFuture()}.
     */
    public CompletableFuture<Void> drain() {
        Lifecycle l = lifecycle.get();
        if (l == Lifecycle.NEW && lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.CLOSED)) {
            terminated.complete(null);
            return terminated;
        }
        if (l == Lifecycle.STARTING) {
            started.handle((p, e) -> drain());
            return terminated;
        }
        if (!lifecycle.compareAndSet(Lifecycle.RUNNING, Lifecycle.DRAINING)) {
            return terminated;
        }
        LOG.info("draining: {} agents, {} connections; waiting up to {}", hub.registeredCount(),
                hub.openSessions(), config.drainTimeout());
        hub.startDrain();
        hub.whenNoSessions()
                .completeOnTimeout(null, config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> Thread.ofVirtual().name("jrtc-signaling-stop").start(() -> {
                    if (hub.openSessions() > 0) {
                        LOG.info("drain timeout: closing {} remaining connections", hub.openSessions());
                    }
                    release(true);
                    lifecycle.set(Lifecycle.CLOSED);
                    LOG.info("signaling server instance {} stopped", instanceId);
                    terminated.complete(null);
                }));
        return terminated;
    }

    /** Drains (see {@link #drain()}) and waits for it, bounded by the drain timeout plus a few seconds. */
    @Override
    public void close() {
        try {
            drain().get(config.drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("signaling server did not stop cleanly", e);
        }
    }

    /**
     * Stops at once, as a crash would: connections are cut without notices and Redis presence is NOT
     * released (other instances see these agents leave when their TTL expires). For tests and emergencies.
     */
    public void abort() {
        Lifecycle prev = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (prev == Lifecycle.CLOSED) {
            return;
        }
        LOG.warn("signaling server instance {} aborted", instanceId);
        RedisBackbone r = redis;
        redis = null;
        hub.attachRedis(null);
        if (r != null) {
            cancelTimers();
            r.close();
        }
        release(false);
        terminated.complete(null);
    }

    private void cancelTimers() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (reaper != null) {
            reaper.cancel(false);
        }
    }

    private void release(boolean graceful) {
        cancelTimers();
        Channel sc = serverChannel;
        if (sc != null) {
            sc.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        ChannelGroup cg = channels;
        if (cg != null) {
            cg.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        RedisBackbone r = redis;
        if (r != null) {
            if (graceful) {
                try {
                    hub.whenNoSessions().get(2, TimeUnit.SECONDS);
                    hub.pendingReleases().get(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    LOG.warn("some Redis presence releases did not finish; they expire after the TTL");
                }
            }
            redis = null;
            hub.attachRedis(null);
            r.close();
        }
        EventLoopGroup g = group;
        if (g != null) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
