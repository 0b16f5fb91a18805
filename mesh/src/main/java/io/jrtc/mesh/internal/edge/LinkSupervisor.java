package io.jrtc.mesh.internal.edge;

import io.jrtc.common.DatagramCore;
import io.jrtc.ice.IceServer;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.LinkRecovery;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.quality.LinkQuality;
import io.jrtc.peer.RtcStats;
import io.jrtc.peer.RtcStatsReport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sans-IO deciders of a {@link MeshEdge}, applied: one {@link LinkRecovery} per remote agent (opening with relay
 * fallback, ICE restart, rebuilds with backoff, giving up) and one {@link LinkQuality} per link that is up (PINGs,
 * {@code getStats} samples every quality interval, modes for {@code OverlayCore.linkMode}). The deciders never see a
 * clock or a connection: this class feeds them the agent loop's time and what the connections report, and does what
 * they decide. Agent loop only; its deadlines are part of the edge's one timer ({@link #pollTimeout()}).
 */
final class LinkSupervisor {

    /** One remote agent's recovery machine and what applying it needs. */
    private static final class Tracked {
        final LinkRecovery recovery;
        final String signalingId;
        /** The core waits for linkUp(outbound)/linkFailed for this agent. */
        boolean requested;
        /** A fallback, restart or rebuild happened since the link was last in use: its USE is worth recording. */
        boolean eventful;
        /** The core's link id once the link was up: rebuilds keep it, so the core never sees the link go. */
        long coreLinkId = -1;
        /**
         * The failed connection a rebuild replaces, out of the links but closed only once the rebuild is up or given
         * up: closing it at once could reach the remote (DTLS close) before the rebuild's offer and read as a leave.
         */
        EdgeLink failedConnection;

        void closeFailed() {
            if (failedConnection != null) {
                failedConnection.close();
                failedConnection = null;
            }
        }

        Tracked(LinkRecovery recovery, String signalingId) {
            this.recovery = recovery;
            this.signalingId = signalingId;
        }
    }

    private final MeshEdge edge;
    private final Map<AgentId, Tracked> tracked = new LinkedHashMap<>();
    /** By link id (the core's): the quality tracker of each link that is up. */
    private final Map<Long, LinkQuality> qualities = new LinkedHashMap<>();
    private long seeds;
    private long nextRound = DatagramCore.NO_TIMEOUT;
    /**
     * {@link #pollTimeout} as last computed, valid while {@link #timeoutStale} is false. The edge asks for it after
     * every drain, that is after every frame received, while it changes only when this class is called: so every
     * method that may change a recovery, a tracker or the round calls {@link #changed} (a PONG only when it was one).
     * With assertions on (every test run), {@link #pollTimeout} checks a cached value against a fresh computation, so
     * a method that forgets {@link #changed} fails the tests that exercise it.
     */
    private long timeout;
    private boolean timeoutStale = true;

    LinkSupervisor(MeshEdge edge, long seed) {
        this.edge = edge;
        this.seeds = seed;
    }

    void start(long now) {
        changed();
        nextRound = now + edge.config.quality().intervalNanos();
    }

    LinkQuality quality(long linkId) {
        changed();
        return qualities.get(linkId);
    }

    // ------------------------------------------------------------------ recovery

    /** The core asked for a link to {@code agent}: its recovery decides the first attempt (direct, by default). */
    void open(AgentId agent, String signalingId) {
        changed();
        Tracked t = new Tracked(new LinkRecovery(edge.config.recovery(), seeds++ ^ agent.lo()), signalingId);
        t.requested = true;
        Tracked previous = tracked.put(agent, t);
        if (previous != null) {
            previous.closeFailed();
            previous.recovery.close(edge.now());
        }
        t.recovery.connect(edge.now());
        apply(agent, t);
    }

    /** Whether a recovery is opening a link to {@code agent} (an attempt in flight, not up yet). */
    boolean opening(AgentId agent) {
        Tracked t = tracked.get(agent);
        return t != null && t.recovery.state() == LinkRecovery.State.CONNECTING;
    }

    /** The link's connection reached CONNECTED: an ICE restart of a recovering link worked. */
    void connected(EdgeLink l) {
        changed();
        Tracked t = tracked.get(l.remote);
        if (t != null && l.state == EdgeLink.State.RECOVERING) {
            t.recovery.up(edge.now(), l.path, -1);
            apply(l.remote, t);
        }
    }

