package io.jrtc.cli;

import io.jrtc.cli.internal.IceServers;
import io.jrtc.cli.internal.Sdp;
import io.jrtc.cli.internal.SparePeerConnection;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.ice.IceServer;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionException;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcLimitStats;
import io.jrtc.peer.RtcLimits;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.ConnectionState;
import io.jrtc.signaling.client.MessageTooLargeException;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The echo agent behind {@code jrtc echo}: registers with a signaling server, answers every offer (one
 * {@link PeerConnection} per remote agent), and echoes every message on every data channel the remote opens, strings as
 * strings and bytes as bytes.
 *
 * <ul>
 *   <li>Candidates trickle both ways; ours end with end-of-candidates (an empty candidate).</li>
 *   <li>A re-offer within the same session (same {@code o=} session id; an ICE restart, say) is answered on the existing
 *   connection. An offer with a new session id (a reloaded page, a restarted agent) replaces the old connection.</li>
 *   <li>{@code bye}, an {@code unknown_agent} error about that agent, or a failed connection close the remote's peer
 *   connection; so does {@code agent_left}, unless the connection is up: a server restart cuts every agent's signaling
 *   (and the server may report the others as gone while it shuts down), and data does not go through signaling. A
 *   connected remote that really is gone is closed when ICE consent checks (RFC 7675) fail, within 30 s.</li>
 *   <li>Bad input (an SDP that does not parse or cannot be answered, a candidate that does not apply) is logged; a bad
 *   offer closes that peer and sends it a {@code bye}. Other peers are not affected.</li>
 *   <li>The peer connections use the {@code ice_servers} of the latest {@code registered} reply (TURN REST credentials
 *   from the server) plus {@link AgentConfig#iceServers()}.</li>
 *   <li><b>Load shedding.</b> A new session is refused with a {@code bye} (no peer connection is created) while the
 *   outbound signaling queue is a quarter full or {@link #MAX_UNCONNECTED_PEERS} connections are still connecting;
 *   the signaling client paces itself to the server's budget, so answers and candidates of accepted sessions go first
 *   and the agent is never cut off as a flood. A connection not up within the connect timeout (the peer library's
 *   {@link RtcLimits#connectTimeout()}, 30 s unless the factory says otherwise; {@link #CONNECT_TIMEOUT}), a failed
 *   one, and one whose answer is too large for signaling are closed and the remote gets a {@code bye}.</li>
 *   <li><b>Bounded resources per remote.</b> One peer connection per remote agent id: a new session from the same id
 *   replaces the old connection, so no id ever holds two. The factory's {@link RtcLimits} bound the rest: a new session
 *   while the factory holds {@code maxPeerConnections} connections is refused with a {@code bye}; data channels,
 *   description size, candidates and send buffers per connection are refused beyond their limits by the peer library.
 *   Every refusal is counted in {@link Stats#limits()}.</li>
 *   <li>After the signaling connection drops, the client reconnects and registers again; existing peer connections are
 *   kept (media does not go through signaling).</li>
 * </ul>
 *
 * <p>Like browsers, it expects each offer before the candidates that belong to it (signaling keeps the order per pair of
 * agents): candidates that arrive before the offer of a new session are given to the agent's current connection.
 *
 * <p><b>Backpressure.</b> An echo agent receives as fast as its peer sends but can send back only as fast as its peer
 * reads. So each channel's inbound side is paused ({@link DataChannel#pause()}) while its outbound
 * {@code bufferedAmount} is above {@link #HIGH_WATER_MARK}, and resumed when {@code onBufferedAmountLow} reports it at
 * or below {@link #LOW_WATER_MARK}. While paused, what arrives stays in SCTP's receive window, so the peer's sender
 * slows down: nothing is dropped, and each channel holds at most about one receive window (4 MiB by default) of
 * received messages plus {@code HIGH_WATER_MARK} plus one message of unsent echoes.
 *
 * <p><b>Threads.</b> Public methods may be called from any thread. Signaling messages are handled on the signaling
 * client's event loop; each peer connection's callbacks and echoes run on that connection's event loop.
 */
public final class EchoAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EchoAgent.class);

    /** A channel's inbound side is paused while its outbound {@code bufferedAmount} is above this (1 MiB). */
    public static final long HIGH_WATER_MARK = 1L << 20;
    /** ... and resumed when {@code onBufferedAmountLow} reports it at or below this (256 KiB). */
    public static final long LOW_WATER_MARK = 256L * 1024;
    private static final long ACTIVITY_WINDOW_NANOS = 50_000_000L;
    private volatile long lastActivityNanos = System.nanoTime() - ACTIVITY_WINDOW_NANOS;

    /** Peer connections still connecting beyond which new offers are refused with a {@code bye}. */
    public static final int MAX_UNCONNECTED_PEERS = 64;
    /**
     * A peer connection not connected within this time is closed (with a {@code bye}) and its resources freed: the
     * peer library's {@link RtcLimits#connectTimeout()}. The factory's own connect timeout applies when it has one
     * (the default is this value); this one when the factory's is zero (off).
     */
    public static final java.time.Duration CONNECT_TIMEOUT = RtcLimits.DEFAULT_CONNECT_TIMEOUT;

    /**
     * How long an answer waits for our first candidate so that it can carry it (host candidates come within a
     * fraction of a millisecond of {@code setLocalDescription}; this bounds a gathering that yields nothing).
     */
    static final java.time.Duration ANSWER_CANDIDATE_WAIT = java.time.Duration.ofMillis(20);

    /**
     * One echoed message, for observers ({@link #onEcho}).
     *
     * @param remoteAgent  who sent it
     * @param channelLabel the data channel's label
     * @param message      the message; its buffer is valid only during the callback
     */
    public record Echo(String remoteAgent, String channelLabel, DataChannelMessage message) {
    }

    /**
     * Counters since start.
     *
     * @param registrations    successful registrations (the first one and every one after a reconnect)
     * @param peersCreated     peer connections created for offers
     * @param peersClosed      peer connections closed (bye, agent left, failure, bad offer, replaced, shutdown)
     * @param badOffers        offers that could not be answered
     * @param channelsOpened   data channels announced by remotes
     * @param textEchoed       string messages echoed
     * @param binaryEchoed     binary messages echoed
     * @param bytesEchoed      payload bytes echoed
     * @param sendFailures     echoes that could not be sent (channel closing or closed)
     * @param pauses           times a channel's inbound side was paused because its echoes were not going out
     * @param maxQueuedReceiveBytes the most received bytes one channel held unconsumed while paused (charged against
     *                         the SCTP receive window), sampled when it resumed
     * @param maxBufferedAmount the highest {@code bufferedAmount} of one channel right after an echo
     * @param limits           how often each limit of the peer library refused something (connect timeouts, offers
     *                         refused because the factory holds {@code maxPeerConnections}, channels beyond
     *                         {@code maxDataChannels}, oversized descriptions, too many candidates): the counters of the
     *                         agent's {@link PeerConnectionFactory}, so they include any other user of a shared factory
     */
    public record Stats(long registrations, long peersCreated, long peersClosed, long badOffers, long channelsOpened,
            long textEchoed, long binaryEchoed, long bytesEchoed, long sendFailures, long pauses,
            long maxQueuedReceiveBytes, long maxBufferedAmount, RtcLimitStats limits) {
    }

    private final AgentConfig config;
    private final PeerConnectionFactory factory;
    private final boolean ownsFactory;
    private final SignalingClient signaling;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    /** Open peers on the signaling client's loop (see {@link #answeringLoop}). */
    private final AtomicInteger peersOnSignalingLoop = new AtomicInteger();
    private final int loopCount;
    private volatile List<IceServer> serverIceServers = List.of();
    /** A connection made ahead of the next offer, its candidates gathered (see {@link SparePeerConnection}). */
    private final SparePeerConnection spare;
    private volatile boolean keepSpare;
    private volatile Consumer<Echo> onEcho;
    private volatile java.util.function.BiConsumer<String, String> onPeerClosed;
    private volatile boolean closed;

    private final AtomicInteger registrations = new AtomicInteger();
    private final LongAdder peersCreated = new LongAdder();
    private final LongAdder peersClosed = new LongAdder();
    private final LongAdder badOffers = new LongAdder();
    private final LongAdder shedOffers = new LongAdder();
    private final LongAdder shedSilently = new LongAdder();
    private volatile long shedLogNanos;
    private final ChannelEcho channels;

    /** An echo agent on its own {@link PeerConnectionFactory} (closed with the agent). */
    public EchoAgent(AgentConfig config) {
        this(config, new PeerConnectionFactory(), true);
    }

    /** An echo agent whose peer connections come from {@code factory} (not closed by the agent). */
    public EchoAgent(AgentConfig config, PeerConnectionFactory factory) {
        this(config, factory, false);
    }

    private EchoAgent(AgentConfig config, PeerConnectionFactory factory, boolean ownsFactory) {
        this.config = Objects.requireNonNull(config, "config");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.ownsFactory = ownsFactory;
        this.spare = new SparePeerConnection(this.factory, this::answeringLoop);
        this.channels = new ChannelEcho(config.agentId(), () -> onEcho, () -> lastActivityNanos = System.nanoTime(), true);
        // Signaling runs on one of the factory's loops, and new connections go on that loop while it holds no more
        // than its share of them (answeringLoop): an offer is then applied, answered and the answer written on one
        // thread. Each hand-over between threads cost 0.1-2.6 ms against Chromium on a busy 2-core machine.
        this.signaling = new SignalingClient(config.signalingConfig(this.factory.eventLoopGroup()));
        this.loopCount = loopCount(this.factory.eventLoopGroup());
        signaling.onMessage(this::onSignal);
        signaling.onRegistered(this::onRegistered);
        signaling.onStateChange(this::onSignalingState);
        if (config.relayOnly() && config.iceServers().stream().noneMatch(s -> s.parsedUrls().stream().anyMatch(IceServer.Url::isTurn))) {
            LOG.info("echo {}: relay-only; TURN servers must come from the signaling server's ice_servers", config.agentId());
        }
    }

    /**
     * Connects to the signaling server and registers. Completes with the first {@code registered} reply; fails on a final
     * refusal ({@code unauthorized}, {@code agent_id_taken}). While the server cannot be reached the client keeps trying
     * (bound the wait with {@code orTimeout}).
     */
    public CompletableFuture<SignalingMessage.Registered> start() {
        return signaling.connect();
    }

    /** The agent id. */
    public String agentId() {
        return config.agentId();
    }

    /**
     * Whether a connection is being set up: a peer connection not connected yet, or an offer or a channel opening in
     * the last 50 ms. Background work (the idle-time JIT warm-up of {@code jrtc echo}) waits while this is true.
     * Safe from any thread.
     */
    public boolean settingUpConnections() {
        if (System.nanoTime() - lastActivityNanos < ACTIVITY_WINDOW_NANOS) {
            return true;
        }
        for (Peer p : peers.values()) {
            if (!p.connectedOnce && !p.closed) {
                return true;
            }
        }
        return false;
    }

    /** The remote agents that currently have a peer connection with us. */
    public Set<String> peers() {
        return Set.copyOf(peers.keySet());
    }

    /** The peer connection with {@code remoteAgent}, if any (for tests and diagnostics). */
    public java.util.Optional<PeerConnection> peerConnection(String remoteAgent) {
        Peer p = peers.get(remoteAgent);
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(p.pc);
    }

    /** The signaling client's state. */
    public ConnectionState signalingState() {
        return signaling.state();
    }

    /**
     * What a warm-up's answering side does with each data channel so that it runs the agent's own echo code (the same
     * methods, so the JIT compiles them for the real peers), without counting in {@link #stats()} and without
     * {@link #onEcho} seeing its messages. Call on the channel's loop, as {@code onDataChannel} does.
     */
    public Consumer<DataChannel> warmUpChannelHandler() {
        ChannelEcho uncounted = new ChannelEcho(config.agentId(), () -> null, () -> { }, false);
        return ch -> uncounted.wire(ch, "warm-up");
    }

    /** Called on the peer connection's loop for every message echoed. Must not block. */
    public EchoAgent onEcho(Consumer<Echo> listener) {
        this.onEcho = listener;
        return this;
    }

    /** Calls {@code listener} (on the signaling loop) after every successful registration, including re-registrations. */
    public EchoAgent onRegistered(Consumer<SignalingMessage.Registered> listener) {
        signaling.onRegistered(listener);
        return this;
    }

    /** Calls {@code listener} with the remote agent and the reason whenever a peer connection is closed. Must not block. */
    public EchoAgent onPeerClosed(java.util.function.BiConsumer<String, String> listener) {
        this.onPeerClosed = listener;
        return this;
    }

    /** Calls {@code listener} (on the signaling loop) on every change of the signaling connection's state. */
    public EchoAgent onSignalingStateChange(Consumer<ConnectionState> listener) {
        signaling.onStateChange(listener);
        return this;
    }

    public Stats stats() {
        return new Stats(registrations.get(), peersCreated.sum(), peersClosed.sum(), badOffers.sum(),
                channels.channelsOpened.sum(), channels.textEchoed.sum(), channels.binaryEchoed.sum(),
                channels.bytesEchoed.sum(), channels.sendFailures.sum(), channels.pauses.sum(),
                channels.maxQueuedReceive.get(), channels.maxBuffered.get(), factory.limitStats());
    }

    /**
     * Keeps one peer connection ready ahead of the next offer, with W3C {@code iceCandidatePoolSize} 1: its sockets
     * are bound and its candidates gathered, so the answer goes out sooner and carries them (and
     * {@code a=end-of-candidates}) at once. The spare holds one of the factory's {@code maxPeerConnections} while
     * the factory has room; it is replaced every 30 s. Off by default; {@code jrtc echo} turns it on. Call before
     * {@link #start()}.
     */
    public EchoAgent keepSpareConnection(boolean on) {
        keepSpare = on;
        return this;
    }

    /** Spare connections made so far, and how many of them answered an offer ({@link #keepSpareConnection}). */
    public long[] spareConnectionCounts() {
        return spare.counts();
    }

    /** Closes every peer connection (with a {@code bye}), the signaling client and, if it owns it, the factory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Peer> all = new ArrayList<>(peers.values());
        peers.clear();
        for (Peer p : all) {
            trySend(() -> signaling.sendBye(p.remote), "bye", p.remote);
            p.pc.close();
            peersClosed.increment();
        }
        spare.close();
        signaling.close();
        if (ownsFactory) {
            factory.close();
        }
        LOG.info("echo {}: stopped ({} peer connections closed)", config.agentId(), all.size());
    }

    // ------------------------------------------------------------------ signaling (on the signaling loop)

    private void onRegistered(SignalingMessage.Registered r) {
        serverIceServers = IceServers.fromSignaling(r.iceServers());
        if (!closed && keepSpare) {
            spare.prepareLater(answeringConfiguration());
        }
        int n = registrations.incrementAndGet();
        if (n == 1) {
            LOG.info("echo {}: registered at {}; {} other agent(s) present, {} ICE server entr{} from the server",
                    r.agentId(), config.signaling(), r.connectedAgents().size(), serverIceServers.size(),
                    serverIceServers.size() == 1 ? "y" : "ies");
        } else {
            LOG.info("echo {}: registered again at {} after a reconnect; keeping {} peer connection(s)", r.agentId(),
                    config.signaling(), peers.size());
        }
    }

    private void onSignalingState(ConnectionState s) {
        if (s == ConnectionState.RECONNECTING && !closed) {
            LOG.warn("echo {}: signaling connection to {} lost; reconnecting", config.agentId(), config.signaling());
        }
    }

    private void onSignal(SignalingMessage m) {
        if (closed) {
            return;
        }
        switch (m) {
            case SignalingMessage.Offer o -> onOffer(o);
            case SignalingMessage.Candidate c -> onCandidate(c);
            case SignalingMessage.Bye b -> closePeer(b.from(), "bye");
            case SignalingMessage.AgentLeft l -> onAgentLeft(l.agentId());
            case SignalingMessage.Answer a -> LOG.warn("echo {}: unexpected answer from {} (the echo agent never offers)",
                    config.agentId(), a.from());
            case SignalingMessage.Error e -> {
                LOG.warn("echo {}: signaling error {}: {}{}", config.agentId(), e.code(), e.message(),
                        e.to() == null ? "" : " (to " + e.to() + ")");
                if (SignalingMessage.Error.UNKNOWN_AGENT.equals(e.code()) && e.to() != null) {
                    closePeer(e.to(), "gone from signaling");
                }
            }
            default -> LOG.debug("echo {}: {}", config.agentId(), m);
        }
    }

    private void onOffer(SignalingMessage.Offer o) {
        lastActivityNanos = System.nanoTime();
        String from = o.from();
        if (from == null) {
            LOG.warn("echo {}: offer without a sender; ignored", config.agentId());
            return;
        }
        String session = Sdp.sessionId(o.sdp());
        Peer existing = peers.get(from);
        Peer peer;
        if (existing != null && session != null && session.equals(existing.session) && !existing.closed) {
            LOG.info("echo {}: re-offer from {} in session {}", config.agentId(), from, session);
            peer = existing;
        } else {
            if (existing != null) {
                closePeer(existing, "replaced by a new session");
            }
            if (shedNewOffer(from)) {
                return;
            }
            peer = newPeer(from, session);
            if (peer == null) {
                return;
            }
        }
        peer.answer(o.sdp());
    }

    /**
     * An agent left signaling. A peer connection that is not connected goes at once. A connected one is kept: the remote
     * may only have lost its signaling connection (a server restart cuts every agent, and the server may report the
     * others as gone while it shuts down), and its data does not go through signaling. If the remote really is gone,
     * ICE consent checks (RFC 7675) fail the connection within 30 s and it is closed then.
     */
    private void onAgentLeft(String agentId) {
        Peer p = peers.get(agentId);
        if (p == null) {
            return;
        }
        if (p.pc.connectionState() == RtcPeerConnectionState.CONNECTED) {
            LOG.info("echo {}: {} left signaling; keeping its connected peer connection until consent checks fail",
                    config.agentId(), agentId);
        } else {
            closePeer(p, "agent left");
        }
    }

    private void onCandidate(SignalingMessage.Candidate c) {
        Peer p = peers.get(c.from());
        if (p == null) {
            LOG.debug("echo {}: candidate from {} without a peer connection; dropped", config.agentId(), c.from());
            return;
        }
        RtcIceCandidate candidate = new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex());
        p.pc.addIceCandidate(candidate).whenComplete((v, e) -> {
            if (e != null) {
                LOG.debug("echo {}: candidate from {} not applied: {}", config.agentId(), c.from(), cause(e).getMessage());
            }
        });
    }

    /**
     * Load shedding, on the signaling loop: a new session is refused with a {@code bye} (no peer connection is made)
     * while the outbound signaling queue is a quarter full, so the answers and candidates of sessions already accepted
     * go first and the agent never exceeds its signaling budget, or while {@link #MAX_UNCONNECTED_PEERS} peer
     * connections are still connecting. Shed offers are logged once per 10 s with a count.
     */
    private boolean shedNewOffer(String remote) {
        int queued = signaling.outboundQueued();
        long connecting = peers.values().stream().filter(p -> !p.connectedOnce).count();
        String why = queued >= Math.max(1, config.signalingConfig().maxQueuedMessages() / 4)
                ? "outbound signaling queue at " + queued
                : connecting >= MAX_UNCONNECTED_PEERS ? connecting + " peer connections still connecting" : null;
        if (why == null) {
            return false;
        }
        shedOffers.increment();
        long now = System.nanoTime();
        long last = shedLogNanos;
        if (last == 0 || now - last > 10_000_000_000L) {
            shedLogNanos = now;
            long n = shedOffers.sum();
            LOG.warn("echo {}: refusing new offers with bye ({}; {} refused so far, {} without a bye; logged once per"
                    + " 10 s)", config.agentId(), why, n, shedSilently.sum());
        }
        // the bye only if it cannot crowd out answers and candidates; otherwise the refusal is silent (counted)
        if (queued < config.signalingConfig().maxQueuedMessages() / 2) {
            try {
                signaling.sendBye(remote);
            } catch (RuntimeException e) {
                shedSilently.increment();
            }
        } else {
            shedSilently.increment();
        }
        return true;
    }

    /** Shed offers whose {@code bye} could not be sent because the outbound signaling queue was too full. */
    public long shedOffersWithoutBye() {
        return shedSilently.sum();
    }

    /** Offers refused with a {@code bye} by load shedding (see the class comment). */
    public long shedOffers() {
        return shedOffers.sum();
    }

    /**
     * A peer connection for a new session of {@code remote}, or null (with a {@code bye} to it) when the factory holds
     * {@link RtcLimits#maxPeerConnections()} connections. It fails (and is then closed with a {@code bye}) if not
     * connected within the factory's connect timeout, or {@link #CONNECT_TIMEOUT} if the factory has none.
     */
    private Peer newPeer(String remote, String session) {
        PeerConnection pc;
        try {
            pc = keepSpare ? spare.take(answeringConfiguration())
                    : factory.createPeerConnection(answeringConfiguration(), answeringLoop());
        } catch (PeerConnectionException.LimitExceeded e) {
            // counted in the factory's limitStats() and logged there (1-3, 10, 100, ...)
            LOG.debug("echo {}: offer from {} refused: {}", config.agentId(), remote, e.getMessage());
            trySend(() -> signaling.sendBye(remote), "bye", remote);
            return null;
        } catch (RuntimeException e) {
            LOG.error("echo {}: cannot create a peer connection for {}", config.agentId(), remote, e);
            return null;
        }
        Peer p = new Peer(remote, session, pc);
        peers.put(remote, p);
        if (p.onSignalingLoop) {
            peersOnSignalingLoop.incrementAndGet();
        }
        peersCreated.increment();
        return p;
    }

    /**
     * The loop for the next connection: the signaling client's while it holds no more than its share of the open
     * connections, so that answering takes no thread hand-over; else another of the factory's loops, so that many
     * connections still spread over every loop.
     */
    private io.netty.channel.EventLoop answeringLoop() {
        io.netty.channel.EventLoop home = signaling.eventLoop();
        if ((long) peersOnSignalingLoop.get() * loopCount <= peers.size()) {
            return home;
        }
        for (int i = 0; i < loopCount; i++) { // the group's next loop that is not the signaling loop
            io.netty.util.concurrent.EventExecutor e = factory.eventLoopGroup().next();
            if (e != home && e instanceof io.netty.channel.EventLoop l) {
                return l;
            }
        }
        return null;
    }

    /** Open peer connections on the signaling client's loop, and all open ones (tests). */
    int[] peersOnSignalingLoop() {
        return new int[] {peersOnSignalingLoop.get(), peers.size()};
    }

    private static int loopCount(io.netty.channel.EventLoopGroup group) {
        int n = 0;
        for (io.netty.util.concurrent.EventExecutor ignored : group) {
            n++;
        }
        return Math.max(1, n);
    }

    /** The configuration of the connections that answer offers (and of the spare made ahead of them). */
    private RtcConfiguration answeringConfiguration() {
        RtcConfiguration rc = config.rtcConfiguration(serverIceServers);
        RtcLimits limits = factory.limits();
        if (limits.connectTimeout().isZero()) {
            rc = rc.toBuilder().limits(limits.withConnectTimeout(CONNECT_TIMEOUT)).build();
        }
        return rc;
    }

    private void closePeer(String remote, String why) {
        Peer p = peers.get(remote);
        if (p != null) {
            closePeer(p, why);
        }
    }

    private void closePeer(Peer p, String why) {
        boolean removed = peers.remove(p.remote, p);
        if (!removed && p.closed) {
            return;
        }
        if (removed && p.onSignalingLoop) {
            peersOnSignalingLoop.decrementAndGet();
        }
        p.closed = true;
        peersClosed.increment();
        LOG.info("echo {}: closing the peer connection with {} ({})", config.agentId(), p.remote, why);
        p.pc.execute(p.pc::close);
        java.util.function.BiConsumer<String, String> l = onPeerClosed;
        if (l != null) {
            try {
                l.accept(p.remote, why);
            } catch (RuntimeException e) {
                LOG.warn("echo {}: onPeerClosed listener failed", config.agentId(), e);
            }
        }
    }

    private void trySend(Runnable send, String what, String to) {
        try {
            send.run();
        } catch (RuntimeException e) {
            LOG.warn("echo {}: could not send {} to {}: {}", config.agentId(), what, to, e.toString());
        }
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    // ------------------------------------------------------------------ one remote agent

    /** One remote agent's peer connection. Fields other than {@code closed} are confined to the connection's loop. */
    private final class Peer {
        final String remote;
        final String session;
        final PeerConnection pc;
        final boolean onSignalingLoop;
        volatile boolean closed;
        volatile boolean connectedOnce;
        /**
         * Our candidates gathered before the answer is sent go inside it (its description lists them, as W3C
         * {@code localDescription} does); the ones gathered later trickle after it. A peer then learns our host
         * candidates with the answer, without waiting for separate candidate messages: Chromium's first check came
         * about 2 ms sooner (perf/README.md).
         */
        boolean answerSent;
        /** Candidates gathered before the answer was ready; they are in the answer's description. */
        final List<RtcIceCandidate> heldCandidates = new ArrayList<>();
        /** An answer waiting for the first candidate (or end of gathering), at most {@link #ANSWER_CANDIDATE_WAIT}. */
        RtcSessionDescription pendingAnswer;

        Peer(String remote, String session, PeerConnection pc) {
            this.remote = remote;
            this.session = session;
            this.pc = pc;
            this.onSignalingLoop = pc.eventLoop() == signaling.eventLoop();
            pc.onIceCandidate(this::onLocalCandidate);
            pc.onDataChannel(this::onChannel);
            pc.onConnectionStateChange(this::onState);
        }

        void answer(String sdp) {
            pc.execute(() -> {
                answerSent = false;
                pc.setRemoteDescription(RtcSessionDescription.offer(sdp))
                        .thenCompose(v -> pc.createAnswer())
                        .thenCompose(a -> pc.setLocalDescription(a).thenApply(v -> a))
                        .whenComplete((a, e) -> pc.execute(() -> answered(a, e)));
            });
        }

        private void answered(RtcSessionDescription answer, Throwable error) {
            if (closed) {
                return;
            }
            if (error != null) {
                badOffers.increment();
                LOG.warn("echo {}: cannot answer the offer from {}: {}", config.agentId(), remote, cause(error).getMessage());
                closePeer(this, "bad offer");
                trySend(() -> signaling.sendBye(remote), "bye", remote);
                return;
            }
            if (heldCandidates.isEmpty() && pc.iceGatheringState() != io.jrtc.ice.IceGatheringState.COMPLETE) {
                // Nothing gathered yet (the host candidates follow setLocalDescription within a fraction of a ms):
                // the answer waits for the first, or for ANSWER_CANDIDATE_WAIT at most.
                pendingAnswer = answer;
                CompletableFuture.delayedExecutor(ANSWER_CANDIDATE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> pc.execute(() -> {
                            if (pendingAnswer != null && !closed) {
                                sendAnswer(describedWithCandidates(pendingAnswer));
                            }
                        }));
                return;
            }
            sendAnswer(describedWithCandidates(answer));
        }

        /** The local description with every candidate gathered so far (W3C {@code localDescription}), else {@code answer}. */
        private String describedWithCandidates(RtcSessionDescription answer) {
            return pc.localDescription().map(RtcSessionDescription::sdp).orElse(answer.sdp());
        }

        /** Sends the answer; the candidates gathered until now are in it, later ones trickle. Loop only. */
        private void sendAnswer(String sdp) {
            pendingAnswer = null;
            heldCandidates.clear();
            try {
                signaling.sendAnswer(remote, sdp);
            } catch (MessageTooLargeException e) {
                LOG.warn("echo {}: answer to {} too large for signaling ({}); closing with bye", config.agentId(), remote,
                        e.getMessage());
                closePeer(this, "answer too large for signaling");
                trySend(() -> signaling.sendBye(remote), "bye", remote);
                return;
            } catch (RuntimeException e) {
                LOG.warn("echo {}: could not send answer to {}: {}", config.agentId(), remote, e.toString());
            }
            answerSent = true;
            // logged once the answer is on its way: the log line is not on the connection's critical path
            LOG.info("echo {}: answered the offer from {} (session {}) on {}", config.agentId(), remote, session, pc);
        }

        private void onLocalCandidate(RtcIceCandidate c) {
            if (closed) {
                return;
            }
            if (!answerSent) {
                if (pendingAnswer != null) {
                    sendAnswer(describedWithCandidates(pendingAnswer)); // c is in it
                } else {
                    heldCandidates.add(c); // goes into the answer's description
                }
                return;
            }
            sendCandidate(c);
        }

        private void sendCandidate(RtcIceCandidate c) {
            if (c.isEndOfCandidates()) {
                trySend(() -> signaling.sendEndOfCandidates(remote, c.sdpMid(), c.sdpMLineIndex()), "end-of-candidates", remote);
            } else {
                trySend(() -> signaling.sendCandidate(remote, c.candidate(), c.sdpMid(), c.sdpMLineIndex()), "candidate", remote);
            }
        }

        private void onState(RtcPeerConnectionState s) {
            switch (s) {
                case CONNECTED -> {
                    connectedOnce = true;
                    LOG.info("echo {}: connected with {}", config.agentId(), remote);
                }
                case DISCONNECTED -> LOG.info("echo {}: connection with {} disconnected (may recover)", config.agentId(), remote);
                case FAILED -> {
                    // before it was up: ICE or DTLS failed, or the connect timeout (the peer library logged which)
                    String why = connectedOnce ? "connection failed" : "connection failed before it was up";
                    LOG.warn("echo {}: {} with {}", config.agentId(), why, remote);
                    closePeer(this, why);
                    trySend(() -> signaling.sendBye(remote), "bye", remote);
                }
                default -> {
                }
            }
        }

        private void onChannel(DataChannel ch) {
            channels.wire(ch, remote);
        }
    }
}
