package io.jrtc.signaling.server.internal;

import io.jrtc.signaling.protocol.Message;
import io.jrtc.signaling.server.AgentToken;
import io.jrtc.signaling.server.DuplicateIdPolicy;
import io.jrtc.signaling.server.ErrorCode;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.jrtc.signaling.server.TurnRestCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling space as this instance sees it: the agents registered here, routing of relayed messages,
 * presence, and (with Redis) the bridge to the other instances.
 *
 * <p>Threading: {@code on…} methods taking a {@link Session} run on that session's event loop. Methods
 * called by {@link RedisBackbone} run on Lettuce threads. Shared state is a {@link ConcurrentHashMap} and
 * atomics; per-session state changes are hopped onto the session's loop.
 */
public final class Hub implements RedisBackbone.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    /**
     * A lone instance's events, and those of an instance that does not number them: every registered agent gets
     * them. (On a lone instance no session is ever claiming, so nothing is held.)
     */
    private static final long UNNUMBERED = Long.MAX_VALUE;

    private final SignalingServerConfig config;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final byte[] secret;
    private final ConcurrentHashMap<String, Session> agents = new ConcurrentHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger agentCount = new AtomicInteger();
    private final Set<CompletableFuture<?>> pendingReleases = ConcurrentHashMap.newKeySet();
    private final List<CompletableFuture<Void>> noSessionWaiters = new CopyOnWriteArrayList<>();
    private final MeshView meshView = new MeshView();
    /** The space's presence as this instance received it (Redis only), to find and announce what it missed. */
    private final PresenceView presenceView = new PresenceView();
    private final java.util.concurrent.atomic.AtomicBoolean repairScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile RedisBackbone redis;
    private volatile boolean draining;

    public Hub(SignalingServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.secret = config.secret() == null ? null : config.secret().getBytes(StandardCharsets.UTF_8);
        this.metrics = new ServerMetrics(this::registeredCount, sessions::size);
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public SignalingServerConfig config() {
        return config;
    }

    /** Joins (or, with null, leaves) the Redis signaling space. */
    public void attachRedis(RedisBackbone backbone) {
        this.redis = backbone;
        // the view starts from a snapshot; nobody is registered here yet, so what it finds is announced to no one
        scheduleRepair("start", 0);
    }

    /** {@code /mesh}: the agents registered here with their latest link reports (see {@link MeshView}). */
    public String meshJson(String instanceId) {
        List<String> ids = new ArrayList<>();
        for (Session s : agents.values()) {
            if (s.isRegistered()) {
                ids.add(s.agentId());
            }
        }
        return meshView.toJson(instanceId, ids, clock.millis());
    }

    // ------------------------------------------------------------------ link reports (revision 4)

    void onLinkReport(Session s, InboundMessage.LinkReport m) {
        if (!s.isRegistered()) {
            s.sendError(ErrorCode.NOT_REGISTERED, "register before sending 'link_report'", m.id(), null);
            return;
        }
        meshView.report(s, m, clock.millis());
    }

    public int registeredCount() {
        int n = 0;
        for (Session s : agents.values()) {
            if (s.isRegistered()) {
                n++;
            }
        }
        return n;
    }

    public int openSessions() {
        return sessions.size();
    }

    public boolean draining() {
        return draining;
    }

    /** The ids registered on this instance (for the Redis heartbeat). */
    public List<String> localAgentIds() {
        List<String> ids = new ArrayList<>();
        for (Session s : agents.values()) {
            if (s.isRegistered()) {
                ids.add(s.agentId());
            }
        }
        return ids;
    }

    // ------------------------------------------------------------------ session lifecycle

    void onOpen(Session s) {
        sessions.add(s);
        if (draining) {
            s.closeWithError(ErrorCode.SERVER_DRAINING, "server is draining; connect to another instance",
                    WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code());
        }
    }

    /** Completes once no WebSocket session is open (at once if none is). */
    public CompletableFuture<Void> whenNoSessions() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        noSessionWaiters.add(f);
        if (sessions.isEmpty()) {
            signalNoSessions();
        }
        return f;
    }

    private void signalNoSessions() {
        for (CompletableFuture<Void> f : noSessionWaiters) {
            noSessionWaiters.remove(f);
            f.complete(null);
        }
    }

    void onClosed(Session s) {
        sessions.remove(s);
        if (sessions.isEmpty()) {
            signalNoSessions();
        }
        Session.State was = s.state();
        s.state(Session.State.CLOSED);
        if (s.counted) {
            s.counted = false;
            agentCount.decrementAndGet();
        }
        String id = s.agentId();
        if (id != null) {
            meshView.forget(id, s);
        }
        if (id == null || (was != Session.State.REGISTERED && was != Session.State.CLAIMING)) {
            return;
        }
        boolean removed = agents.remove(id, s);
        if (was == Session.State.CLAIMING) {
            return; // finishClaim sees CLOSED and releases the claim once Redis answers
        }
        if (!removed) {
            LOG.info("{} closed after being replaced; no agent_left", s.label());
            return;
        }
        LOG.info("agent {} left ({})", id, s.label());
        RedisBackbone r = redis;
        if (r == null) {
            broadcastPresence(false, id);
        } else {
            track(r.release(id).exceptionally(e -> {
                LOG.warn("agent {}: could not release its Redis presence; it expires after the TTL: {}", id,
                        e.toString());
                return 0L;
            }));
        }
    }

    private void track(CompletableFuture<?> f) {
        pendingReleases.add(f);
        f.whenComplete((v, e) -> pendingReleases.remove(f));
    }

    /** Completes when every Redis release started so far has been answered. */
    public CompletableFuture<Void> pendingReleases() {
        return CompletableFuture.allOf(pendingReleases.toArray(CompletableFuture[]::new));
    }

    // ------------------------------------------------------------------ register

    void onRegister(Session s, InboundMessage.Register m) {
        if (draining) {
            s.closeWithError(ErrorCode.SERVER_DRAINING, "server is draining; connect to another instance",
                    WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), m.id());
            return;
        }
        if (s.state() != Session.State.OPEN) {
            s.sendError(ErrorCode.INVALID_MESSAGE, "this connection already registered as '" + s.agentId() + "'",
                    m.id(), null);
            return;
        }
        String id = m.agentId();
        if (!Protocol.validAgentId(id)) {
            s.sendError(ErrorCode.INVALID_MESSAGE,
                    "agent_id must be 1..64 characters of A-Z a-z 0-9 . _ ~ @ -", m.id(), null);
            return;
        }
        if (secret != null) {
            AgentToken.Verdict v = AgentToken.verify(secret, m.token(), id, clock.instant(), config.tokenMaxAge());
            if (v != AgentToken.Verdict.VALID) {
                LOG.warn("{}: register as '{}' refused: token {}", s.label(), id, v);
                s.closeWithError(ErrorCode.UNAUTHORIZED, "token refused: " + v.name().toLowerCase(),
                        WebSocketCloseStatus.POLICY_VIOLATION.code(), m.id());
                return;
            }
        }
        Session existing = agents.get(id);
        boolean takeOver = existing != null && config.duplicateIdPolicy() == DuplicateIdPolicy.TAKE_OVER;
        if (existing != null && !takeOver) {
            LOG.info("{}: register as '{}' refused: id taken by {}", s.label(), id, existing.label());
            s.sendError(ErrorCode.AGENT_ID_TAKEN, "agent_id '" + id + "' is already registered", m.id(), null);
            return;
        }
        if (agentCount.incrementAndGet() > config.maxAgents() && !takeOver) {
            agentCount.decrementAndGet();
            LOG.warn("{}: register as '{}' refused: {} agents already (maximum)", s.label(), id, config.maxAgents());
            s.closeWithError(ErrorCode.SERVER_FULL, "this instance holds its maximum of " + config.maxAgents()
                    + " agents", WebSocketCloseStatus.TRY_AGAIN_LATER.code(), m.id());
            return;
        }
        s.counted = true;
        s.presence = m.presence();
        s.receivesBatches(config.candidateBatches() && m.features().contains(Protocol.FEATURE_CANDIDATES));
        Session replaced;
        if (takeOver) {
            replaced = agents.put(id, s);
        } else {
            replaced = agents.putIfAbsent(id, s);
            if (replaced != null) { // lost a race with another loop
                s.counted = false;
                agentCount.decrementAndGet();
                s.sendError(ErrorCode.AGENT_ID_TAKEN, "agent_id '" + id + "' is already registered", m.id(), null);
                return;
            }
        }
        s.agentId(id);
        if (replaced != null && replaced != s) {
            LOG.info("agent {} taken over by {} from {}", id, s.label(), replaced.label());
            replaced.closeWithError(ErrorCode.SESSION_REPLACED, "a newer session registered as '" + id + "'",
                    4001);
        }
        RedisBackbone r = redis;
        if (r == null) {
            s.state(Session.State.REGISTERED);
            List<String> others = otherLocalAgents(id);
            // Tell the others first: whoever registers after this agent's registered reply then sees it
            // only in connected_agents, never also as a late agent_joined.
            if (replaced == null) {
                broadcastPresence(true, id, s.presence);
            }
            completeRegistration(s, others);
            return;
        }
        s.state(Session.State.CLAIMING);
        r.claim(id, config.duplicateIdPolicy()).whenComplete((res, err) ->
                s.eventLoop().execute(() -> finishClaim(s, id, m.id(), res, err)));
    }

    private void finishClaim(Session s, String id, String msgId, RedisBackbone.Claim res, Throwable err) {
        if (s.state() == Session.State.CLOSED || s.isClosing()) {
            s.endClaim(s.state(), 0); // drops what was held; unregister owns the state
            agents.remove(id, s);
            if (err == null && res.ok()) {
                RedisBackbone r = redis;
                if (r != null) {
                    track(r.release(id));
                }
            }
            return;
        }
        if (err != null || !res.ok()) {
            agents.remove(id, s);
            s.agentId(null);
            s.endClaim(Session.State.OPEN, 0);
            if (s.counted) {
                s.counted = false;
                agentCount.decrementAndGet();
            }
            if (err != null) {
                LOG.warn("{}: register as '{}' failed: Redis unavailable: {}", s.label(), id, err.toString());
                s.sendError(ErrorCode.BACKBONE_UNAVAILABLE, "registration could not reach the shared registry",
                        msgId, null);
            } else {
                LOG.info("{}: register as '{}' refused: id held by instance {}", s.label(), id, res.previousOwner());
                s.sendError(ErrorCode.AGENT_ID_TAKEN, "agent_id '" + id + "' is already registered", msgId, null);
            }
            return;
        }
        // The reply and the events held during the claim are written here, on the session's loop; an event that
        // comes in after endClaim is written by a task on this loop, so it follows them.
        List<Session.HeldPresence> held = s.endClaim(Session.State.REGISTERED, res.presenceSeq());
        List<String> others = new ArrayList<>(res.liveAgents().size());
        for (String a : res.liveAgents()) {
            if (!a.equals(id)) {
                others.add(a);
            }
        }
        completeRegistration(s, others);
        for (Session.HeldPresence h : held) {
            if (h.seq() > res.presenceSeq()) {
                s.deliver(h.json());
            }
        }
    }

    private void completeRegistration(Session s, Collection<String> others) {
        metrics.registered();
        LOG.info("agent {} registered ({}, {} others present)", s.agentId(), s.label(), others.size());
        java.util.Map<String, String> blobs = new java.util.LinkedHashMap<>();
        if (redis == null) { // blobs are kept per instance: announced (and handed out) by a lone instance only
            for (String o : others) {
                Session os = agents.get(o);
                if (os != null && os.presence != null) {
                    blobs.put(o, os.presence);
                }
            }
        }
        s.deliver(Json.registered(s.agentId(), others, iceServersFor(s.agentId()), config, redis == null, blobs));
    }

    private List<String> otherLocalAgents(String self) {
        List<String> ids = new ArrayList<>();
        for (Session o : agents.values()) {
            if (o.isRegistered() && !self.equals(o.agentId())) {
                ids.add(o.agentId());
            }
        }
        return ids;
    }

    /** The W3C {@code RTCIceServer[]} for one agent, with fresh TURN REST credentials. */
    List<Message.IceServer> iceServersFor(String agentId) {
        List<Message.IceServer> servers = new ArrayList<>(2);
        if (!config.stunUrls().isEmpty()) {
            servers.add(new Message.IceServer(config.stunUrls(), null, null));
        }
        if (!config.turnUrls().isEmpty() && config.turnSecret() != null) {
            TurnRestCredentials c = TurnRestCredentials.compute(config.turnSecret(), agentId, clock.instant(),
                    config.turnCredentialLifetime());
            servers.add(new Message.IceServer(config.turnUrls(), c.username(), c.credential()));
        }
        return servers;
    }

    // ------------------------------------------------------------------ relay

    void onRelay(Session s, InboundMessage.Relayed m, long ingressNanos) {
        boolean batch = m instanceof InboundMessage.Candidates;
        if (batch && !config.candidateBatches()) {
            s.sendError(ErrorCode.INVALID_MESSAGE, "INVALID_TYPE: unknown type 'candidates' (batches are off here)",
                    m.id(), null);
            return;
        }
        if (!s.isRegistered()) {
            s.sendError(ErrorCode.NOT_REGISTERED, "register before sending '" + m.type() + "'", m.id(), m.to());
            return;
        }
        String to = m.to();
        if (!Protocol.validAgentId(to)) {
            s.sendError(ErrorCode.UNKNOWN_AGENT, "no agent '" + clip(to) + "'", m.id(), null);
            return;
        }
        m.body().put("from", s.agentId());
        String payload = Json.write(m.body());
        Session target = agents.get(to);
        if (target != null) {
            if (!target.isRegistered()) {
                s.sendError(ErrorCode.UNKNOWN_AGENT, "agent '" + to + "' is not registered", m.id(), to);
                return;
            }
            countRelayed(m);
            ChannelFuture written;
            if (batch && !target.receivesBatches()) {
                written = deliverUnrolled(target, CandidateBatches.unroll(m.body()));
            } else {
                written = target.deliver(payload);
            }
            written.addListener(f -> {
                if (f.isSuccess()) {
                    metrics.localLatency(System.nanoTime() - ingressNanos);
                }
            });
            return;
        }
        RedisBackbone r = redis;
        if (r == null) {
            s.sendError(ErrorCode.UNKNOWN_AGENT, "agent '" + to + "' is not registered", m.id(), to);
            return;
        }
        String from = s.agentId();
        r.relay(to, from, payload, batch).whenComplete((receivers, err) -> s.eventLoop().execute(() -> {
            if (err != null) {
                LOG.warn("{}: relay of {} to {} failed: Redis unavailable: {}", s.label(), m.type(), to,
                        err.toString());
                s.sendError(ErrorCode.BACKBONE_UNAVAILABLE, "could not relay to '" + to + "'", m.id(), to);
            } else if (receivers <= 0) {
                s.sendError(ErrorCode.UNKNOWN_AGENT, "agent '" + to + "' is not registered", m.id(), to);
            } else {
                countRelayed(m);
                metrics.redisLatency(System.nanoTime() - ingressNanos);
            }
        }));
    }

    private void countRelayed(InboundMessage.Relayed m) {
        metrics.relayed(m.type());
        if (m instanceof InboundMessage.Candidates c) {
            metrics.batchedCandidates(c.elements().size());
        }
    }

    /** Writes a batch's single candidates in order; the future is the last write's. */
    private ChannelFuture deliverUnrolled(Session target, List<String> singles) {
        metrics.unrolledBatch();
        ChannelFuture last = null;
        for (String one : singles) {
            last = target.deliver(one);
        }
        return last != null ? last : target.channel().newFailedFuture(new IllegalStateException("empty batch"));
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    // ------------------------------------------------------------------ presence

    /** Sends agent_joined/agent_left to every registered agent here except the subject (a lone instance). */
    void broadcastPresence(boolean joined, String agentId) {
        broadcastPresence(joined, agentId, null, UNNUMBERED);
    }

    /** Likewise, an agent_joined carrying the agent's opaque presence blob when it registered one (revision 5). */
    void broadcastPresence(boolean joined, String agentId, String presence) {
        broadcastPresence(joined, agentId, presence, UNNUMBERED);
    }

    /**
     * Sends a presence event to each registered agent here except its subject whose {@code registered} reply did not
     * already reflect it ({@code seq} above the reply's number), and holds it for one whose claim is in flight. Over
     * Redis an agent registering as another joins would otherwise see it twice: in {@code connected_agents} and as a
     * late {@code agent_joined}.
     */
    private void broadcastPresence(boolean joined, String agentId, String presence, long seq) {
        metrics.presence(joined);
        String json = Json.presence(joined, agentId, presence);
        ByteBuf buf = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            for (Session o : agents.values()) {
                if (agentId.equals(o.agentId())) {
                    continue;
                }
                if (!o.isRegistered() && o.holdIfClaiming(seq, json)) {
                    continue;
                }
                if (o.isRegistered() && seq > o.presenceSeq()) {
                    o.deliver(buf.retainedDuplicate());
                }
            }
        } finally {
            buf.release();
        }
    }

    // ------------------------------------------------------------------ Redis listener (Lettuce threads)

    /**
     * A numbered presence event from the backbone (see {@link #broadcastPresence(boolean, String, String, long)}),
     * unless a repair already announced it; a gap in the numbers schedules a repair.
     */
    @Override
    public void onPresence(boolean joined, String agentId, long seq) {
        PresenceView.Verdict v = presenceView.event(joined, agentId, seq);
        if (v.announce()) {
            broadcastPresence(joined, agentId, null, seq);
        }
        if (v.gap()) {
            RedisBackbone r = redis;
            scheduleRepair("a gap in the presence event numbers before " + seq, r == null ? 0 : r.repairDelayMillis());
        }
    }

    @Override
    public void onSubscribed(boolean again) {
        RedisBackbone r = redis;
        if (again && r != null) {
            scheduleRepair("the presence subscription came back", r.repairDelayMillis());
        }
    }

    /**
     * Presence repair: after {@code delayMillis}, reads the live agents from Redis and announces to the agents here
     * every join and leave this instance missed, numbered as the snapshot, so an agent whose own registration already
     * reflected it is skipped. Signs that come while one is scheduled share it. A failed read is logged; the next
     * reconnect or gap schedules another.
     */
    private void scheduleRepair(String why, long delayMillis) {
        RedisBackbone r = redis;
        if (r == null || !repairScheduled.compareAndSet(false, true)) {
            return;
        }
        r.schedule(() -> {
            repairScheduled.set(false);
            presenceView.reading();
            r.presenceSnapshot().whenComplete((snap, err) -> {
                if (err != null) {
                    presenceView.readFailed();
                    LOG.warn("presence repair ({}) could not read Redis: {}", why, err.toString());
                    return;
                }
                List<PresenceView.Change> changes = presenceView.reconcile(snap.seq(), snap.live());
                int joined = 0;
                for (PresenceView.Change c : changes) {
                    broadcastPresence(c.joined(), c.agentId(), null, snap.seq());
                    joined += c.joined() ? 1 : 0;
                }
                metrics.presenceRepaired(joined, changes.size() - joined);
                if (!"start".equals(why)) {
                    LOG.info("presence repaired after {}: {} missed joins and {} missed leaves announced (as of event {})",
                            why, joined, changes.size() - joined, snap.seq());
                }
            });
        }, delayMillis);
    }

    @Override
    public void onRelay(String to, String from, String originInstance, String payload, boolean batch) {
        Session target = agents.get(to);
        if (target != null && target.isRegistered()) {
            if (batch && !target.receivesBatches()) {
                // the delivering instance unrolls: it alone knows what its local recipient declared
                deliverUnrolled(target, CandidateBatches.unroll(payload));
            } else {
                target.deliver(payload);
            }
            return;
        }
        RedisBackbone r = redis;
        if (r != null) {
            r.publishError(originInstance, from,
                    Json.error(ErrorCode.UNKNOWN_AGENT, "agent '" + to + "' is not registered", null, to));
        }
    }

    @Override
    public void onError(String toAgent, String payload) {
        Session s = agents.get(toAgent);
        metrics.error(ErrorCode.UNKNOWN_AGENT);
        if (s != null && s.isRegistered()) {
            s.deliver(payload);
        }
    }

    @Override
    public void onKick(String agentId, String newOwner) {
        Session s = agents.get(agentId);
        if (s != null) {
            s.eventLoop().execute(() -> {
                if (agents.remove(agentId, s)) {
                    LOG.info("agent {} taken over by instance {}; closing {}", agentId, newOwner, s.label());
                    s.closeWithError(ErrorCode.SESSION_REPLACED,
                            "a newer session registered as '" + agentId + "'", 4001);
                }
            });
        }
    }

    /** Heartbeat found these ids owned elsewhere: close the local sessions without agent_left. */
    public void lost(List<String> ids) {
        for (String id : ids) {
            onKick(id, "another instance");
        }
    }

    // ------------------------------------------------------------------ drain

    /** Refuses new registrations and tells every connected session to go. */
    public void startDrain() {
        draining = true;
        for (Session s : sessions) {
            s.closeWithErrorPolitely(ErrorCode.SERVER_DRAINING, "server is draining; reconnect to another instance",
                    WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code());
        }
    }
}
