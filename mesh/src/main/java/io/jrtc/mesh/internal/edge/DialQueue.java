package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Links the core asked for that wait for their turn: while the agent holds {@code maxLinks} connections (the core
 * does not count inbound links still being answered), or already sets up {@link #MAX_OPENING} outbound links. Many
 * agents share few cores: unpaced, a joining overlay starts so many handshakes at once that each takes longer than
 * the set-up timeout and is thrown away nearly done.
 *
 * <p>A request waits at most half the core's connect timeout; then it is answered "refused" (the agent stays a
 * passive candidate of the core) rather than left to the core's timeout, which would put the agent on the retry list
 * and have it probed later with a high-priority NEIGHBOR, which evicts a neighbour of a full remote. An offer from
 * a waiting agent serves the request ({@link #take}). Agent loop only.
 */
final class DialQueue {

    /** Outbound links an agent sets up at once. */
    static final int MAX_OPENING = 4;

    private final MeshEdge edge;
    private final Runnable waker = this::wake;
    private final LinkedHashMap<AgentId, Long> waiting = new LinkedHashMap<>();
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;

    DialQueue(MeshEdge edge) {
        this.edge = edge;
    }

    /** Whether a new outbound link must wait now (also for the agents sharing this one's factory: {@link SetupBudget}). */
    boolean mustWait() {
        return edge.links.size() >= edge.config.overlay().maxLinks || edge.links.outboundOpening() >= MAX_OPENING
                || !edge.setupBudget.hasRoom();
    }

    /** From any thread: room was freed in the shared budget; try again on the agent loop. */
    void wake() {
        edge.execute(this::run);
    }

    void add(AgentId agent) {
        long deadline = edge.now() + edge.config.overlay().connectTimeoutNanos / 2;
        if (waiting.putIfAbsent(agent, deadline) == null) {
            arm(deadline);
        }
        if (!edge.setupBudget.hasRoom()) {
            edge.setupBudget.await(waker);
        }
    }

    /** Removes {@code agent}'s request, if it waits here: true when it did. */
    boolean take(AgentId agent) {
        return waiting.remove(agent) != null;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }

    void clear() {
        waiting.clear();
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Answers the requests that waited too long, then starts waiting ones while there is room. */
    void run() {
        if (edge.closed) {
            return;
        }
        long now = edge.now();
        for (Map.Entry<AgentId, Long> e : new ArrayList<>(waiting.entrySet())) {
            if (now >= e.getValue() && waiting.remove(e.getKey()) != null) {
                edge.core.linkFailed(now, e.getKey(), true);
            }
        }
        for (AgentId a : new ArrayList<>(waiting.keySet())) {
            if (mustWait()) {
                break;
            }
            waiting.remove(a);
            if (edge.links.byAgent(a) == null) {
                edge.dialer.connect(a);
            }
        }
        edge.drain();
        if (!waiting.isEmpty() && !edge.setupBudget.hasRoom()) {
            edge.setupBudget.await(waker);
        }
        long next = Long.MAX_VALUE;
        for (long d : waiting.values()) {
            next = Math.min(next, d);
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }

    private void arm(long deadline) {
        if (timer != null && !timer.isDone() && timerAt <= deadline) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = deadline;
        timer = edge.schedule(() -> {
            timerAt = Long.MAX_VALUE;
            run();
        }, Math.max(0, deadline - edge.now()) + TimeUnit.MILLISECONDS.toNanos(1));
    }
}
