package io.jrtc.peer;

import io.jrtc.common.LogThrottle;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsWarmUp;
import io.jrtc.ice.IceWarmUp;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@link PeerConnection}s that share one small Netty event-loop group and, unless a configuration brings its
 * own, one DTLS certificate. Each connection is pinned to one loop of the group for its whole life; thousands of
 * connections share a handful of threads.
 *
 * <p><b>Limits.</b> The factory holds at most {@link RtcLimits#maxPeerConnections()} connections at once, and its
 * {@link #limits()} apply to every connection whose configuration brings none (see {@link RtcLimits}). Every refusal
 * is counted: {@link #limitStats()}.
 *
 * <p>Thread-safe. Close the factory after its connections; closing it shuts the loop group down.
 */
public final class PeerConnectionFactory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerConnectionFactory.class);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final DtlsCertificate defaultCertificate;
    private final LimitCounters limitCounters = new LimitCounters();
    private final LogThrottle refusedLog = new LogThrottle();
    private volatile RtcLimits limits = RtcLimits.defaults();

    /** A factory with {@code max(2, cores)} event loops and a freshly generated ECDSA P-256 certificate. */
    public PeerConnectionFactory() {
        this(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** A factory with {@code loops} event loops of its own. */
    public PeerConnectionFactory(int loops) {
        this(new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("jrtc-loop", true), NioIoHandler.newFactory()),
                true, DtlsCertificate.generate());
    }

    /** A factory on the caller's event-loop group (not shut down by {@link #close()}). */
    public PeerConnectionFactory(EventLoopGroup group, DtlsCertificate defaultCertificate) {
        this(group, false, defaultCertificate);
    }

    private PeerConnectionFactory(EventLoopGroup group, boolean ownsGroup, DtlsCertificate certificate) {
        this.group = Objects.requireNonNull(group, "group");
        this.ownsGroup = ownsGroup;
        this.defaultCertificate = Objects.requireNonNull(certificate, "certificate");
    }

    /**
     * A new connection on the next event loop of the group, with the configuration's limits or, when it has none, this
     * factory's.
     *
     * @throws PeerConnectionException.LimitExceeded when {@link RtcLimits#maxPeerConnections()} connections are held
     *                                               (created and neither closed nor failed by the connect timeout)
     */
    public PeerConnection createPeerConnection(RtcConfiguration configuration) {
        return createPeerConnection(configuration, null);
    }

    /**
     * A new connection pinned to {@code loop}, one of this factory's {@link #eventLoopGroup()} loops, or to the next
     * loop of the group when {@code loop} is null. An application that answers offers arriving on a Netty channel of
     * the same group (a signaling client built on {@link #eventLoopGroup()}, say) can put the connection on that
     * channel's loop: the offer is then applied, answered and the answer written on one thread, with no hand-over
     * between threads (each one costs up to milliseconds when the machine's cores are busy; perf/README.md).
     *
     * @throws IllegalArgumentException               when {@code loop} is not one of this factory's loops
     * @throws PeerConnectionException.LimitExceeded when {@link RtcLimits#maxPeerConnections()} connections are held
     */
    public PeerConnection createPeerConnection(RtcConfiguration configuration, EventLoop loop) {
        Objects.requireNonNull(configuration, "configuration");
        if (loop != null && !ownsLoop(loop)) {
            throw new IllegalArgumentException("event loop " + loop + " is not one of this factory's loops");
        }
        RtcLimits factoryLimits = limits;
        if (!limitCounters.tryAcquire(factoryLimits.maxPeerConnections())) {
            long refused = limitCounters.peerConnectionsRefused.sum();
            boolean log;
            synchronized (refusedLog) {
                log = refusedLog.next();
            }
            if (log) {
                LOG.warn("createPeerConnection refused: {} connections held, the limit (RtcLimits.maxPeerConnections);"
                        + " {} refused so far (logged at 1-3, 10, 100, ...)", factoryLimits.maxPeerConnections(), refused);
            }
            throw new PeerConnectionException.LimitExceeded(RtcLimits.Limit.PEER_CONNECTIONS, "this factory holds "
                    + factoryLimits.maxPeerConnections() + " peer connections, the limit (RtcLimits.maxPeerConnections);"
                    + " close one first");
        }
        RtcLimits l = configuration.limits() != null ? configuration.limits() : factoryLimits;
        try {
            return new PeerConnection(this, configuration, l, limitCounters, loop != null ? loop : group.next());
        } catch (RuntimeException | Error e) {
            limitCounters.release();
            throw e;
        }
    }

    /** The limits of this factory (the defaults until {@link #setLimits} is called). */
    public RtcLimits limits() {
        return limits;
    }

    /**
     * Sets this factory's limits: {@link RtcLimits#maxPeerConnections()} for the next {@code createPeerConnection}, the
     * rest for connections created from now on whose configuration has no limits of its own. Any thread.
     */
    public PeerConnectionFactory setLimits(RtcLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** How often each limit refused something, across this factory's connections, and how many it holds now. */
    public RtcLimitStats limitStats() {
        return limitCounters.snapshot();
    }

    /**
     * Starts initialising, on a background daemon thread, what a JVM's first connection otherwise initialises on its
     * critical path: ice4j's STUN message layer ({@link IceWarmUp}) and one in-memory DTLS handshake in each role with
     * this factory's certificate ({@link DtlsWarmUp}: BouncyCastle's TLS, the JDK's X25519, ECDSA and AES-GCM). About
     * half a second of one core; call it at start-up, before signaling, so the two overlap. Measured with
     * {@code jrtc agent}: see perf/README.md ("Foreign offerers"). The future completes when done; it never completes
     * exceptionally (a failure is logged, and the first connection then simply pays the cost itself).
     */
    public CompletableFuture<Void> prewarm() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("jrtc-prewarm").start(() -> {
            try {
                IceWarmUp.run();
                DtlsWarmUp.run(defaultCertificate, 2, () -> false);
            } catch (RuntimeException e) {
                LOG.warn("prewarm failed (the first connection initialises instead): {}", e.toString());
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /** The certificate used when a configuration names none. */
    public DtlsCertificate defaultCertificate() {
        return defaultCertificate;
    }

    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    private boolean ownsLoop(EventLoop loop) {
        for (EventExecutor e : group) {
            if (e == loop) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            LOG.debug("peer connection factory closed");
        }
    }
}
