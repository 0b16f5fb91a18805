package io.jrtc.mesh.internal;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.OverlayEvent;
import io.jrtc.mesh.internal.wire.Envelope;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Unicast routing: on-demand discovery with a cache, plus reverse-path learning.
 *
 * <p>Every verified envelope from origin O that arrives over neighbour N teaches "O is reachable via N, h hops"
 * (kept when it is new, shorter, or refreshes the same next hop; a next hop over a link the edge rated LOW gives way
 * to one that is not, whatever the hop counts). A send to an agent with no route queues the
 * message (bounded) and broadcasts a signed ROUTE_REQUEST over the broadcast tree; only the agent looked for
 * answers, with a signed ROUTE_REPLY that travels back along the reverse path, teaching every hop (and the
 * requester) the forward route. Routes expire, and die with their next hop's link. Only the target can answer a
 * request, and the answer is signed by it, so no agent can attract another's traffic by lying about routes.
 */
final class Router {

    private record Route(AgentId nextHop, int hops, long expires) {
    }

    private static final class Discovery {
        final long deadline;
        final ArrayDeque<Envelope> waiting = new ArrayDeque<>();

        Discovery(long deadline) {
            this.deadline = deadline;
        }
    }

    private record AckWait(AgentId destination, long deadline) {
    }

    /** Messages held per destination while its route is being discovered. */
    static final int MAX_WAITING = 64;

    private final CoreState s;
    private final Membership membership;
    private final LinkedHashMap<AgentId, Route> routes;
    private final LinkedHashMap<AgentId, Discovery> discoveries = new LinkedHashMap<>();
    private final TreeMap<Long, AckWait> acks = new TreeMap<>();