    /**
     * The link's connection failed. Returns false when the edge should simply drop the link (nobody repairs it);
     * true when a recovery took it over: a link that was up becomes RECOVERING (the core keeps its id, blocked), an
     * attempt that failed lets the recovery try the next path or give up.
     */
    boolean connectionFailed(EdgeLink l) {
        changed();
        Tracked t = tracked.get(l.remote);
        if (t == null || (!l.offerer && l.state != EdgeLink.State.UP && l.state != EdgeLink.State.RECOVERING)) {
            return false; // nobody here repairs an answered connection that never came up
        }
        long now = edge.now();
        if (l.state == EdgeLink.State.UP) {
            l.state = EdgeLink.State.RECOVERING;
            for (ChannelClass c : ChannelClass.values()) {
                edge.core.linkBackpressure(now, l.id, c, true); // frames wait (and expire, counted) meanwhile
            }
            t.recovery.linkFailed(now);
        } else if (l.race) {
            for (LinkRecovery.Path p : LinkRecovery.Path.values()) {
                t.recovery.attemptFailed(now, p); // the one connection raced both paths: both failed
            }
        } else {
            t.recovery.attemptFailed(now, l.path);
        }
        apply(l.remote, t);
        return true;
    }

    /** The link is up (channels open, HELLO checked both ways): its recovery uses it, a tracker rates it. */
    void linkUp(EdgeLink l) {
        changed();
        long now = edge.now();
        Tracked t = tracked.get(l.remote);
        if (t == null || t.recovery.state() == LinkRecovery.State.CLOSED
                || t.recovery.state() == LinkRecovery.State.GAVE_UP) {
            t = new Tracked(new LinkRecovery(edge.config.recovery(), seeds++ ^ l.remote.lo()), l.signalingId);
            tracked.put(l.remote, t);
            t.recovery.accepted(now, l.path);
        } else {
            t.recovery.up(now, l.path, -1);
        }
        t.requested = false;
        t.coreLinkId = l.id;
        t.closeFailed();
        qualities.put(l.id, new LinkQuality(edge.config.quality(), l.id, l.remote, now));
        if (l.coreKnown) {
            // a rebuilt connection gets a fresh tracker: the core hears its starting mode (it may have gone LOW)
            edge.core.linkMode(now, l.id, edge.config.quality().initialMode());
        }
        apply(l.remote, t);
    }

    /** The link to this agent is gone for good (closed, refused, replaced, given up): nothing more is decided. */
    void forget(EdgeLink l) {
        changed();
        qualities.remove(l.id);
        Tracked t = tracked.get(l.remote);
        if (t != null) {
            tracked.remove(l.remote);
            t.closeFailed();
            t.recovery.close(edge.now()); // its CANCELs need nothing: the edge closes the link itself
        }
    }

    /**
     * The core closed link {@code linkId}, which has no connection right now (a rebuild is waiting for its backoff):
     * its recovery ends, and the failed connection it kept is closed. Returns the agent of that link, or null.
     */
    AgentId coreClosed(long linkId) {
        changed();
        AgentId remote = null;
        for (var it = tracked.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Tracked t = e.getValue();
            if (t.coreLinkId == linkId) {
                it.remove();
                t.closeFailed();
                t.recovery.close(edge.now());
                remote = e.getKey();
            }
        }
        return remote;
    }

    /**
     * Re-keys link {@code old} (up): a fresh recovery opens a new connection under the same core link id, as a
     * rebuild would; the core's classes are blocked meanwhile, and the old connection, out of the links, is closed
     * once the new one is up (closing it first would read as a leave at the remote).
     */
    void rekey(EdgeLink old) {
        changed();
        long now = edge.now();
        Tracked prev = tracked.remove(old.remote);
        if (prev != null) {
            prev.closeFailed();
            prev.recovery.close(now);
        }
        Tracked t = new Tracked(new LinkRecovery(edge.config.recovery(), seeds++ ^ old.remote.lo()), old.signalingId);
        t.coreLinkId = old.id;
        qualities.remove(old.id);
        for (ChannelClass c : ChannelClass.values()) {
            edge.core.linkBackpressure(now, old.id, c, true);
        }
        edge.links.remove(old);
        old.state = EdgeLink.State.CLOSED;
        t.failedConnection = old;
        tracked.put(old.remote, t);
        t.recovery.connect(now);
        apply(old.remote, t);
    }

