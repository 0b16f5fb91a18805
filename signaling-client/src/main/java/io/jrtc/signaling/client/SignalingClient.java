package io.jrtc.signaling.client;

import io.jrtc.common.ParseException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the jrtc signaling server (protocol version 1) on Netty.
 *
 * <pre>{@code
 * SignalingClient c = new SignalingClient(SignalingClientConfig.builder(URI.create("ws://127.0.0.1:8080/ws"), "a1")
 *         .tokenSupplier(AgentTokens.supplier(secret, "a1", Duration.ofHours(1), Clock.systemUTC())).build());
 * c.onMessage(m -> { if (m instanceof SignalingMessage.Offer o) { ... } });
 * SignalingMessage.Registered r = c.connect().get(10, SECONDS);
 * c.send(new SignalingMessage.Offer("a2", sdp));
 * }</pre>
 *
 * <p><b>Threads.</b> Every listener ({@link #onMessage}, {@link #onRegistered}, {@link #onStateChange}) is
 * called on the client's single Netty event loop, in order; a listener must not block. Futures returned by
 * {@link #connect()} and {@link #send} complete on that loop too. All public methods may be called from any
 * thread, including from listeners.
 *
 * <p><b>Reconnection.</b> When the connection drops (or the server refuses transiently: {@code server_full},
 * {@code server_draining}, {@code backbone_unavailable}), the client reconnects after {@link ReconnectBackoff}
 * delays (1 s doubling to 30 s, jittered; reset after {@code stableAfter} registered) and registers again,
 * asking the token supplier for a fresh token. {@code unauthorized} or {@code agent_id_taken} on the very
 * first registration, and {@code invalid_message} at any time, are final: {@link #connect()} fails with a
 * {@link SignalingException} and the client closes. After a successful registration, those two are retried
 * (a stale session may still hold the id; a supplier may mint a new token). {@code session_replaced} (another
 * session took the id over) closes the client without reconnecting, to avoid two sessions evicting each other.
 *
 * <p><b>Candidate batching.</b> When the server announces {@code candidates} batches (protocol 1, revision 3)
 * and {@link SignalingClientConfig#candidateBatching()} is on, queued candidates for one recipient are coalesced
 * into batches when they are dequeued (never overtaking another message to that recipient), and received batches
 * are delivered to {@link #onMessage} as their individual {@link SignalingMessage.Candidate}s.
 *
 * <p><b>Delivery.</b> {@link #send} writes at once when registered; otherwise the message waits in a queue of
 * at most {@link SignalingClientConfig#maxQueuedMessages()} messages, flushed in order right after the next
 * registration. Beyond the bound, {@code send} throws {@link SignalingQueueFullException}. A message written to
 * a connection that then breaks may be lost (at most once); the server reports undeliverable messages with
 * {@code unknown_agent} errors, which arrive through {@link #onMessage}.
 */
public final class SignalingClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignalingClient.class);

    private final SignalingClientConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final SslContext ssl;
    private final ReconnectBackoff backoff;
    private final URI uri;
    private final String host;
    private final int port;

    private final CompletableFuture<SignalingMessage.Registered> firstRegistration = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final List<Consumer<SignalingMessage>> messageListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SignalingMessage.Registered>> registeredListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final OutboundQueue outbox;

    private volatile ConnectionState state = ConnectionState.NEW;
    /** Present agents: mutated on the loop only; read anywhere through {@link #presentAgents()}. */
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private volatile SignalingMessage.Registered lastRegistered;

    // event-loop confined
    private Channel channel;
    private int generation;
    private int disconnectHandled = -1;
    private boolean registeredOnce;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> registerTimeout;

    public SignalingClient(SignalingClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.uri = normalise(config.uri());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : (config.tls() ? 443 : 80);
        if (config.eventLoopGroup() != null) {
            this.group = config.eventLoopGroup();
            this.ownsGroup = false;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jrtc-signaling-client", true),
                    NioIoHandler.newFactory());
            this.ownsGroup = true;
        }
        this.loop = group.next();
        this.outbox = new OutboundQueue(config, loop, () -> state, () -> channel);
        this.backoff = new ReconnectBackoff(config.initialBackoff(), config.maxBackoff(), config.backoffMultiplier(),
                config.backoffJitter(), config.stableAfter(), config.random());
        try {
            this.ssl = config.tls() ? SslContextBuilder.forClient().trustManager(config.trustManagerFactory()).build()
                    : null;
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot build a TLS context for " + uri, e);
        }
    }

    private static URI normalise(URI u) {
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/ws" : u.getRawPath();
        return URI.create(u.getScheme().toLowerCase() + "://" + u.getRawAuthority() + path
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    // ------------------------------------------------------------------ public API

    /**
     * The event loop that runs this client: every listener is called on it, and a send made on it goes out at once
     * (from any other thread it is handed over to this loop first). One loop of
     * {@link SignalingClientConfig#eventLoopGroup()} when the configuration names a group.
     */
    public EventLoop eventLoop() {
        return loop;
    }

    /** The configuration. */
    public SignalingClientConfig config() {
        return config;
    }

    /** The agent id this client registers. */
    public String agentId() {
        return config.agentId();
    }

    /** The current state (volatile read). */
    public ConnectionState state() {
        return state;
    }

    /**
     * A snapshot of the other agents present, as of the last {@code registered} and presence events; empty
     * when disconnected.
     */
    public Set<String> presentAgents() {
        return Set.copyOf(present);
    }

    /** The last {@code registered} reply (its {@code ice_servers} feed a PeerConnection), if any. */
    public Optional<SignalingMessage.Registered> lastRegistered() {
        return Optional.ofNullable(lastRegistered);
    }

    /** Calls {@code listener} on the event loop with every message from the server, in order. */
    public SignalingClient onMessage(Consumer<SignalingMessage> listener) {
        messageListeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /** Calls {@code listener} on the event loop after each successful (re-)registration. */
    public SignalingClient onRegistered(Consumer<SignalingMessage.Registered> listener) {
        registeredListeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /** Calls {@code listener} on the event loop on every state change. */
    public SignalingClient onStateChange(Consumer<ConnectionState> listener) {
        stateListeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /**
     * Connects and registers; reconnects for as long as the client lives. The future completes with the
     * first {@code registered} reply, or fails with {@link SignalingException} on a final refusal or
     * {@link SignalingClosedException} if closed first. Transport failures do not fail it: the client keeps
     * retrying (bound the wait with {@code orTimeout}).
     *
     * @throws IllegalStateException if called twice
     */
    public CompletableFuture<SignalingMessage.Registered> connect() {
        synchronized (this) {
            if (state != ConnectionState.NEW) {
                throw new IllegalStateException("connect() may be called once; state is " + state);
            }
            state = ConnectionState.CONNECTING;
        }
        loop.execute(this::attempt);
        return firstRegistration.copy();
    }

    /**
     * Sends a relayed message ({@code from} is set by the server). Returns a future completing when the frame
     * has been written to the socket.
     *
     * @throws MessageTooLargeException    if its JSON exceeds {@link SignalingClientConfig#maxMessageBytes()}
     * @throws SignalingClosedException    if the client is closed
     * @throws SignalingQueueFullException if not registered and the queue is full (in a race with a state
     *                                     change the returned future fails with it instead)
     */
    public CompletableFuture<Void> send(SignalingMessage.Relayed message) {
        Objects.requireNonNull(message, "message");
        if (message instanceof SignalingMessage.Candidates b) {
            return sendCandidates(b.to(), b.candidates());
        }
        return outbox.submit(List.of(outbound(message))).get(0);
    }

    /**
     * Sends candidates to {@code to}, in order ({@code to}/{@code from} of the elements are ignored). They are
     * queued together, so to a server that accepts batches they go in as few {@code candidates} messages as the
     * limits allow; otherwise one {@code candidate} each. The future completes when all are written.
     *
     * @throws SignalingQueueFullException if not registered and they do not all fit in the queue
     */
    public CompletableFuture<Void> sendCandidates(String to, List<SignalingMessage.Candidate> candidates) {
        Objects.requireNonNull(to, "to");
        List<Outbound> out = new ArrayList<>(candidates.size());
        for (SignalingMessage.Candidate c : candidates) {
            out.add(outbound(new SignalingMessage.Candidate(to, c.candidate(), c.sdpMid(), c.sdpMLineIndex())));
        }
        return CompletableFuture.allOf(outbox.submit(out).toArray(CompletableFuture[]::new));
    }

    private Outbound outbound(SignalingMessage.Relayed message) {
        String json = SignalingCodec.encode(message);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.maxMessageBytes()) {
            throw new MessageTooLargeException(message.type() + " to " + message.to() + " is " + bytes
                    + " bytes; the limit is " + config.maxMessageBytes());
        }
        return new Outbound(message.to(), json, bytes, new CompletableFuture<>(),
                message instanceof SignalingMessage.Offer,
                message instanceof SignalingMessage.Candidate c ? c : null);
    }

    /**
     * Reports this agent's mesh links to the server (revision 4), replacing its last report there; the server shows
     * them at {@code /mesh} and on its page. Only while registered with a server that announced
     * {@link SignalingMessage.Registered#acceptsLinkReports()}: otherwise nothing is sent or queued and this returns
     * false (a report is current state, not worth holding). Callable from any thread.
     */
    public boolean sendLinkReport(List<SignalingMessage.LinkReport.Link> links) {
        return sendLinkReport(links, null);
    }

    /** As {@link #sendLinkReport(List)}, with this agent's NAT behaviour (revision 6; null: not known). */
    public boolean sendLinkReport(List<SignalingMessage.LinkReport.Link> links, SignalingMessage.LinkReport.Nat nat) {
        SignalingMessage.LinkReport report = new SignalingMessage.LinkReport(links, nat);
        if (state != ConnectionState.REGISTERED
                || !lastRegistered().map(SignalingMessage.Registered::acceptsLinkReports).orElse(false)) {
            return false;
        }
        String json = SignalingCodec.encode(report);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.maxMessageBytes()) {
            throw new MessageTooLargeException("link_report is " + bytes + " bytes; the limit is " + config.maxMessageBytes());
        }
        outbox.submit(List.of(new Outbound(null, json, bytes, new CompletableFuture<>(), false, null)));
        return true;
    }

    /** Convenience for {@code send(new Offer(to, sdp))}. */
    public CompletableFuture<Void> sendOffer(String to, String sdp) {
        return send(new SignalingMessage.Offer(to, sdp));
    }

    /** Convenience for {@code send(new Answer(to, sdp))}. */
    public CompletableFuture<Void> sendAnswer(String to, String sdp) {
        return send(new SignalingMessage.Answer(to, sdp));
    }

    /** Convenience for a trickled candidate. */
    public CompletableFuture<Void> sendCandidate(String to, String candidate, String sdpMid, Integer sdpMLineIndex) {
        return send(new SignalingMessage.Candidate(to, candidate, sdpMid, sdpMLineIndex));
    }

    /** Convenience for end-of-candidates (an empty candidate). */
    public CompletableFuture<Void> sendEndOfCandidates(String to, String sdpMid, Integer sdpMLineIndex) {
        return send(SignalingMessage.Candidate.endOfCandidates(to, sdpMid, sdpMLineIndex));
    }

    /** Convenience for {@code send(new Bye(to))}. */
    public CompletableFuture<Void> sendBye(String to) {
        return send(new SignalingMessage.Bye(to));
    }

    /** Closes: no more reconnects, queued messages fail, a close frame is sent. Completes when done. */
    public CompletableFuture<Void> closeAsync() {
        if (closed.isDone()) {
            return closed;
        }
        try {
            loop.execute(() -> finalClose("closed by the application", null));
        } catch (RejectedExecutionException e) {
            closed.complete(null); // the loop is gone already
        }
        return closed;
    }

    /** {@link #closeAsync()} and wait up to 5 s (does not wait when called on the client's own loop). */
    @Override
    public void close() {
        CompletableFuture<Void> f = closeAsync();
        if (loop.inEventLoop()) {
            return;
        }
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("signaling client {} did not close cleanly: {}", config.agentId(), e.toString());
        }
    }

    /**
     * Messages waiting in the outbound queue: while disconnected, or paced to the server's budget. When this
     * reaches half of {@link SignalingClientConfig#maxQueuedMessages()} new offers are shed; an application
     * that answers offers can use it to refuse new sessions early (with a {@code bye}).
     */
    public int outboundQueued() {
        return outbox.queued();
    }

    /** Offers refused ({@link SignalingQueueFullException}) or evicted from the queue to make room for others. */
    public long shedOffers() {
        return outbox.shedOffers();
    }

    // ------------------------------------------------------------------ event loop internals

    private void setState(ConnectionState s) {
        if (state == s) {
            return;
        }
        state = s;
        for (Consumer<ConnectionState> l : stateListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.warn("state listener of signaling client {} threw", config.agentId(), e);
            }
        }
    }

    private void attempt() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        int gen = ++generation;
        reconnectTask = null;
        setState(ConnectionState.CONNECTING);
        String token;
        try {
            token = config.tokenSupplier() == null ? null : config.tokenSupplier().get();
        } catch (RuntimeException e) {
            LOG.warn("signaling client {}: token supplier failed", config.agentId(), e);
            onDisconnected(gen, e);
            return;
        }
        Bootstrap b = ClientPipeline.bootstrap(loop, config, uri, host, port, ssl, new Handler(gen, token));
        LOG.debug("signaling client {}: connecting to {} (attempt {})", config.agentId(), uri, backoff.attempts() + 1);
        b.connect(host, port).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                onDisconnected(gen, f.cause());
            } else if (gen == generation && state != ConnectionState.CLOSED) {
                channel = f.channel();
            } else {
                f.channel().close();
            }
        });
    }

    private void onDisconnected(int gen, Throwable cause) {
        if (gen != generation || disconnectHandled == gen) {
            return;
        }
        disconnectHandled = gen;
        channel = null;
        cancel(registerTimeout);
        present.clear();
        if (state == ConnectionState.CLOSED) {
            return;
        }
        Duration delay = backoff.disconnected(System.nanoTime());
        String why = cause == null ? "connection closed" : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        if (registeredOnce) {
            LOG.info("signaling client {}: {} ({}); reconnecting in {} ms", config.agentId(), uri, why,
                    delay.toMillis());
        } else {
            LOG.warn("signaling client {}: cannot reach {} ({}); retrying in {} ms", config.agentId(), uri, why,
                    delay.toMillis());
        }
        setState(ConnectionState.RECONNECTING);
        reconnectTask = loop.schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onHandshakeComplete(int gen, ChannelHandlerContext ctx, String token) {
        if (gen != generation || state == ConnectionState.CLOSED) {
            ctx.close();
            return;
        }
        String presence = null;
        if (config.presenceSupplier() != null) {
            try {
                presence = config.presenceSupplier().get();
            } catch (RuntimeException e) {
                LOG.warn("signaling client {}: no presence blob: {}", config.agentId(), e.toString());
            }
        }
        ctx.writeAndFlush(new TextWebSocketFrame(SignalingCodec.encode(new SignalingMessage.Register(
                config.agentId(), token, config.candidateBatching() ? List.of(SignalingMessage.Candidates.FEATURE)
                        : List.of(), presence))));
        registerTimeout = loop.schedule(() -> {
            if (gen == generation && state == ConnectionState.CONNECTING) {
                LOG.warn("signaling client {}: no reply to register within {}; reconnecting", config.agentId(),
                        config.connectTimeout());
                ctx.close();
            }
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onInbound(int gen, ChannelHandlerContext ctx, SignalingMessage msg) {
        if (gen != generation || state == ConnectionState.CLOSED) {
            return;
        }
        if (state == ConnectionState.CONNECTING) {
            if (msg instanceof SignalingMessage.Registered r) {
                onRegistered(r);
                return;
            }
            if (msg instanceof SignalingMessage.Error e) {
                notifyMessage(e);
                onRegistrationRefused(ctx, e);
                return;
            }
        }
        switch (msg) {
            case SignalingMessage.AgentJoined j -> present.add(j.agentId());
            case SignalingMessage.AgentLeft l -> present.remove(l.agentId());
            case SignalingMessage.Error e when SignalingMessage.Error.SESSION_REPLACED.equals(e.code()) -> {
                LOG.warn("signaling client {}: another session took this agent id over; not reconnecting",
                        config.agentId());
                notifyMessage(msg);
                finalClose("another session took agent id " + config.agentId() + " over", null);
                return;
            }
            case SignalingMessage.Error e -> LOG.debug("signaling client {}: server error {}: {}", config.agentId(),
                    e.code(), e.message());
            default -> { }
        }
        notifyMessage(msg);
    }

    private void onRegistered(SignalingMessage.Registered r) {
        cancel(registerTimeout);
        registeredOnce = true;
        lastRegistered = r;
        present.clear();
        present.addAll(r.connectedAgents());
        backoff.registered(System.nanoTime());
        LOG.info("signaling client {} registered at {} ({} others present, {} ICE server entries)",
                config.agentId(), uri, r.connectedAgents().size(), r.iceServers().size());
        outbox.registered(r);
        setState(ConnectionState.REGISTERED);
        if (outbox.waiting() > 0) {
            LOG.info("signaling client {}: sending {} messages queued while disconnected, paced to {}",
                    config.agentId(), outbox.waiting(), r.rateLimit() == null ? "50/s (not announced)"
                            : r.rateLimit().messagesPerSecond() + "/s");
            outbox.drainNow();
        }
        firstRegistration.complete(r);
        for (Consumer<SignalingMessage.Registered> l : registeredListeners) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("registered listener of signaling client {} threw", config.agentId(), e);
            }
        }
        notifyMessage(r);
    }

    private void onRegistrationRefused(ChannelHandlerContext ctx, SignalingMessage.Error e) {
        String code = e.code();
        boolean finalRefusal = SignalingMessage.Error.INVALID_MESSAGE.equals(code)
                || (!registeredOnce && (SignalingMessage.Error.UNAUTHORIZED.equals(code)
                        || SignalingMessage.Error.AGENT_ID_TAKEN.equals(code)));
        if (finalRefusal) {
            LOG.error("signaling client {}: registration refused: {}: {}", config.agentId(), code, e.message());
            finalClose("registration refused: " + code, new SignalingException(code, e.message()));
            return;
        }
        LOG.warn("signaling client {}: registration refused for now: {}: {}; will retry", config.agentId(), code,
                e.message());
        ctx.close(); // onDisconnected schedules the retry
    }

    private void notifyMessage(SignalingMessage m) {
        for (Consumer<SignalingMessage> l : messageListeners) {
            try {
                l.accept(m);
            } catch (RuntimeException e) {
                LOG.warn("message listener of signaling client {} threw on {}", config.agentId(), m.type(), e);
            }
        }
    }

    private void finalClose(String reason, Throwable failure) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        LOG.info("signaling client {} closing: {}", config.agentId(), reason);
        setState(ConnectionState.CLOSED);
        generation++; // events of the current connection are ignored from now on
        cancel(reconnectTask);
        cancel(registerTimeout);
        present.clear();
        SignalingClosedException closedEx = new SignalingClosedException("signaling client " + config.agentId()
                + " closed: " + reason);
        outbox.close(closedEx);
        firstRegistration.completeExceptionally(failure != null ? failure : closedEx);
        Channel ch = channel;
        channel = null;
        if (ch != null && ch.isActive()) {
            // RFC 6455 section 7.1.1: after our Close frame the server closes the TCP connection first. Closing it
            // ourselves at once lost messages: if a frame from the server (an agent_left, say) was still unread in
            // our socket, the kernel answered with a reset, and a reset makes the server's kernel discard what it had
            // received but not yet handed to the server, such as our last bye. So keep reading (and discarding)
            // until the server closes, and close ourselves only if it has not within CLOSE_HANDSHAKE_TIMEOUT.
            ch.closeFuture().addListener(f -> finish());
            ch.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(f -> {
                if (!f.isSuccess()) {
                    ch.close();
                }
            });
            ch.eventLoop().schedule(() -> {
                if (ch.isActive()) {
                    LOG.debug("signaling client {}: the server did not close within {} ms of our Close frame; closing",
                            config.agentId(), CLOSE_HANDSHAKE_TIMEOUT.toMillis());
                    ch.close();
                }
            }, CLOSE_HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            finish();
        }
    }

    /** How long {@link #close()} waits for the server to end the connection after our Close frame. */
    static final java.time.Duration CLOSE_HANDSHAKE_TIMEOUT = java.time.Duration.ofSeconds(2);

    private void finish() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        closed.complete(null);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /** The per-connection handler; every event carries its connection's generation. */
    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final int gen;
        private final String token;

        Handler(int gen, String token) {
            this.gen = gen;
            this.token = token;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                onHandshakeComplete(gen, ctx, token);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                LOG.warn("signaling client {}: WebSocket handshake with {} timed out", config.agentId(), uri);
                ctx.close();
            } else if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.WRITER_IDLE) {
                    ctx.writeAndFlush(new PingWebSocketFrame());
                } else if (idle.state() == IdleState.READER_IDLE) {
                    LOG.warn("signaling client {}: nothing from {} for {}; reconnecting", config.agentId(), uri,
                            config.readIdleTimeout());
                    ctx.close();
                }
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof TextWebSocketFrame text)) {
                LOG.warn("signaling client {}: ignoring a non-text frame from the server", config.agentId());
                return;
            }
            SignalingMessage m;
            try {
                m = SignalingCodec.decode(text.text());
            } catch (ParseException e) {
                LOG.warn("signaling client {}: dropping an unparsable message from the server: {}",
                        config.agentId(), e.getMessage());
                return;
            }
            if (m instanceof SignalingMessage.Candidates batch) {
                batch.candidates().forEach(c -> onInbound(gen, ctx, c)); // the application sees single candidates
                return;
            }
            onInbound(gen, ctx, m);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            onDisconnected(gen, null);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) {
                LOG.debug("signaling client {}: I/O error: {}", config.agentId(), cause.toString());
            } else {
                LOG.warn("signaling client {}: error on the connection to {}: {}", config.agentId(), uri,
                        cause.toString());
            }
            ctx.close();
        }
    }
}
