package io.jrtc.ice.netty;

import io.jrtc.common.DatagramCore;
import io.jrtc.ice.IceAgent;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.SocketId;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone ICE transport on ONE given {@link EventLoop}: one {@link IceAgent} over its {@link IceSockets}. It feeds
 * {@link IceAgent#handleInput} what the sockets read, writes everything {@link IceAgent#pollTransmit()} gives, hands
 * the agent's socket requests (TURN streams, host names) to the sockets, and keeps exactly one scheduled task for
 * {@link IceAgent#pollTimeout()} (rescheduled only when the deadline moves earlier). A peer connection does not use
 * this class: its edge drives the sockets and one core for ICE, DTLS, SCTP and SRTP (module {@code peer}).
 *
 * <p><b>Threading:</b> every callback ({@code onLocalCandidate}, {@code onData}, ...) runs on the event loop. Public
 * methods may be called from any thread: off the loop they hop onto it. {@link #send(ByteBuffer)} is the data path:
 * call it on the loop (it then neither hops nor copies twice). No thread is created per transport; thousands of
 * transports can share a small {@code MultiThreadIoEventLoopGroup}. Host names of servers are resolved on a
 * short-lived virtual thread, never on the loop.
 */
public final class IceTransport {

    private static final Logger LOG = LoggerFactory.getLogger(IceTransport.class);

    private final EventLoop loop;
    private final IceConfig config;
    private final IceAgent agent;
    private final IceSockets sockets;

    private ScheduledFuture<?> timer;
    private long timerDeadline = DatagramCore.NO_TIMEOUT;
    private boolean draining;
    private boolean gatheringRequested;
    private CompletableFuture<Void> closeFuture;
    private boolean channelsClosing;

    private volatile IceCredentials localCredentials;
    private volatile IceConnectionState connectionState = IceConnectionState.NEW;
    private volatile IceGatheringState gatheringState = IceGatheringState.NEW;
    private volatile IceCandidatePair selectedPair;

    private volatile Consumer<IceCandidate> onLocalCandidate = c -> { };
    private volatile Consumer<IceGatheringState> onGatheringStateChange = s -> { };
    private volatile Consumer<IceConnectionState> onConnectionStateChange = s -> { };
    private volatile Consumer<IceCandidatePair> onSelectedPairChange = p -> { };
    private volatile Consumer<ByteBuffer> onData = b -> { };
    private volatile Consumer<IceEvent.Error> onError = e -> { };
    private volatile Consumer<IceRole> onRoleChange = r -> { };

    /** A transport with random local credentials drawn from {@link IceConfig#random()}. */
    public IceTransport(EventLoop loop, IceConfig config) {
        this(loop, config, IceCredentials.random(config.random()));
    }

    public IceTransport(EventLoop loop, IceConfig config, IceCredentials localCredentials) {
        this.loop = loop;
        this.config = config;
        this.agent = new IceAgent(config, localCredentials);
        this.localCredentials = localCredentials;
        this.sockets = new IceSockets(loop, config, new SocketsOwner());
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /** The current local ufrag/pwd (they change on {@link #restart()}). */
    public IceCredentials localCredentials() {
        return localCredentials;
    }

    public IceConnectionState connectionState() {
        return connectionState;
    }

    public IceGatheringState gatheringState() {
        return gatheringState;
    }

    public Optional<IceCandidatePair> selectedPair() {
        return Optional.ofNullable(selectedPair);
    }

    /** The addresses of the UDP sockets bound so far. */
    public List<InetSocketAddress> localAddresses() {
        return sockets.localAddresses();
    }

    // ------------------------------------------------------------------------------------------------ listeners

    public IceTransport onLocalCandidate(Consumer<IceCandidate> l) {
        onLocalCandidate = l;
        return this;
    }

    public IceTransport onGatheringStateChange(Consumer<IceGatheringState> l) {
        onGatheringStateChange = l;
        return this;
    }

    public IceTransport onConnectionStateChange(Consumer<IceConnectionState> l) {
        onConnectionStateChange = l;
        return this;
    }

    public IceTransport onSelectedPairChange(Consumer<IceCandidatePair> l) {
        onSelectedPairChange = l;
        return this;
    }

    /** Application data; the buffer is valid during the call only. */
    public IceTransport onData(Consumer<ByteBuffer> l) {
        onData = l;
        return this;
    }

    public IceTransport onError(Consumer<IceEvent.Error> l) {
        onError = l;
        return this;
    }

    public IceTransport onRoleChange(Consumer<IceRole> l) {
        onRoleChange = l;
        return this;
    }

    // ------------------------------------------------------------------------------------------------ control

    /**
     * Binds one UDP socket per allowed address and starts gathering. The future completes (on the loop) once the
     * sockets are bound and gathering began; candidates then arrive through {@link #onLocalCandidate}.
     */
    public CompletableFuture<Void> startGathering() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            if (gatheringRequested) {
                done.complete(null);
                return;
            }
            gatheringRequested = true;
            sockets.bind().whenComplete((bound, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                    return;
                }
                if (closeFuture == null) {
                    for (IceSockets.Bound b : bound) {
                        agent.addLocalSocket(System.nanoTime(), b.id(), b.local(), IceProtocol.UDP);
                    }
                    agent.startGathering(System.nanoTime());
                    drain();
                }
                done.complete(null);
            });
        });
        return done;
    }

    public void setRemoteCredentials(IceCredentials remote) {
        run(() -> {
            agent.setRemoteCredentials(System.nanoTime(), remote);
            drain();
        });
    }

    public void addRemoteCandidate(IceCandidate candidate) {
        run(() -> {
            agent.addRemoteCandidate(System.nanoTime(), candidate);
            drain();
        });
    }

    public void addRemoteEndOfCandidates() {
        run(() -> {
            agent.endOfRemoteCandidates(System.nanoTime());
            drain();
        });
    }

    public void setRole(IceRole role) {
        run(() -> {
            agent.setRole(role);
            drain();
        });
    }

    /** ICE restart with fresh random credentials; the future gives them (to put in the new offer/answer). */
    public CompletableFuture<IceCredentials> restart() {
        return restart(IceCredentials.random(config.random()));
    }

    /** ICE restart with the given new local credentials. */
    public CompletableFuture<IceCredentials> restart(IceCredentials newLocal) {
        CompletableFuture<IceCredentials> f = new CompletableFuture<>();
        run(() -> {
            agent.restart(System.nanoTime(), newLocal);
            localCredentials = newLocal;
            drain();
            f.complete(newLocal);
        });
        return f;
    }

    /**
     * Puts a {@link DatagramTap} on this transport's UDP datagrams, both ways (probes, tests); set it before gathering.
     * Null (the default) for none.
     */
    public IceTransport datagramTap(DatagramTap tap) {
        sockets.datagramTap(tap);
        return this;
    }

    /**
     * Sends application data over the selected pair. On the loop the data is handed to the agent at once (one copy);
     * off the loop it is copied and sent from the loop. Returns false if the agent dropped it (no pair yet, consent
     * lost); off the loop it returns true once queued.
     */
    public boolean send(ByteBuffer data) {
        if (loop.inEventLoop()) {
            boolean ok = agent.send(System.nanoTime(), data);
            drain();
            return ok;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        loop.execute(() -> {
            if (!agent.isClosed() && connectionState != IceConnectionState.CLOSED) {
                agent.send(System.nanoTime(), copy);
                drain();
            }
        });
        return true;
    }

    /**
     * As {@link #send}, but the caller hands the buffer over and never writes to it again: no copy on or off the loop
     * (see {@link IceAgent#sendOwned}). The datagram goes to the socket as it is, wrapped, not copied.
     */
    public boolean sendOwned(ByteBuffer data) {
        if (loop.inEventLoop()) {
            boolean ok = agent.sendOwned(System.nanoTime(), data);
            drain();
            return ok;
        }
        loop.execute(() -> {
            if (!agent.isClosed() && connectionState != IceConnectionState.CLOSED) {
                agent.sendOwned(System.nanoTime(), data);
                drain();
            }
        });
        return true;
    }

    /** Counters of the agent; blocks for at most 5 s when called off the loop. */
    public IceStats stats() {
        if (loop.inEventLoop()) {
            return agent.stats();
        }
        try {
            return loop.submit(agent::stats).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading ICE stats", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read ICE stats", e);
        }
    }

    /**
     * Closes: TURN allocations are released (waiting at most {@link IceConfig#closeTimeout()}), then every socket
     * and stream closes. The future completes when all channels are closed.
     */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        run(() -> {
            if (closeFuture != null) {
                closeFuture.whenComplete((v, e) -> f.complete(null));
                return;
            }
            closeFuture = f;
            agent.close(System.nanoTime());
            drain();
        });
        return f;
    }

    /**
     * Which addresses to bind: the allow-list (addresses, named interfaces, {@code "*"} for every interface), or by
     * default the addresses of the interfaces that carry a default route ({@link LocalAddresses}).
     */
    static List<InetAddress> bindAddresses(IceConfig config) throws java.net.SocketException {
        return LocalAddresses.select(config);
    }

    // ------------------------------------------------------------------------------------------------ the loop side

    private void run(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    /** Writes what the agent queued, dispatches its events, and re-arms the single timer. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (int guard = 0; guard < 64; guard++) {
                boolean any = false;
                for (Optional<IceTransmit> t = agent.pollTransmit(); t.isPresent(); t = agent.pollTransmit()) {
                    any = true;
                    sockets.write(t.get());
                }
                for (Optional<IceEvent> e = agent.pollEvent(); e.isPresent(); e = agent.pollEvent()) {
                    any = true;
                    dispatch(e.get());
                }
                if (!any) {
                    break;
                }
            }
            sockets.flush();
        } finally {
            draining = false;
        }
        if (closeFuture != null && agent.isClosed()) {
            finishClose();
            return;
        }
        reschedule();
    }

    private void dispatch(IceEvent e) {
        try {
            if (sockets.request(e)) {
                return;
            }
            switch (e) {
                case IceEvent.LocalCandidate c -> onLocalCandidate.accept(c.candidate());
                case IceEvent.GatheringStateChanged g -> {
                    gatheringState = g.state();
                    onGatheringStateChange.accept(g.state());
                }
                case IceEvent.ConnectionStateChanged s -> {
                    connectionState = s.state();
                    onConnectionStateChange.accept(s.state());
                }
                case IceEvent.SelectedPairChanged p -> {
                    selectedPair = p.pair();
                    onSelectedPairChange.accept(p.pair());
                }
                case IceEvent.ApplicationData d -> onData.accept(d.data());
                case IceEvent.RoleChanged r -> onRoleChange.accept(r.role());
                case IceEvent.Error err -> onError.accept(err);
                default -> LOG.debug("unexpected ICE event {}", e);
            }
        } catch (RuntimeException ex) {
            LOG.warn("ICE listener threw on {}", e.getClass().getSimpleName(), ex);
        }
    }

    private void reschedule() {
        long deadline = agent.pollTimeout();
        if (deadline == DatagramCore.NO_TIMEOUT) {
            return;
        }
        if (timer != null && timerDeadline <= deadline) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDeadline = deadline;
        long delay = Math.max(0, deadline - System.nanoTime());
        timer = loop.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
    }

    private void onTimer() {
        timer = null;
        timerDeadline = DatagramCore.NO_TIMEOUT;
        agent.handleTimeout(System.nanoTime());
        drain();
    }

    private void finishClose() {
        if (channelsClosing) {
            return;
        }
        channelsClosing = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        CompletableFuture<Void> f = closeFuture;
        sockets.close().whenComplete((v, e) -> f.complete(null));
    }

    /** What the sockets read goes to the agent; each call is followed by a drain. */
    private final class SocketsOwner implements IceSockets.Owner {
        @Override
        public void input(SocketId via, InetSocketAddress from, ByteBuffer data) {
            if (!agent.isClosed()) {
                agent.handleInput(System.nanoTime(), via, from, data);
            }
            drain();
        }

        @Override
        public void streamConnected(SocketId id, InetSocketAddress local) {
            agent.streamConnected(System.nanoTime(), id, local);
            drain();
        }

        @Override
        public void streamClosed(SocketId id, String why) {
            if (!agent.isClosed()) {
                agent.streamClosed(System.nanoTime(), id, why);
            }
            drain();
        }

        @Override
        public void hostResolved(String host, List<InetAddress> found) {
            agent.hostResolved(System.nanoTime(), host, found);
            drain();
        }
    }
}
