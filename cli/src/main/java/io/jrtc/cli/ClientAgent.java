package io.jrtc.cli;

import io.jrtc.cli.internal.IceServers;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceServer;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.peer.RtcPeerConnectionState;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.peer.RtcStats;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client agent behind {@code jrtc agent} and {@code jrtc demo}: registers with a signaling server, offers a
 * {@link PeerConnection} with a data channel to another agent (typically an {@link EchoAgent}), and measures what comes
 * back: setup time, round-trip times and echo throughput, checking every echoed byte.
 *
 * <p><b>Threads.</b> The public methods may be called from any thread except the agent's own event loops: the
 * measuring methods of {@link Session} block the caller until done or timed out. Signaling is handled on the signaling
 * client's loop; data channel work runs on the connection's loop.
 *
 * <p><b>ICE restart.</b> When a session's ICE connection goes {@code disconnected} (no consent answer for
 * {@code IceConfig.disconnectedTimeout}, 5 s by default: the path died, e.g. its TURN server), the agent restarts ICE
 * itself: a new offer with new credentials ({@code createOffer(true)}) goes through signaling, the remote answers it
 * on the same connection, and ICE checks every pair again, over the TURN allocations that are still alive. Data
 * keeps its DTLS and SCTP association; SCTP retransmits what the dead path lost. An offer that gets no answer within
 * {@value #RESTART_RETRY_MS} ms while ICE is still not connected is made again. All of this runs on the connection's
 * loop, except the answer, which arrives on the signaling loop.
 */
public final class ClientAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientAgent.class);

    /** The default data channel label, the one the browser page uses. */
    public static final String DEFAULT_LABEL = "jrtc";

    /** How long an ICE restart offer waits for its answer before the agent offers again (ICE still not connected). */
    static final long RESTART_RETRY_MS = 4000;

    private final AgentConfig config;
    private final PeerConnectionFactory factory;
    private final boolean ownsFactory;
    private final SignalingClient signaling;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Void>>> presenceWaiters = new ConcurrentHashMap<>();
    private volatile List<IceServer> serverIceServers = List.of();
    private volatile boolean closed;

    /** A client agent on its own {@link PeerConnectionFactory} (closed with the agent). */
    public ClientAgent(AgentConfig config) {
        this(config, new PeerConnectionFactory(), true);
    }

    /** A client agent whose peer connections come from {@code factory} (not closed by the agent). */
    public ClientAgent(AgentConfig config, PeerConnectionFactory factory) {
        this(config, factory, false);
    }

    private ClientAgent(AgentConfig config, PeerConnectionFactory factory, boolean ownsFactory) {
        this.config = Objects.requireNonNull(config, "config");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.ownsFactory = ownsFactory;
        this.signaling = new SignalingClient(config.signalingConfig());
        signaling.onMessage(this::onSignal);
        signaling.onRegistered(r -> {
            serverIceServers = IceServers.fromSignaling(r.iceServers());
            LOG.info("agent {}: registered at {}; {} other agent(s) present", r.agentId(), config.signaling(),
                    r.connectedAgents().size());
            r.connectedAgents().forEach(this::present);
        });
    }

    /** Connects to the signaling server and registers; see {@link SignalingClient#connect()}. */
    public CompletableFuture<SignalingMessage.Registered> start() {
        // The signaling client completes its future before it calls the registered listeners: take the ICE servers
        // here too, so that a connect() right after start() completes offers with them (a relay-only agent without
        // them has no candidate at all).
        return signaling.connect().thenApply(r -> {
            serverIceServers = IceServers.fromSignaling(r.iceServers());
            return r;
        });
    }

    /** The ICE servers of the last registration (from the server's {@code ice_servers}). */
    List<IceServer> serverIceServers() {
        return serverIceServers;
    }

    public String agentId() {
        return config.agentId();
    }

    /** Calls {@code listener} (on the signaling loop) after every successful registration, including re-registrations. */
    public ClientAgent onRegistered(java.util.function.Consumer<SignalingMessage.Registered> listener) {
        signaling.onRegistered(listener);
        return this;
    }

    /** The signaling client's state. */
    public io.jrtc.signaling.client.ConnectionState signalingState() {
        return signaling.state();
    }

    /** The other agents present on the signaling server. */
    public Set<String> presentAgents() {
        return signaling.presentAgents();
    }

    /** Completes when {@code agentId} is registered with the signaling server (at once if it already is). */
    public CompletableFuture<Void> awaitAgent(String agentId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        // compute() is atomic per key, so present() cannot take the list away between its creation and this add
        presenceWaiters.compute(agentId, (k, l) -> {
            List<CompletableFuture<Void>> waiters = l == null ? new java.util.concurrent.CopyOnWriteArrayList<>() : l;
            waiters.add(f);
            return waiters;
        });
        if (signaling.presentAgents().contains(agentId)) {
            f.complete(null);
        }
        return f;
    }

    private void present(String agentId) {
        List<CompletableFuture<Void>> waiters = presenceWaiters.remove(agentId);
        if (waiters != null) {
            waiters.forEach(w -> w.complete(null));
        }
    }

    /**
     * Waits for {@code remote} to be present, offers it a peer connection with a data channel labelled
     * {@value #DEFAULT_LABEL}, and waits until the channel is open. A previous session with the same remote is closed.
     *
     * @throws AgentException   when the remote refuses, is unknown, or the connection fails
     * @throws TimeoutException when it takes longer than {@code timeout}
     */
    public Session connect(String remote, Duration timeout) throws TimeoutException, InterruptedException {
        return connect(remote, DEFAULT_LABEL, timeout);
    }

    /** {@link #connect(String, Duration)} with another label for the first channel. */
    public Session connect(String remote, String label, Duration timeout) throws TimeoutException, InterruptedException {
        if (closed) {
            throw new IllegalStateException("agent " + config.agentId() + " is closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Void> present = awaitAgent(remote);
        try {
            await(present, timeout, "agent " + remote + " to be present on the signaling server");
        } finally {
            presenceWaiters.computeIfPresent(remote, (k, l) -> {
                l.remove(present);
                return l.isEmpty() ? null : l;
            });
        }
        Session old = sessions.remove(remote);
        if (old != null) {
            old.close();
        }
        PeerConnection pc = factory.createPeerConnection(config.rtcConfiguration(serverIceServers));
        Session s = new Session(remote, pc);
        sessions.put(remote, s);
        try {
            s.start(label);
            await(s.opened, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())),
                    "the data channel to " + remote + " to open");
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
        LOG.info("agent {}: data channel '{}' to {} open after {} ms", config.agentId(), label, remote,
                String.format(java.util.Locale.ROOT, "%.1f", s.setupNanos / 1e6));
        return s;
    }

    /** Closes every session (with a {@code bye}), the signaling client and, if it owns it, the factory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Session s : new ArrayList<>(sessions.values())) {
            s.close();
        }
        signaling.close();
        if (ownsFactory) {
            factory.close();
        }
    }

    // ------------------------------------------------------------------ signaling (on the signaling loop)

    private void onSignal(SignalingMessage m) {
        switch (m) {
            case SignalingMessage.AgentJoined j -> present(j.agentId());
            case SignalingMessage.Answer a -> {
                Session s = sessions.get(a.from());
                if (s == null) {
                    LOG.warn("agent {}: answer from {} without an offer; ignored", config.agentId(), a.from());
                } else {
                    s.onAnswer(a.sdp());
                }
            }
            case SignalingMessage.Candidate c -> {
                Session s = sessions.get(c.from());
                if (s != null && !s.answered) {
                    // The remote sends its answer before its candidates: this one is a late trickle of an earlier
                    // session with the same remote (signaling does not tell sessions apart), e.g. its end-of-candidates,
                    // which would tell ICE that the new session's remote has no candidates at all.
                    LOG.debug("agent {}: candidate from {} before its answer (an earlier session's); ignored", config.agentId(), c.from());
                } else if (s != null) {
                    s.pc.addIceCandidate(new RtcIceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()))
                            .whenComplete((v, e) -> {
                                if (e != null) {
                                    LOG.debug("agent {}: candidate from {} not applied: {}", config.agentId(), c.from(),
                                            cause(e).getMessage());
                                }
                            });
                }
            }
            case SignalingMessage.Bye b -> {
                Session s = sessions.get(b.from());
                if (s != null) {
                    s.fail(new AgentException(b.from() + " said bye"));
                }
            }
            case SignalingMessage.AgentLeft l -> {
                // A connected session outlives its remote's signaling connection (a server restart cuts every agent);
                // one still being set up cannot finish without signaling.
                Session s = sessions.get(l.agentId());
                if (s != null && s.pc.connectionState() != RtcPeerConnectionState.CONNECTED) {
                    s.fail(new AgentException(l.agentId() + " left the signaling server"));
                } else if (s != null) {
                    LOG.info("agent {}: {} left signaling; the connected session goes on", config.agentId(), l.agentId());
                }
            }
            case SignalingMessage.Offer o -> {
                LOG.warn("agent {}: offer from {} refused: this agent only makes offers", config.agentId(), o.from());
                trySend(() -> signaling.sendBye(o.from()), "bye", o.from());
            }
            case SignalingMessage.Error e -> {
                LOG.warn("agent {}: signaling error {}: {}", config.agentId(), e.code(), e.message());
                Session s = e.to() == null ? null : sessions.get(e.to());
                if (s != null) {
                    s.fail(new AgentException("signaling refused a message to " + e.to() + ": " + e.code() + " (" + e.message() + ")"));
                }
            }
            default -> LOG.debug("agent {}: {}", config.agentId(), m);
        }
    }

    private void trySend(Runnable send, String what, String to) {
        try {
            send.run();
        } catch (RuntimeException e) {
            LOG.warn("agent {}: could not send {} to {}: {}", config.agentId(), what, to, e.toString());
        }
    }

    private static Throwable cause(Throwable e) {
        return (e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null ? e.getCause() : e;
    }

    static <T> T await(CompletableFuture<T> f, Duration timeout, String what) throws TimeoutException, InterruptedException {
        try {
            return f.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = cause(e);
            if (c instanceof AgentException ae) {
                throw ae;
            }
            throw new AgentException("waiting for " + what + ": " + c, c);
        } catch (TimeoutException e) {
            throw new TimeoutException("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        }
    }

    // ------------------------------------------------------------------ a session with one remote agent

    /** A peer connection to one remote agent, with its first data channel. */
    public final class Session implements AutoCloseable {
        private final String remote;
        private final PeerConnection pc;
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        private DataChannel channel;
        private volatile long setupNanos;
        private volatile boolean closed;
        /** Whether the answer came; set and read on the signaling loop. */
        private volatile boolean answered;
        /** ICE restarts this session made (offers with new credentials), including retries. */
        private volatile int iceRestarts;
        // loop-confined
        private boolean offerSent;
        /** Set while an ICE restart offer is being made or waits for its answer. */
        private boolean restarting;
        private long restartOfferedAt;
        private final List<RtcIceCandidate> held = new ArrayList<>();

        private Session(String remote, PeerConnection pc) {
            this.remote = remote;
            this.pc = pc;
            pc.onIceCandidate(this::onLocalCandidate);
            pc.onConnectionStateChange(s -> {
                if (s == RtcPeerConnectionState.FAILED) {
                    fail(new AgentException("the connection to " + remote + " failed"));
                } else if (s == RtcPeerConnectionState.CONNECTED) {
                    LOG.info("agent {}: connected with {}", config.agentId(), remote);
                }
            });
            pc.onIceConnectionStateChange(s -> {
                if (s == IceConnectionState.DISCONNECTED) {
                    restartIce("ICE disconnected (consent lost on the selected pair)");
                } else if (s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED) {
                    restarting = false;
                }
            });
            ended.whenComplete((v, e) -> opened.completeExceptionally(e != null ? e : new AgentException("session closed")));
        }

        private void start(String label) throws TimeoutException, InterruptedException {
            channel = pc.createDataChannel(label);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            pc.execute(() -> {
                long t0 = System.nanoTime();
                channel.onOpen(() -> {
                    setupNanos = System.nanoTime() - t0;
                    opened.complete(null);
                });
                pc.createOffer()
                        .thenCompose(o -> pc.setLocalDescription(o).thenApply(v -> o))
                        .whenComplete((o, e) -> pc.execute(() -> {
                            if (e != null) {
                                sent.completeExceptionally(cause(e));
                                return;
                            }
                            try {
                                signaling.sendOffer(remote, o.sdp());
                            } catch (RuntimeException ex) {
                                sent.completeExceptionally(ex);
                                return;
                            }
                            offerSent = true;
                            held.forEach(this::sendCandidate);
                            held.clear();
                            sent.complete(null);
                        }));
            });
            await(sent, Duration.ofSeconds(10), "the offer to " + remote);
            LOG.info("agent {}: offer sent to {}", config.agentId(), remote);
        }

        /**
         * Makes an ICE restart offer and sends it (on the connection's loop). Not while the first offer is unanswered,
         * nor while a restart offer is out (the retry timer makes it again if its answer does not come).
         */
        private void restartIce(String why) {
            if (closed || ended.isDone() || !answered || restarting) {
                return;
            }
            restarting = true;
            offerSent = false; // hold the new generation's candidates until its offer is out
            iceRestarts++;
            restartOfferedAt = System.nanoTime();
            long offeredAt = restartOfferedAt;
            LOG.info("agent {}: restarting ICE with {}: {}", config.agentId(), remote, why);
            pc.createOffer(true)
                    .thenCompose(o -> pc.setLocalDescription(o).thenApply(v -> o))
                    .whenComplete((o, e) -> pc.execute(() -> {
                        if (e != null) {
                            restarting = false;
                            fail(new AgentException("the ICE restart offer to " + remote + " failed: " + cause(e).getMessage()));
                            return;
                        }
                        trySend(() -> signaling.sendOffer(remote, o.sdp()), "ICE restart offer", remote);
                        offerSent = true;
                        held.forEach(this::sendCandidate);
                        held.clear();
                    }));
            pc.eventLoop().schedule(() -> {
                IceConnectionState now = pc.iceConnectionState();
                if (restarting && restartOfferedAt == offeredAt && now != IceConnectionState.CONNECTED
                        && now != IceConnectionState.COMPLETED) {
                    restarting = false;
                    restartIce("no answer to the ICE restart offer within " + RESTART_RETRY_MS + " ms");
                }
            }, RESTART_RETRY_MS, TimeUnit.MILLISECONDS);
        }

        /** The ICE restarts this session made so far (each retry counts). */
        public int iceRestarts() {
            return iceRestarts;
        }

        private void onLocalCandidate(RtcIceCandidate c) {
            if (!offerSent) {
                held.add(c);
            } else {
                sendCandidate(c);
            }
        }

        private void sendCandidate(RtcIceCandidate c) {
            if (c.isEndOfCandidates()) {
                trySend(() -> signaling.sendEndOfCandidates(remote, c.sdpMid(), c.sdpMLineIndex()), "end-of-candidates", remote);
            } else {
                trySend(() -> signaling.sendCandidate(remote, c.candidate(), c.sdpMid(), c.sdpMLineIndex()), "candidate", remote);
            }
        }

        private void onAnswer(String sdp) {
            if (answered && pc.signalingState() != io.jrtc.peer.RtcSignalingState.HAVE_LOCAL_OFFER) {
                LOG.debug("agent {}: answer from {} to an offer already answered or replaced; ignored", config.agentId(), remote);
                return;
            }
            answered = true;
            pc.setRemoteDescription(RtcSessionDescription.answer(sdp)).whenComplete((v, e) -> {
                if (e != null) {
                    fail(new AgentException("the answer from " + remote + " was refused: " + cause(e).getMessage()));
                }
            });
        }

        private void fail(AgentException e) {
            if (ended.completeExceptionally(e)) {
                LOG.warn("agent {}: session with {} ended: {}", config.agentId(), remote, e.getMessage());
            }
        }

        public String remote() {
            return remote;
        }

        public PeerConnection peerConnection() {
            return pc;
        }

        /** The first data channel (open). */
        public DataChannel channel() {
            return channel;
        }

        /** From {@code createOffer} to the first data channel's {@code open}. */
        public Duration setupTime() {
            return Duration.ofNanos(setupNanos);
        }

        /** The selected candidate pair's current round-trip time from ICE consent checks, if measured yet. */
        public Optional<Double> iceRoundTripMs() throws TimeoutException, InterruptedException {
            var report = await(pc.getStats(), Duration.ofSeconds(5), "stats");
            return report.selectedCandidatePair().map(RtcStats.CandidatePair::currentRoundTripTime)
                    .filter(r -> r > 0).map(r -> r * 1000);
        }

        /** Opens another data channel on this connection and waits until it is open. */
        public DataChannel openChannel(String label, DataChannelInit init, Duration timeout)
                throws TimeoutException, InterruptedException {
            DataChannel ch = pc.createDataChannel(label, init);
            CompletableFuture<Void> open = new CompletableFuture<>();
            pc.execute(() -> ch.onOpen(() -> open.complete(null)));
            await(anyOf(open), timeout, "data channel '" + label + "' to open");
            return ch;
        }

        /**
         * Sends {@code count} messages of {@code size} bytes on the first channel one at a time, each after the echo of the
         * previous one, and checks that every echo equals what was sent (same bytes, same kind).
         */
        public RttSummary ping(int count, int size, boolean binary, Duration timeout) throws TimeoutException, InterruptedException {
            return ping(channel, count, size, binary, timeout);
        }

        /** {@link #ping(int, int, boolean, Duration)} on {@code ch}. */
        public RttSummary ping(DataChannel ch, int count, int size, boolean binary, Duration timeout)
                throws TimeoutException, InterruptedException {
            if (count < 1 || size < 16) {
                throw new IllegalArgumentException("ping needs count >= 1 and size >= 16");
            }
            Pinger p = new Pinger(ch, count, size, binary);
            pc.execute(p::start);
            try {
                await(anyOf(p.done), timeout, count + " echoes on '" + ch.label() + "'");
            } catch (TimeoutException e) {
                throw new TimeoutException(e.getMessage() + " (" + p.index + " of " + count + " echoed)");
            } finally {
                pc.execute(() -> ch.onMessage(null));
            }
            return RttSummary.ofNanos(p.rtts);
        }

        /**
         * Sends {@code messageSize}-byte binary messages for {@code duration}, keeping at most {@code window} bytes
         * unechoed, then waits for the last echoes. Every echo is checked: kind, size, sequence and content.
         */
        public Throughput throughput(Duration duration, int messageSize, long window, Duration timeout)
                throws TimeoutException, InterruptedException {
            if (messageSize < 16 || window < messageSize) {
                throw new IllegalArgumentException("throughput needs messageSize >= 16 and window >= messageSize");
            }
            Bulk b = new Bulk(channel, messageSize, window);
            pc.execute(() -> b.start(duration));
            try {
                await(anyOf(b.done), duration.plus(timeout), "echoes of the throughput run");
            } finally {
                pc.execute(() -> {
                    channel.onMessage(null);
                    channel.onBufferedAmountLow(null);
                });
            }
            return new Throughput(messageSize, b.echoed, b.echoedBytes, (b.lastEcho - b.start) / 1e9);
        }

        private <T> CompletableFuture<T> anyOf(CompletableFuture<T> f) {
            ended.whenComplete((v, e) -> f.completeExceptionally(e != null ? e : new AgentException("session closed")));
            return f;
        }

        /** Sends {@code bye} and closes the peer connection. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            sessions.remove(remote, this);
            ended.complete(null);
            trySend(() -> signaling.sendBye(remote), "bye", remote);
            pc.close();
        }

        /** One message at a time; runs on the connection's loop. */
        private final class Pinger {
            final DataChannel ch;
            final int count;
            final int size;
            final boolean binary;
            final long[] rtts;
            final CompletableFuture<Void> done = new CompletableFuture<>();
            int index;
            byte[] expected;
            long sentAt;

            Pinger(DataChannel ch, int count, int size, boolean binary) {
                this.ch = ch;
                this.count = count;
                this.size = size;
                this.binary = binary;
                this.rtts = new long[count];
            }

            void start() {
                ch.onMessage(this::onEcho);
                sendNext();
            }

            void sendNext() {
                expected = payload(index, size, binary);
                sentAt = System.nanoTime();
                try {
                    if (binary) {
                        ch.send(ByteBuffer.wrap(expected));
                    } else {
                        ch.send(new String(expected, StandardCharsets.US_ASCII));
                    }
                } catch (RuntimeException e) {
                    done.completeExceptionally(new AgentException("ping #" + index + " could not be sent: " + e.getMessage(), e));
                }
            }

            void onEcho(DataChannelMessage m) {
                long now = System.nanoTime();
                if (done.isDone()) {
                    return;
                }
                if (m.isBinary() != binary) {
                    done.completeExceptionally(new AgentException("echo #" + index + " came back as "
                            + (m.isBinary() ? "binary" : "a string") + ", sent as " + (binary ? "binary" : "a string")));
                    return;
                }
                if (m.data().mismatch(ByteBuffer.wrap(expected)) != -1) {
                    done.completeExceptionally(new AgentException("echo #" + index + " differs from what was sent ("
                            + m.size() + " bytes back, " + expected.length + " sent)"));
                    return;
                }
                rtts[index++] = now - sentAt;
                if (index == count) {
                    done.complete(null);
                } else {
                    sendNext();
                }
            }
        }

        /** The throughput run; runs on the connection's loop. */
        private final class Bulk {
            final DataChannel ch;
            final int size;
            final long window;
            /** The most this run lets queue in the channel: the window, at most half the default 8 MiB send buffer. */
            final long highWater;
            final byte[] template;
            final ByteBuffer out;
            final CompletableFuture<Void> done = new CompletableFuture<>();
            long sent;
            long echoed;
            long sentBytes;
            long echoedBytes;
            long start;
            long lastEcho;
            boolean stopped;

            Bulk(DataChannel ch, int size, long window) {
                this.ch = ch;
                this.size = size;
                this.window = window;
                this.highWater = Math.max(size, Math.min(window, 4L << 20));
                this.template = payload(0x5eed, size, true);
                this.out = ByteBuffer.wrap(template.clone());
            }

            void start(Duration duration) {
                ch.onMessage(this::onEcho);
                // paced by bufferedAmount: send while it is under the high-water mark, then wait for onBufferedAmountLow
                // (send past SCTP's send buffer would throw; this never gets there)
                ch.setBufferedAmountLowThreshold(highWater / 2);
                ch.onBufferedAmountLow(this::pump);
                start = System.nanoTime();
                lastEcho = start;
                pc.eventLoop().schedule(() -> {
                    stopped = true;
                    finishIfDrained();
                }, duration.toNanos(), TimeUnit.NANOSECONDS);
                pump();
            }

            void pump() {
                try {
                    while (!stopped && !done.isDone() && sentBytes - echoedBytes < window && ch.bufferedAmount() + size <= highWater
                            && ch.readyState() == DataChannelState.OPEN) {
                        out.putLong(0, sent);
                        ch.send(out);
                        sent++;
                        sentBytes += size;
                    }
                } catch (RuntimeException e) {
                    done.completeExceptionally(new AgentException("throughput message #" + sent + " could not be sent: " + e.getMessage(), e));
                }
            }

            void onEcho(DataChannelMessage m) {
                if (done.isDone()) {
                    return;
                }
                ByteBuffer d = m.data();
                if (!m.isBinary() || d.remaining() != size || d.getLong(d.position()) != echoed
                        || d.slice(d.position() + 8, size - 8).mismatch(ByteBuffer.wrap(template, 8, size - 8)) != -1) {
                    done.completeExceptionally(new AgentException("throughput echo #" + echoed + " differs from what was sent ("
                            + (m.isBinary() ? "binary" : "string") + ", " + d.remaining() + " bytes)"));
                    return;
                }
                echoed++;
                echoedBytes += size;
                lastEcho = System.nanoTime();
                if (!finishIfDrained()) {
                    pump();
                }
            }

            boolean finishIfDrained() {
                if (stopped && echoed == sent) {
                    done.complete(null);
                    return true;
                }
                return false;
            }
        }
    }

    /** The payload of message {@code index}: its number first, then a pattern that depends on it; ASCII when text. */
    static byte[] payload(long index, int size, boolean binary) {
        byte[] b = new byte[size];
        if (binary) {
            ByteBuffer.wrap(b).putLong(index);
            for (int i = 8; i < size; i++) {
                b[i] = (byte) (index * 31 + i * 7);
            }
        } else {
            byte[] head = ("ping " + index + " ").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, b, 0, Math.min(head.length, size));
            for (int i = head.length; i < size; i++) {
                b[i] = (byte) ('a' + (index + i) % 26);
            }
        }
        return b;
    }

    /** A session or agent failure: refused, unknown remote, connection failed, an echo that differs. */
    public static final class AgentException extends RuntimeException {
        public AgentException(String message) {
            super(message);
        }

        public AgentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
