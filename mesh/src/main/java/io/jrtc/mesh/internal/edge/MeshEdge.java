package io.jrtc.mesh.internal.edge;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.HashFunction;
import io.jrtc.ice.IceServer;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.ChannelClass;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.MeshVerifier;
import io.jrtc.mesh.MeshConfig;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.MeshMessage;
import io.jrtc.mesh.MeshStats;
import io.jrtc.mesh.OverlayConfig;
import io.jrtc.mesh.OverlayCore;
import io.jrtc.mesh.SendResult;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.signaling.client.SignalingClient;
import io.jrtc.signaling.client.SignalingClientConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PeerConnection edge of one mesh agent: drives one {@link OverlayCore} on one event loop (the agent loop), makes
 * and closes links through signaling as the core asks, checks each link's HELLO and carries frames between the core
 * and the links' data channels. Every field is confined to the agent loop; other threads hop onto it with
 * {@link #execute} or {@link #call}. The agent loop never blocks: it hands work to connection loops with
 * {@link PeerConnection#execute} and to the signaling client's asynchronous methods. Its parts: {@link CoreOutput}
 * moves out what the core queued, {@link Dialer} starts links, {@link Negotiation} and {@link SignalingEvents} carry
 * the signaling, {@link LinkSupervisor} repairs links; this class follows each link from its first channel to its end.
 */
public final class MeshEdge {

    private static final Logger LOG = LoggerFactory.getLogger(MeshEdge.class);

    final MeshConfig config;
    final OverlayCore core;
    private final AgentId self;
    /** The agent id signaling knows this agent by (= self unless registered under another id): breaks offer glare. */
    final AgentId signalingSelf;
    private final EventLoop loop;
    final PeerConnectionFactory factory;
    private final boolean ownsFactory;
    /** The certificate new connections use; replaced by {@link CertificateRotation}. */
    DtlsCertificate certificate;
    byte[] ownFingerprint;
    final SignalingClient signaling;
    private final MeshVerifier helloVerifier;
    final HelloCache hellos = new HelloCache();
    final SplittableRandom random;
    final AuditSink audit;
    final MeshLinks links = new MeshLinks();
    final Map<AgentId, String> present = new HashMap<>();
    final Map<Long, CompletableFuture<Long>> acks = new HashMap<>();
    /** How long a link closed on purpose may take to send what was queued on it (a DISCONNECT) before it closes. */
    static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    final DialBackoff dialBackoff;
    private final Negotiation negotiation = new Negotiation(this);
    private final CoreOutput output = new CoreOutput(this);
    final Dialer dialer = new Dialer(this);
    final LinkSupervisor supervisor;
    final EdgeTelemetry telemetry;
    final NatReport nat;
    final Revocations revocations = new Revocations(this);
    final CertificateRotation rotation;

    /** Links the core asked for that wait for their turn (set-ups paced, or {@code maxLinks} held). */
    final DialQueue deferred = new DialQueue(this);
    /** Low-priority dials ask the remote over signaling before any connection is built. */
    final DialAsks asks = new DialAsks(this);
    final SignalingEvents signalingEvents;
    final SetupBudget setupBudget;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    List<IceServer> iceServers = List.of();
    private boolean coreStarted;
    boolean joined;
    boolean closed;
    volatile Consumer<MeshMessage> onMessage;
    private volatile Consumer<MeshEvent> onEvent;
    private long linksOpened, mismatches, framesReceived;
    long linksFailed, framesSent, sendFailures, backpressureEvents;
    final long[] sentByClass = new long[4];
    private final long[] receivedByClass = new long[4];
    long presenceRefused;
    final BulkSender bulk;
    /** Every connection made and not closed yet (a connection's loop removes it once closed): close() waits for them. */
    final java.util.Set<EdgeLink> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final LateWork late;

    /** A verifier for one of this agent's parts (all on the agent loop): through the shared memo when there is one. */
    MeshVerifier newVerifier() {
        return config.sharedVerification() != null ? config.sharedVerification().newVerifier() : new Ed25519Verifier();
    }

    public MeshEdge(MeshConfig config) {
        this.config = config;
        this.helloVerifier = newVerifier();
        this.self = config.identity().agentId();
        AgentId named = SignalingIds.agentOf(config.signalingId());
        this.signalingSelf = named != null ? named : self;
        this.ownsFactory = config.factory() == null;
        this.factory = ownsFactory ? new PeerConnectionFactory() : config.factory();
        this.loop = factory.eventLoopGroup().next();
        this.setupBudget = SetupBudget.of(factory);
        this.certificate = CertificateRotation.initial(config);
        this.ownFingerprint = certificate.fingerprint(HashFunction.SHA_256).value();
        this.audit = config.audit();
        this.random = new SplittableRandom(config.overlay().seed ^ self.lo());
        this.late = new LateWork(self.shortString());
        this.dialBackoff = new DialBackoff(random);
        this.supervisor = new LinkSupervisor(this, random.nextLong());
        this.telemetry = new EdgeTelemetry(config.overlay().maxLinks);
        this.nat = new NatReport(this);
        this.rotation = new CertificateRotation(this);
        OverlayConfig oc = config.overlay();
        if (!config.keepInitialSequence()) {
            long start = Math.max(oc.initialSequence, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
            if (config.sequenceFile() != null) {
                try {
                    start = SequenceLease.take(config.sequenceFile(), start);
                } catch (java.io.IOException e) {
                    LOG.error("mesh {}: the sequence lease {} cannot be used: {}", self.shortString(), config.sequenceFile(),
                            e.getMessage());
                    throw new IllegalStateException("the sequence lease " + config.sequenceFile() + " cannot be used: "
                            + e.getMessage(), e);
                }
            }
            oc = oc.toBuilder().initialSequence(start).build();
        }
        // the core reads no clock: it gets nanoTime, and this offset turns it into wall time for envelope times
        oc = oc.toBuilder().wallClockOffset(WallClock.OFFSET_NANOS).build();
        this.bulk = new BulkSender(this, random.nextLong() & Long.MAX_VALUE);
        this.core = new OverlayCore(oc, config.identity(), newVerifier());
        SignalingClientConfig.Builder sb = SignalingClientConfig.builder(config.signalingUri(), config.signalingId())
                .eventLoopGroup(config.signalingGroup() != null ? config.signalingGroup() : factory.eventLoopGroup());
        if (config.tokenSupplier() != null) {
            sb.tokenSupplier(config.tokenSupplier());
        }
        sb.presenceSupplier(() -> SignedPresence.encode(config.identity(), config.signalingId(),
                System.currentTimeMillis()));
        this.signaling = new SignalingClient(sb.build());
        this.signalingEvents = new SignalingEvents(this);
        SignalingEvents events = signalingEvents;
        signaling.onMessage(m -> callback(null, "signaling message", () -> events.onSignal(m)));
        signaling.onRegistered(r -> callback(null, "signaling registration", () -> events.onRegistered(r)));
    }

    // ------------------------------------------------------------------ threads

    /**
     * Runs {@code task} on the agent loop, after the tasks already queued there. Returns false when the loop has shut
     * down (the factory was closed): the task is dropped, counted and logged once ({@link LateWork}).
     */
    boolean execute(Runnable task) {
        return handOff(loop, () -> loop.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                late.taskFailed();
                LOG.error("mesh {}: task failed on the agent loop", self.shortString(), e);
            }
        }), "a task for the agent loop", null, "the agent loop has shut down");
    }

    /**
     * Runs {@code submit}, which hands a task to {@code target}. A loop that has shut down (the factory was closed)
     * refuses it: the task ({@code what}, on {@code on} when not null; the text is made only then) is dropped, counted
     * and logged once ({@link LateWork}), and this returns false. A refusal by a loop still running is not ours to
     * hide: it is thrown.
     */
    boolean handOff(io.netty.util.concurrent.EventExecutor target, Runnable submit, String what, Object on,
            String why) {
        try {
            submit.run();
            return true;
        } catch (RejectedExecutionException e) {
            if (!target.isShuttingDown()) {
                throw e;
            }
            dropped(on == null ? what : what + " on " + on, why);
            return false;
        }
    }

    /**
     * Runs a callback of a connection, a data channel or signaling ({@code what}, on {@code link} when not null) on the
     * agent loop, unless the agent is closed by the time it runs: then it is dropped on purpose, counted and logged
     * once. The agent's own connections fire such callbacks as close() closes them.
     */
    void callback(EdgeLink link, String what, Runnable task) {
        execute(() -> {
            if (closed) {
                dropped(link == null ? what : what + " on " + link, "it came after close");
            } else {
                task.run();
            }
        });
    }

    /** Work that came too late (after close, or for a loop that has shut down): counted, the first logged. */
    void dropped(String what, String why) {
        late.drop(what, why, closeCalled);
    }

    /**
     * Runs {@code task} on the agent loop and waits for its result (at once when already on it). Once the loop has
     * shut down (the agent's factory is closed) it throws an {@code IllegalStateException} saying so.
     */
    public <T> T call(Supplier<T> task) {
        if (loop.inEventLoop()) {
            return task.get();
        }
        try {
            return loop.submit(task::get).get(30, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("mesh agent " + self.shortString() + (closeCalled ? " is closed" : "")
                    + ": its event loop has shut down (its factory was closed)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the mesh agent's loop did not answer within 30 s", e);
        }
    }

    long now() {
        return System.nanoTime();
    }

    EventLoop loop() {
        return loop;
    }

    ScheduledFuture<?> schedule(Runnable task, long nanos) { return loop.schedule(task, nanos, TimeUnit.NANOSECONDS); }

    // ------------------------------------------------------------------ application API (agent loop)

    public AgentId self() {
        return self;
    }

    Negotiation negotiation() {
        return negotiation;
    }

    public CompletableFuture<Void> start() {
        execute(() -> {
            if (!coreStarted) {
                coreStarted = true;
                core.start(now());
                supervisor.start(now());
                rotation.start();
                revocations.load();
                drain();
                signaling.connect().whenComplete((r, e) -> callback(null, "signaling connected", () -> {
                    if (e != null) {
                        started.completeExceptionally(e);
                    } else {
                        started.complete(null);
                    }
                }));
            }
        });
        return started;
    }

    public void onMessage(Consumer<MeshMessage> l) {
        onMessage = l;
    }

    public void onEvent(Consumer<MeshEvent> l) {
        onEvent = l;
    }

    public SendResult broadcast(byte[] payload, io.jrtc.mesh.Delivery delivery) {
        return unlessClosed(() -> drained(core.broadcast(now(), payload, delivery)));
    }

    public SendResult send(AgentId to, byte[] payload, io.jrtc.mesh.Delivery delivery) {
        return unlessClosed(() -> drained(core.send(now(), to, payload, false, delivery)));
    }

    /** Closed (or closing): {@code NOT_CONNECTED}, nothing taken, without asking the core (an aborted core has not left). */
    private SendResult unlessClosed(Supplier<SendResult> send) {
        if (closeCalled) {
            return NOT_TAKEN;
        }
        return call(() -> closed ? NOT_TAKEN : send.get());
    }

    private static final SendResult NOT_TAKEN = new SendResult(SendResult.Status.NOT_CONNECTED, -1);

    private <T> T drained(T result) {
        drain();
        return result;
    }

    public CompletableFuture<Long> sendBulk(AgentId to, java.nio.channels.ReadableByteChannel source) {
        if (closeCalled) {
            return CompletableFuture.failedFuture(new IllegalStateException("mesh agent closed"));
        }
        return bulk.send(to, source);
    }

    public CompletableFuture<Long> sendWithAck(AgentId to, byte[] payload) {
        if (closeCalled) {
            return CompletableFuture.failedFuture(new IllegalStateException("mesh agent closed"));
        }
        return call(() -> {
            if (closed) { // close() has completed every future it held: take no new one
                return CompletableFuture.failedFuture(new IllegalStateException("mesh agent closed"));
            }
            SendResult r = core.send(now(), to, payload, true);
            CompletableFuture<Long> f = new CompletableFuture<>();
            if (r.accepted()) {
                acks.put(r.sequence(), f);
            } else {
                f.completeExceptionally(new IllegalStateException("not sent: " + r.status()));
            }
            drain();
            return f;
        });
    }

    public SendResult publishRevocation(io.jrtc.mesh.Revocation r) {
        return unlessClosed(() -> drained(core.publishRevocation(now(), r)));
    }

    public List<AgentId> revoked() { return call(core::revoked); }
    public long[] rekeys() { return call(revocations::counts); }
    public long[] rotations() { return call(rotation::counts); }
    public DtlsCertificate certificate() { return call(() -> certificate); }

    public List<AgentId> neighbours() {
        return call(core::activeView);
    }

    public MeshStats stats() {
        return call(() -> new MeshStats(core.stats(), links.countUp(), links.size() - links.countUp(), linksOpened,
                linksFailed, mismatches, framesSent, framesReceived, sendFailures, backpressureEvents, present.size(),
                MeshStats.byClass(sentByClass), MeshStats.byClass(receivedByClass), presenceRefused,
                asks.sent, asks.refused, late.droppedCount(), late.tasksFailed()));
    }

    /** The mesh agents signaling lists as present, with their signaling ids. */
    public Map<AgentId, String> presentAgents() {
        return call(() -> {
            signalingEvents.verifyAll(); // entries are verified on first use: listing them is one
            return Map.copyOf(present);
        });
    }

    /** The last NAT behaviour discovery's result, if one has ended. Any thread. */
    public java.util.Optional<io.jrtc.ice.nat.NatBehaviorResult> natBehavior() {
        return java.util.Optional.ofNullable(nat.latest());
    }

    /** Runs a NAT behaviour discovery now (or joins the one running): {@link NatReport#check()}. */
    public CompletableFuture<io.jrtc.ice.nat.NatBehaviorResult> checkNat() {
        if (closeCalled) {
            return CompletableFuture.failedFuture(new IllegalStateException("mesh agent closed"));
        }
        return call(() -> closed ? CompletableFuture.failedFuture(new IllegalStateException("mesh agent closed"))
                : nat.check());
    }

    public int linkBudgetUsed() {
        return call(links::size);
    }

    /**
     * Closes the agent: a DISCONNECT to every neighbour when {@code graceful}, then every connection it made and
     * signaling. From another thread it returns once they are closed (a graceful close lets each connection send
     * what it holds, at most {@link #CLOSE_GRACE_NANOS}; the whole wait is bounded), so the owner may then close the
     * factory: nothing of this agent's is left to run on its loops. Called on the agent loop (from a callback) it
     * cannot wait: the connections close just after.
     */
    public void close(boolean graceful) {
        if (closedAlready()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        java.util.List<CompletableFuture<Void>> closing = new java.util.ArrayList<>();
        Runnable task = () -> {
            if (graceful && coreStarted) {
                core.leave(now());
                drain();
            }
            closed = true;
            output.cancelTimer();
            for (EdgeLink l : links.all()) {
                l.state = EdgeLink.State.CLOSED;
                if (graceful) {
                    l.closeAfterFlush(CLOSE_GRACE_NANOS);
                } else {
                    l.close();
                }
            }
            links.clear();
            deferred.clear();
            asks.clear();
            supervisor.clear();
            rotation.clear();
            // every connection still open: those closed above, those the core's leave closed after their last
            // frames, failed ones kept for a rebuild, and any other still closing
            for (EdgeLink c : connections) {
                closing.add(c.closeRequested ? c.pcClosed : c.close());
            }
            for (CompletableFuture<Long> f : acks.values()) {
                f.completeExceptionally(new IllegalStateException("mesh agent closed"));
            }
            acks.clear();
            bulk.close();
            nat.close();
            closing.add(signaling.closeAsync());
            started.completeExceptionally(new IllegalStateException("mesh agent closed"));
            audit.record("agent.stopped", Map.of("agent", self.toString(), "graceful", "" + graceful));
            done.complete(null);
        };
        if (loop.inEventLoop()) {
            task.run(); // called from a callback: at once (waiting for a task queued behind us would never end)
        } else if (execute(task)) {
            try {
                done.get(10, TimeUnit.SECONDS);
                // the connections close after their last frames left (at most the grace): before the loops shut down
                CompletableFuture.allOf(closing.toArray(new CompletableFuture[0]))
                        .get(TimeUnit.NANOSECONDS.toMillis(CLOSE_GRACE_NANOS) + 2_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("mesh {}: interrupted while closing", self.shortString());
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                LOG.warn("mesh {}: close did not finish: {} ({} connections still open)", self.shortString(),
                        e.toString(), connections.size());
            }
        }
        telemetry.close();
        if (ownsFactory) {
            factory.close();
        }
    }

    private volatile boolean closeCalled;

    private synchronized boolean closedAlready() {
        boolean was = closeCalled;
        closeCalled = true;
        return was;
    }

    // ------------------------------------------------------------------ the core

    /** Moves out what the core queued (its transmits and events), then re-arms the timer: {@link CoreOutput}. */
    void drain() {
        output.drain();
    }

    void emit(MeshEvent e) {
        Consumer<MeshEvent> l = onEvent;
        if (l != null) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("mesh {}: onEvent listener failed", self.shortString(), ex);
            }
        }
    }

    // ------------------------------------------------------------------ links (agent loop)

    void channelOpen(EdgeLink l, ChannelClass c) {
        if (links.byId(l.id) != l) {
            return;
        }
        l.channelsOpen++;
        if (c == ChannelClass.CONTROL && !l.helloSent) {
            if (l.remoteFingerprint == null) {
                linkGone(l, "no SHA-256 fingerprint in the remote description", false);
                return;
            }
            l.state = EdgeLink.State.HELLO;
            l.helloSent = true;
            l.send(ChannelClass.CONTROL, hellos.encode(config.identity(), l.ownFingerprint), config.highWaterBytes());
        }
        maybeUp(l);
    }

    void frameReceived(EdgeLink l, ChannelClass c, byte[] bytes) {
        l.consumed();
        if (links.byId(l.id) != l && !rotation.receives(l)) {
            return;
        }
        framesReceived++;
        receivedByClass[c.ordinal()]++;
        if (!l.helloOk) {
            if (c == ChannelClass.CONTROL) {
                checkHello(l, bytes);
            } else if (l.early.size() < l.earlyLimit()) {
                l.early.add(new Object[] {c, bytes});
            } else {
                linkGone(l, "too many frames before HELLO", false);
            }
            return;
        }
        if (l.state != EdgeLink.State.UP && l.state != EdgeLink.State.RECOVERING) {
            if (l.early.size() < l.earlyLimit()) {
                l.early.add(new Object[] {c, bytes});
            } else {
                linkGone(l, "too many frames before the link was up", false);
            }
            return;
        }
        ByteBuffer frame = ByteBuffer.wrap(bytes);
        if (c == ChannelClass.CONTROL && supervisor.pong(l, frame)) {
            return; // a PONG answering the link's quality PING
        }
        if (rotation.intercept(l, c, bytes)) {
            return; // a certificate rotation's MOVED, or a frame waiting for the old connection's last ones
        }
        core.handleInput(now(), l.id, frame);
        drain();
    }

    private void checkHello(EdgeLink l, byte[] frame) {
        Hello.Verdict v = hellos.verify(frame, l.remote, l.remoteFingerprint, helloVerifier);
        if (v != Hello.Verdict.OK) {
            mismatches++;
            audit.record("link.identity_mismatch", Hello.auditFields(l.remote, l.signalingId, v, frame));
            LOG.warn("mesh {}: HELLO on {} refused: {}", self.shortString(), l, v);
            linkGone(l, "identity mismatch: " + v.name().toLowerCase(), false);
            return;
        }
        l.helloOk = true;
        maybeUp(l);
    }

    private void maybeUp(EdgeLink l) {
        if (l.state == EdgeLink.State.UP || !l.helloOk || !l.helloSent || l.channelsOpen < 4) {
            return;
        }
        l.state = EdgeLink.State.UP;
        l.upAt = now();
        l.releaseBudget();
        if (l.setupTimer != null) {
            l.setupTimer.cancel(false);
        }
        linksOpened++;
        long now = now();
        audit.record("link.up", Map.of("agent", l.remote.toString(), "outbound", "" + l.offerer,
                "path", l.path.label(), "rebuilt", "" + l.coreKnown));
        emit(new MeshEvent.LinkUp(l.remote, l.offerer));
        supervisor.linkUp(l);
        revocations.linkUp(l);
        if (l.coreKnown) {
            if (!rotation.switchover(l)) {
                unblock(l, now); // a rebuilt connection: the core kept the link id and its queued frames
            }
        } else {
            core.linkUp(now, l.id, l.remote, l.offerer && l.requested);
        }
        if (!l.offerer && l.requested && !l.coreKnown) {
            // we had asked for this agent too; the remote's dial won: our own request is answered as refused
            core.linkFailed(now, l.remote, true);
        }
        l.requested = false;
        if (!deferred.isEmpty()) {
            execute(deferred::run); // a set-up finished: a waiting request may start
        }
        while (!l.early.isEmpty() && links.byId(l.id) == l) {
            Object[] e = l.early.poll();
            if (!rotation.intercept(l, (ChannelClass) e[0], (byte[]) e[1])) {
                core.handleInput(now, l.id, ByteBuffer.wrap((byte[]) e[1]));
            }
        }
        drain();
    }

    void backpressure(EdgeLink l, ChannelClass c, boolean blocked) {
        if (links.byId(l.id) != l || l.state != EdgeLink.State.UP) {
            return;
        }
        if (blocked) {
            backpressureEvents++;
        }
        core.linkBackpressure(now(), l.id, c, blocked);
        drain();
    }

    void sendFailed(EdgeLink l, ChannelClass c, String why) {
        sendFailures++;
        if (links.byId(l.id) != l) {
            // the link went down meanwhile (a neighbour that left without a goodbye closed its channels under the
            // frame): the core knows it is gone; at a mass shutdown every live neighbour would warn once per leaver
            LOG.debug("mesh {}: a frame for {}, gone since, on {} was not sent (counted as dropped, QUEUE_FULL): {}",
                    self.shortString(), l, c, why);
        } else {
            LOG.warn("mesh {}: a frame for {} on {} was not sent (counted as dropped, QUEUE_FULL): {}",
                    self.shortString(), l, c, why);
        }
        emit(new MeshEvent.Dropped(DropReason.QUEUE_FULL, null));
    }

    void linkGone(EdgeLink l, String why, boolean refused) {
        linkGone(l, why, refused, true);
    }

    void linkGone(EdgeLink l, String why, boolean refused, boolean tellCore) {
        linkGone(l, why, refused, tellCore, true);
    }

    /**
     * The link is gone: closes it and tells the core (linkDown when it was up, linkFailed when requested); a link not
     * up gets a bye unless refused or {@code sayBye} is false (its replacement is already on its way).
     */
    void linkGone(EdgeLink l, String why, boolean refused, boolean tellCore, boolean sayBye) {
        if (links.byId(l.id) != l) {
            if (rotation.oldGone(l)) {
                drain();
            }
            return;
        }
        if (rotation.replacementGone(l, why)) {
            drain();
            return;
        }
        boolean wasUp = l.state == EdgeLink.State.UP || l.state == EdgeLink.State.RECOVERING || l.coreKnown;
        removeAndClose(l, false);
        supervisor.forget(l);
        revocations.linkGone(l.remote, why);
        LOG.debug("mesh {}: {} gone: {}", self.shortString(), l, why);
        if (refused) {
            dialBackoff.refused(l.remote, now());
        } else if (wasUp) {
            dialBackoff.linkEnded(l.remote, l.upAt, now());
        }
        if (wasUp) {
            audit.record("link.down", Map.of("agent", l.remote.toString(), "reason", why));
            core.linkDown(now(), l.id);
        } else {
            linksFailed++;
            if (!refused && sayBye) {
                bye(l);
            }
            if (l.requested && tellCore) {
                core.linkFailed(now(), l.remote, refused);
            }
        }
        emit(new MeshEvent.LinkDown(l.remote, why));
        drain();
    }

    /** Closes a connection its recovery replaced or cancelled: no bye, nothing to the core. */
    void retire(EdgeLink l) {
        if (links.byId(l.id) == l) {
            removeAndClose(l, false);
        }
    }

    /** A link the core knew, whose last connection was already retired, is gone for good. */
    void coreLinkGone(AgentId agent, long linkId, String why) {
        audit.record("link.down", Map.of("agent", agent.toString(), "reason", why));
        core.linkDown(now(), linkId);
        emit(new MeshEvent.LinkDown(agent, why));
    }

    /** The connection of a link that was up failed: its recovery repairs it, or it is gone. */
    void connectionFailed(EdgeLink l) {
        rotation.checkRefused(l);
        if (links.byId(l.id) != l) {
            rotation.oldGone(l);
        } else if (rotation.isReplacement(l)) {
            linkGone(l, "connection failed", false, true, false);
        } else if (!supervisor.connectionFailed(l)) {
            // no bye: to an offer not yet answered it would read as a refusal, and the offerer's recovery (or its
            // own ICE) times the attempt out and falls back to the relay
            linkGone(l, "connection failed", false, true, false);
        }
        drain();
    }

    void connectionConnected(EdgeLink l) {
        if (links.byId(l.id) == l) {
            supervisor.connected(l);
            drain();
        }
    }

    /** An ICE restart brought a recovering link back on the same connection. */
    void restored(EdgeLink l) {
        l.state = EdgeLink.State.UP;
        audit.record("link.restored", Map.of("agent", l.remote.toString(), "path", l.path.label()));
        unblock(l, now());
    }

    private void unblock(EdgeLink l, long now) {
        for (ChannelClass c : ChannelClass.values()) {
            core.linkBackpressure(now, l.id, c, false);
        }
    }

    /** Publishes a fresh reading for the metrics (agent loop). */
    void publish() {
        telemetry.publish(core.stats(), links, supervisor.qualities());
    }

    /** Serves {@code /metrics} at {@code address}; before each scrape the agent loop publishes a fresh reading. */
    public java.net.InetSocketAddress startMetrics(java.net.InetSocketAddress a) { return telemetry.startMetrics(a, this); }
    public io.jrtc.mesh.metrics.MeshMetrics metrics() { return telemetry.metrics; }

    void removeAndClose(EdgeLink l, boolean flushFirst) {
        links.remove(l);
        l.state = EdgeLink.State.CLOSED;
        if (flushFirst) {
            l.closeAfterFlush(CLOSE_GRACE_NANOS);
        } else {
            l.close();
        }
        if (!deferred.isEmpty()) { // a link gone: a waiting request may start
            execute(deferred::run);
        }
    }

    void bye(EdgeLink l) {
        if (!closed) {
            trySignal(() -> signaling.sendBye(l.signalingId));
        }
    }

    void trySignal(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("mesh {}: signaling send failed: {}", self.shortString(), e.toString());
        }
    }
}