    /** Both sides re-key the same link at once and the remote's offer wins: ours is dropped, theirs answered. */
    void crossedRekey(EdgeLink ours) {
        changed();
        Tracked t = tracked.remove(ours.remote);
        if (t != null) {
            t.recovery.close(edge.now());
            t.closeFailed();
        }
        edge.retire(ours);
    }

    /** The remote rebuilt the link (a new session over the same certificate): its old connection is retired. */
    void replacedByRemote(EdgeLink old) {
        changed();
        qualities.remove(old.id);
        if (old.state == EdgeLink.State.UP) {
            long now = edge.now();
            for (ChannelClass c : ChannelClass.values()) {
                edge.core.linkBackpressure(now, old.id, c, true);
            }
        }
    }

    private void apply(AgentId agent, Tracked t) {
        LinkRecovery.Action a;
        while ((a = t.recovery.pollAction()) != null) {
            edge.telemetry.metrics.record(a);
            EdgeLink l = edge.links.byAgent(agent);
            switch (a.kind()) {
                case CONNECT -> {
                    if (a.fallback() || a.attempt() > 0 || racing()) { // a race's attempts and outcome go on record
                        t.eventful = true;
                        record(agent, a, a.fallback() ? "link.fallback" : "link.recovery");
                    }
                    attempt(agent, t, l, a);
                }
                case RESTART_ICE -> {
                    t.eventful = true;
                    record(agent, a, "link.recovery");
                    if (l != null) {
                        edge.negotiation().restartIce(l);
                    }
                }
                case CANCEL -> {
                    if (l != null && l.offerer && l.path == a.path() && l.state != EdgeLink.State.UP
                            && l.state != EdgeLink.State.RECOVERING) {
                        record(agent, a, "link.recovery");
                        edge.retire(l); // no bye: the next offer replaces it at the remote
                    }
                }
                case USE -> {
                    if (t.eventful) {
                        record(agent, a, "link.recovery");
                        t.eventful = false;
                    }
                    if (l != null && l.state == EdgeLink.State.RECOVERING) {
                        edge.restored(l); // the ICE restart worked: the same connection again
                    }
                }
                case WAIT -> record(agent, a, "link.recovery");
                case GIVE_UP -> {
                    record(agent, a, "link.recovery");
                    tracked.remove(agent);
                    t.closeFailed();
                    if (l != null) {
                        edge.linkGone(l, "recovery gave up: " + a.reason(), false);
                    } else if (t.coreLinkId >= 0) {
                        edge.coreLinkGone(agent, t.coreLinkId, "recovery gave up: " + a.reason());
                    } else if (t.requested) {
                        edge.core.linkFailed(edge.now(), agent, false);
                    }
                    return;
                }
            }
        }
    }

    /** A new connection for the link to {@code agent} over the action's path (the opening, a fallback, a rebuild). */
    /** Whether links race their paths ({@code RACE}): one connection per attempt that gathers every candidate type. */
    private boolean racing() {
        return edge.config.recovery().strategy() == LinkRecovery.Strategy.RACE;
    }

    private void attempt(AgentId agent, Tracked t, EdgeLink old, LinkRecovery.Action a) {
        if (racing() && old != null && old.race && old.state != EdgeLink.State.UP && old.state != EdgeLink.State.RECOVERING) {
            // the race's other path: the connection in flight checks it already (one connection per agent; the
            // signaling of two at once could not be told apart)
            return;
        }
        long reuse = t.coreLinkId; // a rebuild: the core keeps the link id
        if (old != null) {
            qualities.remove(old.id);
            if (old.state == EdgeLink.State.RECOVERING && t.failedConnection == null) {
                edge.links.remove(old); // its callbacks are ignored from now on
                old.state = EdgeLink.State.CLOSED;
                t.failedConnection = old;
            } else {
                edge.retire(old);
            }
        }
        if (a.path() == LinkRecovery.Path.RELAY && !hasTurnServer()) {
            record(agent, new LinkRecovery.Action(LinkRecovery.Kind.CANCEL, a.path(), a.deadline(), a.attempt(),
                    a.fallback(), "no TURN server: signaling handed out none"), "link.recovery");
            t.recovery.attemptFailed(edge.now(), a.path());
            return; // apply's loop takes the machine's next decision
        }
        EdgeLink l = edge.dialer.newLink(agent, t.signalingId, true, a.path(), reuse, racing());
        if (l == null) {
            t.recovery.attemptFailed(edge.now(), a.path());
            return;
        }
        l.requested = t.requested;
        l.coreKnown = reuse >= 0;
        edge.negotiation().offer(l);
    }

