package io.jrtc.cli.internal;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionException;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection made ahead of the next offer, for an agent that answers ({@code jrtc echo}). It is created with
 * W3C {@code iceCandidatePoolSize} 1, so its sockets are bound and its host candidates gathered before the offer
 * arrives: the answer then carries them at once, and creating the connection is off the answer's path too (measured
 * against Chromium: creating 0.4-0.6 ms, waiting for the first candidate about 1 ms more; perf/README.md).
 *
 * <p>{@link #take} hands over the ready connection when it was made for an equal configuration, else creates one
 * then; either way the next spare is made {@value #PREPARE_DELAY_MILLIS} ms later, in the background. A spare older
 * than {@value #MAX_AGE_SECONDS} s is replaced (its addresses may be stale). A spare holds one of the factory's
 * {@code maxPeerConnections}; when the factory is full, none is made. Thread-safe.
 */
public final class SparePeerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparePeerConnection.class);
    static final long PREPARE_DELAY_MILLIS = 50;
    static final long MAX_AGE_SECONDS = 30;

    private record Entry(PeerConnection pc, RtcConfiguration config, long madeAt, long generation) {
    }

    private final PeerConnectionFactory factory;
    private final Supplier<EventLoop> loops;
    private Entry spare; // guarded by this
    private boolean closed; // guarded by this
    private long taken;
    private long made;

    /** Spares on the factory's loops in turn. */
    public SparePeerConnection(PeerConnectionFactory factory) {
        this(factory, () -> null);
    }

    /**
     * Spares (and connections made by {@link #take} when no spare fits) on the loop {@code loops} names when each is
     * made; null means the factory's next loop.
     */
    public SparePeerConnection(PeerConnectionFactory factory, Supplier<EventLoop> loops) {
        this.factory = factory;
        this.loops = loops;
    }

    /** The configuration a spare is made with: {@code config} with an ICE candidate pool of 1. */
    static RtcConfiguration pooled(RtcConfiguration config) {
        return config.iceCandidatePoolSize() > 0 ? config : config.toBuilder().iceCandidatePoolSize(1).build();
    }

    /**
     * A connection for {@code config}: the spare if it fits, else a new one (which may throw what
     * {@link PeerConnectionFactory#createPeerConnection} throws). Then prepares the next spare in the background.
     */
    public PeerConnection take(RtcConfiguration config) {
        RtcConfiguration wanted = pooled(config);
        Entry e;
        synchronized (this) {
            e = spare;
            spare = null;
        }
        PeerConnection pc = null;
        if (e != null && e.config.equals(wanted) && System.nanoTime() - e.madeAt < TimeUnit.SECONDS.toNanos(MAX_AGE_SECONDS)) {
            pc = e.pc;
            synchronized (this) {
                taken++;
            }
        } else if (e != null) {
            e.pc.close(); // before creating: it may hold the factory's last slot
        }
        if (pc == null) {
            pc = factory.createPeerConnection(wanted, loops.get());
        }
        prepareLater(config);
        return pc;
    }

    /** Makes a spare for {@code config} in {@value #PREPARE_DELAY_MILLIS} ms, unless one exists by then. */
    public void prepareLater(RtcConfiguration config) {
        RtcConfiguration wanted = pooled(config);
        CompletableFuture.delayedExecutor(PREPARE_DELAY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> prepare(wanted));
    }

    private void prepare(RtcConfiguration wanted) {
        synchronized (this) {
            if (closed || spare != null) {
                return;
            }
        }
        PeerConnection pc;
        try {
            pc = factory.createPeerConnection(wanted, loops.get());
        } catch (PeerConnectionException.LimitExceeded e) {
            LOG.debug("no spare peer connection: {}", e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.warn("could not make a spare peer connection (offers are answered without one): {}", e.toString());
            return;
        }
        Entry mine;
        synchronized (this) {
            if (closed || spare != null) {
                mine = null;
            } else {
                mine = new Entry(pc, wanted, System.nanoTime(), ++made);
                spare = mine;
            }
        }
        if (mine == null) {
            pc.close();
            return;
        }
        long generation = mine.generation;
        // the timer holds the generation only, never the connection: a spare taken meanwhile is not kept alive
        CompletableFuture.delayedExecutor(MAX_AGE_SECONDS, TimeUnit.SECONDS).execute(() -> refresh(generation));
    }

    /** Replaces the spare if it is still the one of {@code generation}: its addresses may be stale by now. */
    private void refresh(long generation) {
        Entry e;
        synchronized (this) {
            e = spare;
            if (e == null || e.generation != generation) {
                return;
            }
            spare = null;
        }
        e.pc.close();
        prepare(e.config);
    }

    /** Spares made and spares taken by {@link #take}, so far. */
    public synchronized long[] counts() {
        return new long[] {made, taken};
    }

    /** Closes the spare, if any; none is made afterwards. */
    @Override
    public void close() {
        Entry e;
        synchronized (this) {
            closed = true;
            e = spare;
            spare = null;
        }
        if (e != null) {
            e.pc.close();
        }
    }
}
