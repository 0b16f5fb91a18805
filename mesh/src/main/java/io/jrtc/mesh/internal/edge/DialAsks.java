package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asking before a low-priority dial (mesh README, "How a link is made", step 2): a low-priority NEIGHBOR request is
 * refused by any agent whose active view is full, and most requests of a forming overlay go to such agents. Built
 * first, each refused request cost the dialler a PeerConnection with four channels, a socket, ICE gathering and an
 * offer before the remote's {@code bye}. Now the dialler first sends an <b>ask</b>: an {@code offer} through
 * signaling whose body is the line {@link #ASK} instead of a description. The remote answers it from the same check
 * it applies to a marked offer: an {@code answer} whose body is {@link #ROOM}, or a {@code bye}; an agent it told
 * {@code ROOM} holds one of its free active-view slots for {@link #PROMISE_NANOS} (or until its offer comes), so
 * that the room is still there when the dial arrives. Only after {@code ROOM} does the dialler build its connection (whose offer still carries the
 * low-priority mark: the remote may have filled meanwhile). An ask not answered within {@link #TIMEOUT_NANOS} is
 * taken as room (the dial goes ahead as before). Agent loop only.
 */
final class DialAsks {

    private static final Logger LOG = LoggerFactory.getLogger(DialAsks.class);

    /** The body of an ask: an offer that is not a session description. */
    static final String ASK = "jrtc-mesh-ask:low";
    /** The body of the answer to an ask from an agent with room. */
    static final String ROOM = "jrtc-mesh-room";
    /** An ask unanswered for this long is taken as room: the dial goes ahead. */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);

    private record Asked(String signalingId, ScheduledFuture<?> timer) {
    }

    private final MeshEdge edge;
    private final LinkedHashMap<AgentId, Asked> asked = new LinkedHashMap<>();
    /** Agents that answered {@link #ROOM}: the next dial to them is built without asking again. */
    private final Set<AgentId> cleared = new HashSet<>();
    /**
     * Remote side: agents told {@link #ROOM}, until when. Each holds an active-view slot for {@link #PROMISE_NANOS},
     * or until its offer comes, so that the room an ask was told about is still there when the dial arrives.
     */
    private final LinkedHashMap<AgentId, Long> promised = new LinkedHashMap<>();
    static final long PROMISE_NANOS = TimeUnit.SECONDS.toNanos(2);
    long sent;
    long refused;
    long answered;

    DialAsks(MeshEdge edge) {
        this.edge = edge;
    }

    /**
     * Whether the core's request for {@code agent} is settled by an ask (sent now, or already on its way); false when
     * the dial is to be built now: not a low-priority request, or the agent just answered that it has room.
     */
    boolean ask(AgentId agent, String signalingId) {
        if (cleared.contains(agent) || !edge.core.lowPriorityDial(agent)) {
            return false;
        }
        if (asked.containsKey(agent)) {
            return true;
        }
        try {
            edge.signaling.sendOffer(signalingId, ASK);
        } catch (RuntimeException e) {
            LOG.debug("mesh {}: ask to {} not sent ({}); dialling", edge.self().shortString(), agent.shortString(),
                    e.toString());
            return false;
        }
        sent++;
        ScheduledFuture<?> t = edge.schedule(() -> {
            if (asked.remove(agent) != null && !edge.closed) {
                LOG.debug("mesh {}: ask to {} unanswered; dialling", edge.self().shortString(), agent.shortString());
                proceed(agent);
            }
        }, TIMEOUT_NANOS);
        asked.put(agent, new Asked(signalingId, t));
        return true;
    }

    /** An answer from {@code agent} ({@code signalingId}): true when it was the reply to our ask (consumed). */
    boolean onAnswer(AgentId agent, String signalingId, String body) {
        if (!ROOM.equals(body)) {
            return false;
        }
        Asked a = asked.get(agent);
        if (a != null && a.signalingId.equals(signalingId)) {
            asked.remove(agent);
            a.timer.cancel(false);
            answered++;
            proceed(agent);
        }
        return true;
    }

    /** A {@code bye} from {@code agent}: true when it refused our ask (the core hears "refused"). */
    boolean onBye(AgentId agent, String signalingId) {
        Asked a = agent == null ? null : asked.get(agent);
        if (a == null || !a.signalingId.equals(signalingId)) {
            return false;
        }
        asked.remove(agent);
        a.timer.cancel(false);
        refused++;
        LOG.debug("mesh {}: {} refused our ask (full); no connection built", edge.self().shortString(),
                agent.shortString());
        edge.dialer.askRefused(agent);
        return true;
    }

    /** The remote has room (or did not say): build the dial if the core still wants it. */
    private void proceed(AgentId agent) {
        if (edge.closed || !edge.core.lowPriorityDial(agent) || edge.links.byAgent(agent) != null) {
            return; // the core gave up meanwhile, or the remote's own offer is being answered
        }
        if (cleared.size() >= 1024) {
            cleared.clear(); // requests the core gave up after a ROOM: at worst one dial without asking
        }
        cleared.add(agent);
        edge.dialer.connect(agent);
        edge.drain();
    }

    /**
     * Answers an ask from {@code from} ({@code signalingId}): {@link #ROOM} when a low-priority offer from it would be
     * admitted now ({@code room}; the slot is then promised to it), else a {@code bye}.
     */
    void answer(AgentId from, String signalingId, boolean room) {
        if (room) {
            promised.put(from, edge.now() + PROMISE_NANOS);
        }
        edge.trySignal(() -> {
            if (room) {
                edge.signaling.sendAnswer(signalingId, ROOM);
            } else {
                edge.signaling.sendBye(signalingId);
            }
        });
    }

    /** The dial to {@code agent} is being built: a later low-priority request asks again. */
    void dialling(AgentId agent) {
        cleared.remove(agent);
    }

    /** Remote side: active-view slots promised to agents other than {@code except} (expired promises dropped). */
    int promisedExcept(AgentId except) {
        long now = edge.now();
        promised.values().removeIf(until -> now >= until);
        return promised.size() - (promised.containsKey(except) ? 1 : 0);
    }

    /** Remote side: {@code from}'s offer arrived (or its link is being made): its promise is used. */
    void promiseUsed(AgentId from) {
        promised.remove(from);
    }

    int pending() {
        return asked.size();
    }

    void clear() {
        for (Map.Entry<AgentId, Asked> e : asked.entrySet()) {
            e.getValue().timer.cancel(false);
        }
        asked.clear();
        cleared.clear();
        promised.clear();
    }
}