    Router(CoreState s, Membership membership) {
        this.s = s;
        this.membership = membership;
        int limit = s.config.routeTableSize;
        this.routes = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<AgentId, Route> eldest) {
                return size() > limit;
            }
        };
    }

    /** Reverse-path learning from a verified envelope of {@code origin} received from neighbour {@code via}. */
    void learn(AgentId origin, AgentId via, int hops) {
        if (origin.equals(s.self) || !membership.active.containsKey(via)) {
            return;
        }
        Route r = routes.get(origin);
        Link current = r == null ? null : membership.active.get(r.nextHop);
        boolean viaLow = membership.active.get(via).low;
        if (r == null || s.now >= r.expires || current == null || r.nextHop.equals(via)
                || (current.low && !viaLow) || (current.low == viaLow && hops < r.hops)) {
            routes.put(origin, new Route(via, Math.max(hops, 1), s.now + s.config.routeLifetimeNanos));
        }
    }

    /** {@code a} was revoked: no route to it, none through it, and messages waiting for its route are dropped. */
    void revoke(AgentId a) {
        routes.remove(a);
        neighbourDown(a);
        Discovery d = discoveries.remove(a);
        if (d != null) {
            for (Envelope e : d.waiting) {
                s.drop(io.jrtc.mesh.DropReason.REVOKED, e.id(), -1);
            }
        }
        acks.values().removeIf(w -> w.destination().equals(a));
    }

    void neighbourDown(AgentId a) {
        routes.values().removeIf(r -> r.nextHop.equals(a));
    }

    /**
     * The neighbour to hand a message for {@code destination} to, or null: the destination itself when it is a
     * neighbour over a link that is not LOW, else the cached route when its next hop is not LOW, else whichever
     * exists.
     */
    Link nextHop(AgentId destination) {
        Link direct = membership.active.get(destination);
        if (direct != null && !direct.low) {
            return direct;
        }
        Route r = routes.get(destination);
        Link via = r == null || s.now >= r.expires ? null : membership.active.get(r.nextHop);
        if (direct != null && (via == null || via.low)) {
            return direct; // a LOW direct link still beats no route or a route over another LOW link
        }
        return via;
    }

    /** True when a local unicast to {@code destination} would be refused for back-pressure. */
    boolean congested(AgentId destination) {
        return congested(destination, ChannelClass.RELIABLE, s.config.highWater);
    }

    /**
     * True when a local unicast on class {@code c} to {@code destination} would be refused for back-pressure: its
     * next hop's queue of that class, or the messages waiting for its route, at {@code limit}.
     */
    boolean congested(AgentId destination, ChannelClass c, int limit) {
        Link l = nextHop(destination);
        if (l != null) {
            return l.queued(c) >= limit;
        }
        Discovery d = discoveries.get(destination);
        return d != null && d.waiting.size() >= Math.min(limit, MAX_WAITING);
    }

    /**
     * Sends a unicast envelope (originated here, or being forwarded with its hop count already raised). Returns
     * whether a route discovery must be started for it; the message then waits.
     */
    boolean route(Envelope e, boolean local) {
        if (local && discoveries.containsKey(e.destination())) {
            routeFound(e.destination()); // a route may exist by now (a new neighbour): the older waiters go first
        }
        Link l = nextHop(e.destination());
        if (l != null) {
            if (s.enqueue(l, e.channel(), e, e.id()) && !local) {
                s.forwarded++;
            }
            return false;
        }
        if (!local) {
            s.drop(DropReason.NO_ROUTE, e.id(), -1);
            return false;
        }
        Discovery d = discoveries.get(e.destination());
        boolean start = d == null;
        if (start) {
            d = new Discovery(s.now + s.config.discoveryTimeoutNanos);
            discoveries.put(e.destination(), d);
        }
        if (d.waiting.size() >= MAX_WAITING) {
            s.drop(DropReason.QUEUE_FULL, e.id(), -1);
        } else {
            d.waiting.add(e);
        }
        return start;
    }

    /**
     * A route to {@code agent} may now exist (a ROUTE_REPLY or any envelope from it arrived, or it became a
     * neighbour): flush its waiters, in order. (Before the neighbour case was handled, messages waiting for a route
     * to an agent that became a neighbour meanwhile waited until the discovery expired and were dropped as NO_ROUTE,
     * while later ones went straight to it: a bulk transfer lost its first chunks.)
     */
    void routeFound(AgentId agent) {
        Discovery d = discoveries.get(agent);
        if (d == null || nextHop(agent) == null) {
            return;
        }
        discoveries.remove(agent);
        for (Envelope e : d.waiting) {
            route(e, true);
        }
    }

    void expectAck(long sequence, AgentId destination) {
        acks.put(sequence, new AckWait(destination, s.now + s.config.ackTimeoutNanos));
    }

    void onAck(AgentId from, long sequence) {
        AckWait w = acks.get(sequence);
        if (w != null && w.destination.equals(from)) {
            acks.remove(sequence);
            s.events.add(new OverlayEvent.Acked(from, sequence));
        }
    }

    long nextTimeout() {
        long t = Long.MAX_VALUE;
        for (Discovery d : discoveries.values()) {
            t = Math.min(t, d.deadline);
        }
        for (AckWait w : acks.values()) {
            t = Math.min(t, w.deadline);
        }
        return t;
    }

    void onTimeout(long now) {
        for (Iterator<Map.Entry<AgentId, Discovery>> it = discoveries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<AgentId, Discovery> e = it.next();
            if (now >= e.getValue().deadline) {
                it.remove();
                for (Envelope env : e.getValue().waiting) {
                    s.drop(DropReason.NO_ROUTE, env.id(), -1);
                }
            }
        }
        for (Iterator<Map.Entry<Long, AckWait>> it = acks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, AckWait> e = it.next();
            if (now >= e.getValue().deadline) {
                it.remove();
                routes.remove(e.getValue().destination);
                s.events.add(new OverlayEvent.AckTimedOut(e.getValue().destination, e.getKey()));
            }
        }
    }

    int routeCount() {
        return routes.size();
    }
}
