package io.jrtc.peer;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsWarmUp;
import io.jrtc.ice.IceWarmUp;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
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
 * <p>Thread-safe. Close the factory after its connections; closing it shuts the loop group down.
 */
public final class PeerConnectionFactory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerConnectionFactory.class);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final DtlsCertificate defaultCertificate;

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

    /** A new connection on the next event loop of the group. */
    public PeerConnection createPeerConnection(RtcConfiguration configuration) {
        return new PeerConnection(this, configuration, group.next());
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

    @Override
    public void close() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            LOG.debug("peer connection factory closed");
        }
    }
}
