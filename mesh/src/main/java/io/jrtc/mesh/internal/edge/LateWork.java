package io.jrtc.mesh.internal.edge;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that comes too late for one agent, dropped on purpose: callbacks from its connections, data channels and
 * signaling that reach the agent loop after {@code close()} (its own connections closing fire them), and tasks for an
 * event loop that has already shut down (the factory closed while work was still on its way). Each is counted
 * ({@link io.jrtc.mesh.MeshStats#lateTasksDropped()}); the first is logged with its context, at DEBUG when the agent
 * was closed (expected), at WARN when it was not (its factory's loops were shut down under a running agent: close
 * agents before their factory). Any thread.
 */
final class LateWork {

    private static final Logger LOG = LoggerFactory.getLogger(LateWork.class);

    private final String agent;
    private final LongAdder dropped = new LongAdder();
    private final AtomicBoolean logged = new AtomicBoolean();
    private final LongAdder failed = new LongAdder();

    LateWork(String agent) {
        this.agent = agent;
    }

    /** {@code what} (e.g. "channel closed on link 3 to 1a2b3c4d") was dropped because {@code why}. */
    void drop(String what, String why, boolean agentClosed) {
        dropped.increment();
        if (logged.compareAndSet(false, true)) {
            if (agentClosed) {
                LOG.debug("mesh {}: dropped {} ({}): the agent is closed; later ones are only counted", agent, what,
                        why);
            } else {
                LOG.warn("mesh {}: dropped {} ({}) while the agent was running: its factory's event loops were shut "
                        + "down before the agent was closed; later ones are only counted", agent, what, why);
            }
        }
    }

    /** A task on the agent loop threw (the caller logged it). */
    void taskFailed() {
        failed.increment();
    }

    long droppedCount() {
        return dropped.sum();
    }

    long tasksFailed() {
        return failed.sum();
    }
}
