package io.jrtc.dtls;

import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executors for {@link DtlsConfig#handshakeExecutor()}: where BouncyCastle's blocking handshake runs.
 *
 * <p>{@link #onLoop(Executor)} runs each handshake on a virtual thread whose carrier is the owner's own event loop
 * (the executor that feeds the endpoint its datagrams and drains it). When the loop hands the handshake a datagram,
 * the virtual thread is resumed by a task queued on that same loop, right after the current one: the flight is
 * processed and its answer drained and written without waking another thread. With the JDK's default scheduler each
 * flight costs two hand-overs between threads (loop → carrier pool → loop); on a machine whose cores are busy (a
 * browser on the same 2-core box) each one took up to milliseconds (perf/README.md, "Setup latency"). The price: while
 * a flight is processed (a fraction of a millisecond of public-key arithmetic) the loop serves nothing else.
 *
 * <p>The JDK has no public API for a virtual thread's scheduler yet. {@code onLoop} uses the constructor the JDK keeps
 * for its own tests ({@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor)}), which needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or {@code =io.jrtc.dtls} on the module path; {@code jrtc.jar}'s
 * manifest carries it), and a JDK 24 or newer, where a virtual thread blocked inside {@code synchronized} no longer
 * holds its carrier (JEP 491; on an older JDK that could stall the loop). Without either, or with
 * {@code -Djrtc.dtls.loopCarrier=false}, it returns {@link DtlsConfig#VIRTUAL_THREAD_EXECUTOR}, which behaves the same,
 * one hand-over slower. {@link #loopCarrierAvailable()} says which.
 *
 * <p>The loop is not the handshake thread's only carrier: a resumption that its loop has not run within 20 ms is run by
 * a rescue thread instead (see {@code Resumption}). Without that, a lock that the handshake thread and the loop both
 * wait for could park the loop for ever (it did, in the churn soak).
 */
public final class HandshakeThreads {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeThreads.class);
    private static final Constructor<?> BUILDER = builderConstructor();

    private HandshakeThreads() {
    }

    /** Whether {@link #onLoop} can put handshakes on the owner's loop in this JVM. */
    public static boolean loopCarrierAvailable() {
        return BUILDER != null;
    }

    /**
     * An executor that runs each handshake on a virtual thread carried by {@code loop} (see the class comment), or
     * {@link DtlsConfig#VIRTUAL_THREAD_EXECUTOR} when this JVM does not allow it. Should {@code loop} refuse a task
     * (it shut down while a handshake was parked), the handshake continues on a platform thread of its own, so that
     * it can end.
     */
    public static Executor onLoop(Executor loop) {
        Objects.requireNonNull(loop, "loop");
        if (BUILDER == null) {
            return DtlsConfig.VIRTUAL_THREAD_EXECUTOR;
        }
        Executor scheduler = continuation -> {
            Resumption r = new Resumption(continuation);
            try {
                loop.execute(r);
            } catch (RejectedExecutionException e) {
                Thread.ofPlatform().daemon().name("jrtc-dtls-orphan").start(continuation);
                return;
            }
            r.arm();
        };
        return task -> {
            Thread.Builder.OfVirtual builder;
            try {
                builder = (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("cannot make a loop-carried handshake thread ({}); using a plain virtual thread", e.toString());
                DtlsConfig.VIRTUAL_THREAD_EXECUTOR.execute(task);
                return;
            }
            builder.name("jrtc-dtls-handshake").start(task);
        };
    }

    /**
     * One resumption of a handshake thread: queued on its loop, and run by whichever comes first, the loop or, after
     * {@link #RESCUE_AFTER_NANOS}, a rescue thread. The rescue is what makes loop-carrying safe. The handshake thread
     * and the loop share locks that neither knows of (System.err's, a logging backend's, a JCA provider's): when the
     * handshake thread waits for one held by a third thread, and the loop then waits for it too, queued behind the
     * handshake thread, the lock is handed to the handshake thread, whose only carrier is the parked loop; without a
     * second carrier neither ever runs again ({@code LoopCarriedHandshakesCannotStrandTheLoop}; the churn soak's
     * {@code ./jrtc echo} froze so). A loop that is merely busy for that long loses nothing either: the flight is then
     * processed on the rescue thread, as on the JDK's own scheduler.
     */
    private static final class Resumption extends AtomicBoolean implements Runnable {
        private final Runnable continuation;

        Resumption(Runnable continuation) {
            this.continuation = continuation;
        }

        /** Looks again after the rescue delay (the JDK's shared delay thread; no thread of ours lingers). */
        void arm() {
            RESCUE_CHECK.execute(this::rescue);
        }

        @Override
        public void run() {
            if (compareAndSet(false, true)) {
                continuation.run();
            }
        }

        private void rescue() {
            if (get()) {
                return;
            }
            RESCUERS.execute(() -> {
                if (compareAndSet(false, true)) {
                    RESCUED.incrementAndGet();
                    LOG.debug("a DTLS handshake thread resumed off its loop: the loop ran nothing for {} ms",
                            TimeUnit.NANOSECONDS.toMillis(RESCUE_AFTER_NANOS));
                    continuation.run();
                }
            });
        }
    }

    /** How long a handshake thread's resumption may wait in its loop's queue before a rescue thread runs it. */
    static final long RESCUE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final AtomicLong RESCUED = new AtomicLong();
    private static final Executor RESCUE_CHECK = CompletableFuture.delayedExecutor(RESCUE_AFTER_NANOS,
            TimeUnit.NANOSECONDS, Runnable::run);

    /**
     * The rescue threads: at most {@link #RESCUERS_MAX} for the whole JVM, however many loops and handshakes there are
     * (a loop busy with a burst of handshakes has many resumptions waiting over 20 ms at once; a thread each made the
     * platform thread count climb with the load, 22 at the peak of a 10-agent mesh), each ending after
     * {@link #RESCUER_IDLE_MS} ms without work, so none lingers. Two suffice: a rescued continuation holds its rescue
     * thread only while it computes (a handshake thread that blocks, on a lock or a monitor, unmounts: JEP 491), and
     * the loop still runs whichever resumption it reaches first.
     */
    static final int RESCUERS_MAX = 2;
    static final long RESCUER_IDLE_MS = 100;
    private static final ThreadPoolExecutor RESCUERS = rescuers();

    private static ThreadPoolExecutor rescuers() {
        ThreadPoolExecutor e = new ThreadPoolExecutor(RESCUERS_MAX, RESCUERS_MAX, RESCUER_IDLE_MS, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> Thread.ofPlatform().daemon().name("jrtc-dtls-rescue").unstarted(r));
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Rescue threads alive now (tests). */
    static int rescueThreads() {
        return RESCUERS.getPoolSize();
    }

    /** The most rescue threads alive at once since the JVM started (tests). */
    static int rescueThreadsPeak() {
        return RESCUERS.getLargestPoolSize();
    }

    /** How many handshake resumptions a rescue thread ran because their loop did not within 20 ms (tests, stats). */
    public static long rescuedResumptions() {
        return RESCUED.get();
    }

    private static Constructor<?> builderConstructor() {
        if (!Boolean.parseBoolean(System.getProperty("jrtc.dtls.loopCarrier", "true"))) {
            LOG.debug("loop-carried DTLS handshakes off (-Djrtc.dtls.loopCarrier=false)");
            return null;
        }
        if (Runtime.version().feature() < 24) {
            LOG.debug("loop-carried DTLS handshakes need JDK 24 or newer (JEP 491); this is {}", Runtime.version());
            return null;
        }
        try {
            Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            // check that it really builds a virtual thread on the given scheduler
            Thread probe = ((Thread.Builder.OfVirtual) c.newInstance((Executor) Runnable::run)).unstarted(() -> { });
            if (!probe.isVirtual()) {
                return null;
            }
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("loop-carried DTLS handshakes unavailable ({}); add --add-opens java.base/java.lang=ALL-UNNAMED",
                    e.toString());
            return null;
        }
    }
}
