package io.jrtc.mesh.internal.edge;

import io.jrtc.peer.PeerConnectionFactory;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Outbound link set-ups in flight over one {@link PeerConnectionFactory}, across every agent that shares it: at most
 * {@link #PER_CORE} per core of the machine. Each agent paces its own set-ups ({@link DialQueue}), but agents sharing
 * a factory share its event loops and the machine's cores: 1,000 agents in one JVM with 4 set-ups each started 4,000
 * handshakes at once on 2 cores, none of which finished within its 10 s timeout. An agent whose set-up finishes
 * wakes the agents waiting for room. Thread-safe (agents run on different loops).
 */
final class SetupBudget {

    static final int PER_CORE = 16;

    private static final Map<PeerConnectionFactory, SetupBudget> BY_FACTORY = new WeakHashMap<>();

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    SetupBudget(int max) {
        this.max = max;
    }

    /** The budget of the agents sharing {@code factory}. */
    static SetupBudget of(PeerConnectionFactory factory) {
        synchronized (BY_FACTORY) {
            return BY_FACTORY.computeIfAbsent(factory,
                    f -> new SetupBudget(PER_CORE * Runtime.getRuntime().availableProcessors()));
        }
    }

    boolean hasRoom() {
        return inFlight.get() < max;
    }

    int inFlight() {
        return inFlight.get();
    }

    void acquire() {
        inFlight.incrementAndGet();
    }

    /** A set-up is done (up or gone): the agents that waited for room try again, on their own loops. */
    void release() {
        inFlight.decrementAndGet();
        Runnable w;
        int woken = 0;
        while (woken < 2 && (w = waiting.poll()) != null) {
            w.run();
            woken++;
        }
    }

    /** {@code wake} (an agent's; it hops to its own loop) runs when room is freed; queued once at a time. */
    void await(Runnable wake) {
        if (!waiting.contains(wake)) {
            waiting.add(wake);
        }
    }
}