    private void record(AgentId agent, LinkRecovery.Action a, String kind) {
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put("agent", agent.toString());
        f.put("action", a.kind().name().toLowerCase());
        f.put("path", a.path() == null ? "none" : a.path().label());
        f.put("attempt", Integer.toString(a.attempt()));
        f.put("reason", a.reason());
        edge.audit.record(kind, f);
        edge.emit(new MeshEvent.LinkRecovered(agent, a.kind(), a.path(), a.fallback(), a.reason()));
    }

    /** Whether the ICE servers in use include a TURN server (a relay-only attempt needs one). */
    boolean hasTurnServer() {
        List<IceServer> all = new ArrayList<>(edge.config.rtcTemplate().iceServers());
        all.addAll(edge.iceServers);
        return all.stream().flatMap(s -> s.parsedUrls().stream()).anyMatch(IceServer.Url::isTurn);
    }

    /** The servers without their TURN URLs: a direct attempt allocates nothing on a TURN server. */
    static List<IceServer> withoutTurn(List<IceServer> servers) {
        List<IceServer> out = new ArrayList<>();
        for (IceServer s : servers) {
            List<String> stun = s.urls().stream().filter(u -> !IceServer.parseUrl(u).isTurn()).toList();
            IceServer.withUsableUrls(stun, s.username(), s.credential()).ifPresent(out::add);
        }
        return out;
    }

    // ------------------------------------------------------------------ quality

    /** A control-channel message of an up link: true when it was a PONG for the link's tracker (consumed). */
    boolean pong(EdgeLink l, ByteBuffer frame) {
        LinkQuality q = qualities.get(l.id);
        if (q != null && q.handleInput(edge.now(), frame)) {
            changed();
            return true;
        }
        return false;
    }

    /** Marks the cached {@link #pollTimeout} stale: a recovery, a tracker or the round may have changed. */
    private void changed() {
        timeoutStale = true;
    }

    long pollTimeout() {
        if (timeoutStale) {
            timeout = earliestDeadline();
            timeoutStale = false;
        } else {
            assert timeout == earliestDeadline() : "a deadline changed without changed(): cached " + timeout
                    + ", now " + earliestDeadline();
        }
        return timeout;
    }

    private long earliestDeadline() {
        long t = nextRound;
        for (Tracked x : tracked.values()) {
            t = Math.min(t, x.recovery.pollTimeout());
        }
        for (LinkQuality q : qualities.values()) {
            t = Math.min(t, q.pollTimeout());
        }
        return t;
    }

    /**
     * Runs what is due. The edge's one timer serves the core and this supervisor, and fires for the core far more often
     * (broadcast flushes, graft timers) than anything here is due: then nothing is copied or looked up. (At 1,000 agents
     * the copies of both maps made on every firing were 8 % of the traffic phase's CPU samples.)
     */
    void handleTimeout(long now) {
        if (now < pollTimeout()) {
            return;
        }
        changed();
        for (Map.Entry<AgentId, Tracked> e : new ArrayList<>(tracked.entrySet())) {
            if (tracked.get(e.getKey()) == e.getValue() && now >= e.getValue().recovery.pollTimeout()) {
                e.getValue().recovery.handleTimeout(now);
                apply(e.getKey(), e.getValue());
            }
        }
        for (LinkQuality q : new ArrayList<>(qualities.values())) {
            if (now >= q.pollTimeout()) {
                q.handleTimeout(now);
                drainQuality(q);
            }
        }
        if (now >= nextRound) {
            nextRound = now + edge.config.quality().intervalNanos();
            round();
        }
    }

