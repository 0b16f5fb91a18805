package io.jrtc.dtls;

import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
            try {
                loop.execute(continuation);
            } catch (RejectedExecutionException e) {
                Thread.ofPlatform().daemon().name("jrtc-dtls-orphan").start(continuation);
            }
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