    private void drainQuality(LinkQuality q) {
        EdgeLink l = edge.links.byId(q.linkId());
        byte[] ping;
        while ((ping = q.pollTransmit()) != null) {
            if (l != null && l.state == EdgeLink.State.UP) {
                l.send(ChannelClass.CONTROL, ping, edge.config.highWaterBytes());
            }
        }
        LinkQuality.ModeChange m;
        while ((m = q.pollEvent()) != null) {
            edge.core.linkMode(edge.now(), m.linkId(), m.to());
            LinkedHashMap<String, String> f = new LinkedHashMap<>();
            f.put("agent", m.remote().toString());
            f.put("from", m.from().name().toLowerCase());
            f.put("to", m.to().name().toLowerCase());
            f.put("reason", m.reason());
            edge.audit.record("link.mode", f);
            edge.telemetry.metrics.modeChanged(m.to());
            edge.emit(new MeshEvent.LinkModeChanged(m.remote(), m.from(), m.to(), m.reason()));
        }
    }

    /** The quality round: asks every up link's connection for its stats, publishes the reading, reports the links. */
    private void round() {
        for (EdgeLink l : edge.links.all()) {
            if (l.state == EdgeLink.State.UP && qualities.containsKey(l.id)) {
                l.pc.getStats().whenComplete((r, e) -> {
                    if (r != null) {
                        edge.callback(l, "stats", () -> stats(l, r));
                    }
                });
            }
        }
        edge.publish();
        edge.telemetry.report(edge, qualities);
    }

    /** Feeds one link's {@code getStats} into its tracker: RTTs (ICE pair, SCTP), SCTP packets and retransmissions. */
    private void stats(EdgeLink l, RtcStatsReport r) {
        changed();
        LinkQuality q = qualities.get(l.id);
        if (q == null || edge.links.byId(l.id) != l || l.state != EdgeLink.State.UP) {
            return;
        }
        long now = edge.now();
        Optional<RtcStats.CandidatePair> pair = r.selectedCandidatePair();
        pair.ifPresent(p -> q.rttSample(now, (long) (p.currentRoundTripTime() * 1e9)));
        Optional<RtcStats.SctpTransport> sctp = r.first(RtcStats.SctpTransport.class);
        Optional<RtcStats.Transport> transport = r.first(RtcStats.Transport.class);
        if (sctp.isPresent()) {
            RtcStats.SctpTransport s = sctp.get();
            q.rttSample(now, (long) (s.smoothedRoundTripTime() * 1e9));
            q.counters(now, s.packetsSent(), s.retransmittedChunks(),
                    transport.map(RtcStats.Transport::bytesSent).orElse(s.bytesSent()),
                    transport.map(RtcStats.Transport::bytesReceived).orElse(s.bytesReceived()));
        }
        if (!l.offerer && pair.isPresent()) {
            // the answerer learns its path from the selected pair (the offerer chose it): relayed when either end of
            // it is a relay candidate (a relay attempt's answerer gathers every type, so its own end may be reflexive)
            boolean relayed = false;
            for (RtcStats.IceCandidate c : r.all(RtcStats.IceCandidate.class)) {
                if (c.id().equals(c.local() ? pair.get().localCandidateId() : pair.get().remoteCandidateId())) {
                    relayed |= "relay".equals(c.candidateType());
                }
            }
            l.path = relayed ? LinkRecovery.Path.RELAY : LinkRecovery.Path.DIRECT;
        }
    }

    /** Links by id with their current mode and smoothed RTT, for the reading and the link report. */
    Map<Long, LinkQuality> qualities() {
        changed();
        return qualities;
    }

    void clear() {
        changed();
        tracked.values().forEach(Tracked::closeFailed);
        tracked.clear();
        qualities.clear();
    }

    /** The agents whose links are being recovered or opened by a recovery (for stats). */
    int recovering() {
        int n = 0;
        for (Tracked t : tracked.values()) {
            LinkRecovery.State s = t.recovery.state();
            if (s == LinkRecovery.State.RESTARTING || s == LinkRecovery.State.WAITING
                    || s == LinkRecovery.State.ACCEPTOR_WAITING) {
                n++;
            }
        }
        return n;
    }
}
