package io.jrtc.peer;

import io.jrtc.common.DatagramCore;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.dtls.HandshakeThreads;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.SocketId;
import io.jrtc.ice.netty.IceSockets;
import io.jrtc.peer.internal.media.MediaEngine;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Netty edge of one {@link PeerConnection}, on its event loop: it owns the connection's sockets
 * ({@link IceSockets}: UDP, TURN streams, host names) and one sans-IO {@link RtcCore} (ICE, DTLS, SCTP/DCEP, SRTP). It
 * feeds the core what the sockets read and the time, and in the one {@link #drain()} writes what the core queued and
 * hands its events to the façade; one scheduled task is armed at the earliest deadline of the core and the connect
 * timeout. Loop-confined, except {@link #requestDrain()}.
 */
final class PeerEdge implements RtcHost {

    /** The façade's logger: the lines a connection logs keep their name whichever part writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    private final PeerConnection pc;
    private final EventLoop loop;
    private final String logId;
    private final IceSockets sockets;
    /** ICE, DTLS, SCTP/DCEP and SRTP, without I/O. */
    final RtcCore rtc;
    /** DTLS, SCTP/DCEP and SRTP inside {@link #rtc}: what JSEP and the W3C getters read and set. */
    final TransportCore core;
    private final MediaHost mediaHost = new MediaHost();

    // ---- loop-confined ----
    /** Transports, sockets and timers released (by close, or by the connect timeout). */
    private boolean released;
    private boolean gatheringRequested;
    private ScheduledFuture<?> timer;
    private long timerDeadline = DatagramCore.NO_TIMEOUT;
    /** A drain task is queued on the loop (set from any thread). */
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** Inside {@link #drain()}: a nested request is covered by the running drain's next round. */
    private boolean draining;
    /** JSEP, set by {@link #wire}. */
    private Negotiation negotiation;

    PeerEdge(PeerConnection pc, RtcConfiguration config, RtcLimits limits, LimitCounters counters, ConnectionLimits connectionLimits,
            StatsCollector stats, long mediaSeed) {
        this.pc = pc;
        this.loop = pc.eventLoop();
        this.logId = pc.logId();
        IceConfig.Builder ib = (config.iceTuning() == null ? IceConfig.builder() : config.iceTuning().toBuilder())
                .servers(config.iceServers())
                .policy(config.iceTransportPolicy());
        if (!config.bindAddresses().isEmpty() || !config.bindInterfaces().isEmpty()) {
            ib.bindAddresses(config.bindAddresses()).bindInterfaces(config.bindInterfaces());
        }
        IceConfig iceConfig = ib.build();
        this.sockets = new IceSockets(loop, iceConfig, new SocketsOwner());
        DatagramTapPoint.install(sockets, config.packetTap());
        long now = System.nanoTime();
        this.rtc = new RtcCore(logId, config, iceConfig, IceCredentials.random(iceConfig.random()), null,
                pc.certificate(), this, null, this::requestDrain, limits, counters, connectionLimits, stats,
                System.currentTimeMillis() * 1_000_000L - now, mediaSeed, now);
        this.core = rtc.transport();
    }

    /** JSEP: candidates and gathering events go to it. */
    void wire(Negotiation n) {
        this.negotiation = n;
    }

    // =====================================================================================================
    // In: what JSEP sets (loop only)
    // =====================================================================================================

    IceCredentials localIceCredentials() {
        return rtc.localCredentials();
    }

    /**
     * Binds the sockets and starts gathering; once. The future completes on the loop when gathering began (candidates
     * then come as events).
     */
    CompletableFuture<Void> startGathering() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (gatheringRequested) {
            done.complete(null);
            return done;
        }
        gatheringRequested = true;
        sockets.bind().whenComplete((bound, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
                return;
            }
            if (!released) {
                long now = System.nanoTime();
                for (IceSockets.Bound b : bound) {
                    rtc.addLocalSocket(now, b.id(), b.local());
                }
                rtc.startGathering(now);
                drain();
            }
            done.complete(null);
        });
        return done;
    }

    void setIceRole(IceRole role) {
        rtc.setIceRole(System.nanoTime(), role);
        drain();
    }

    void setRemoteIceCredentials(IceCredentials remote) {
        rtc.setRemoteIceCredentials(System.nanoTime(), remote);
        drain();
    }

    void addRemoteCandidate(IceCandidate c) {
        rtc.addRemoteCandidate(System.nanoTime(), c);
        drain();
    }

    void endOfRemoteCandidates() {
        rtc.endOfRemoteCandidates(System.nanoTime());
        drain();
    }

    void restartIce(IceCredentials fresh) {
        rtc.restartIce(System.nanoTime(), fresh);
        drain();
    }

    /** Starts (or releases) DTLS when the core says it can, and drains what that queued. */
    void maybeStartDtls() {
        if (core.maybeStartDtls(System.nanoTime(), pc.iceConnectionState())) {
            drain();
        }
    }

    // =====================================================================================================
    // In: the sockets
    // =====================================================================================================

    /** What the sockets read goes to the core; each call is followed by a drain. Loop. */
    private final class SocketsOwner implements IceSockets.Owner {
        @Override
        public void input(SocketId via, InetSocketAddress from, ByteBuffer data) {
            rtc.handleInput(System.nanoTime(), via, from, data);
            drain();
        }

        @Override
        public void streamConnected(SocketId id, InetSocketAddress local) {
            rtc.streamConnected(System.nanoTime(), id, local);
            drain();
        }

        @Override
        public void streamClosed(SocketId id, String why) {
            rtc.streamClosed(System.nanoTime(), id, why);
            drain();
        }

        @Override
        public void hostResolved(String host, List<InetAddress> found) {
            rtc.hostResolved(System.nanoTime(), host, found);
            drain();
        }
    }

    // =====================================================================================================
    // Out: the drain and the timer
    // =====================================================================================================

    /**
     * The one way to ask for a {@link #drain()} from outside it; callable from any thread (DTLS's handshake thread,
     * SCTP and media after an application call). On the loop inside a drain it does nothing: that drain's next round
     * picks up what was queued. Otherwise one drain task is queued on the loop, however many ask.
     */
    void requestDrain() {
        if (loop.inEventLoop() && draining) {
            return;
        }
        if (drainQueued.compareAndSet(false, true)) {
            try {
                loop.execute(() -> {
                    drainQueued.set(false);
                    drain();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the factory was closed (its loops are gone): nothing is left to move; a handshake thread ending
                // late must not log a stack trace for it
                LOG.debug("{}: no drain, the loop has shut down", logId);
            }
        }
    }

    /**
     * Runs what is due in the core, writes the datagrams it queued onto the sockets, hands its events to the façade
     * (which may call in again), until nothing moves; then flushes the sockets and re-arms the one timer. Loop only.
     */
    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        long deadline = DatagramCore.NO_TIMEOUT;
        try {
            long now = System.nanoTime();
            rtc.poll(now);
            for (int guard = 0; guard < 10_000; guard++) {
                boolean moved = false;
                for (Optional<IceTransmit> t = rtc.pollTransmit(); t.isPresent(); t = rtc.pollTransmit()) {
                    moved = true;
                    sockets.write(t.get());
                }
                for (Optional<RtcEvent> e = rtc.pollEvent(); e.isPresent(); e = rtc.pollEvent()) {
                    moved = true;
                    dispatch(e.get());
                }
                deadline = rtc.pollTimeout();
                now = System.nanoTime();
                if (deadline <= now) {
                    rtc.handleTimeout(now);
                } else if (!moved) {
                    break;
                }
            }
            sockets.flush();
        } catch (RuntimeException e) {
            LOG.error("{}: internal error while moving data between layers", logId, e);
            deadline = rtc.pollTimeout();
        } finally {
            draining = false;
        }
        if (released && rtc.iceClosed()) {
            cancelTimer();
            sockets.close();
            return;
        }
        rearmTimer(deadline);
    }

    private void dispatch(RtcEvent e) {
        if (released) {
            if (e instanceof RtcEvent.SocketRequest r) {
                sockets.request(r.request()); // TURN streams still close while ICE releases its allocations
            }
            return;
        }
        try {
            switch (e) {
                case RtcEvent.LocalCandidate c -> negotiation.onLocalIceCandidate(c.candidate());
                case RtcEvent.GatheringStateChanged g -> negotiation.onIceGathering(g.state());
                case RtcEvent.IceStateChanged s -> onIceState(s.state());
                case RtcEvent.SelectedPairChanged p -> LOG.debug("{}: selected pair {}", logId, p.pair());
                case RtcEvent.ConnectionStateChanged s -> pc.updateConnectionState();
                case RtcEvent.DataChannelOpened d -> pc.fireDataChannel(d.channel());
                case RtcEvent.IceRoleChanged r -> pc.iceRoleChanged(r.role());
                case RtcEvent.SocketRequest r -> sockets.request(r.request());
                case RtcEvent.ConnectTimedOut t -> pc.connectTimedOut();
            }
        } catch (RuntimeException ex) {
            LOG.warn("{}: a listener threw on {}", logId, e.getClass().getSimpleName(), ex);
        }
    }

    private void onIceState(IceConnectionState s) {
        if (s == pc.iceConnectionState()) {
            return;
        }
        pc.iceConnectionStateChanged(s);
        pc.fireIceConnectionStateChange(s);
        pc.updateConnectionState();
    }

    /** Starts the connect timeout in the core (the first description); the one task includes its deadline. */
    void startConnectTimer() {
        rtc.startConnectTimer(System.nanoTime());
        rearmTimer(rtc.pollTimeout());
    }

    /**
     * The one scheduled task, at the core's earliest deadline (ICE, DTLS, SCTP, media and the connect timeout,
     * {@link RtcLimits#connectTimeout()}). A task already armed at or before that deadline is kept: when it runs, the
     * drain asks the core again.
     */
    private void rearmTimer(long deadline) {
        if (released ? rtc.iceClosed() : pc.isClosed()) {
            return;
        }
        if (deadline == DatagramCore.NO_TIMEOUT || timer != null && timerDeadline <= deadline) {
            return;
        }
        cancelTimer();
        timerDeadline = deadline;
        long delay = Math.max(0, deadline - System.nanoTime());
        timer = loop.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        timerDeadline = DatagramCore.NO_TIMEOUT;
    }

    private void onTimer() {
        timer = null;
        timerDeadline = DatagramCore.NO_TIMEOUT;
        drain();
    }

    // =====================================================================================================
    // Release
    // =====================================================================================================

    boolean released() {
        return released;
    }

    /**
     * Closes every transport: SCTP aborts, media and DTLS close, ICE releases its TURN allocations (at most
     * {@code IceConfig.closeTimeout()}), then the sockets close; once. Loop only.
     */
    void releaseTransports(String why) {
        if (released) {
            return;
        }
        try {
            rtc.close(System.nanoTime(), why);
        } catch (RuntimeException e) {
            LOG.debug("{}: while closing: {}", logId, e.toString());
        }
        released = true;
        cancelTimer();
        drain();
    }

    // =====================================================================================================
    // RtcHost: the loop's clock and thread
    // =====================================================================================================

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public MediaEngine.Host media() {
        return mediaHost;
    }

    @Override
    public Executor handshakeExecutor(Executor configured) {
        return HandshakeThreads.onLoop(loop); // each flight handled on this loop: no thread hand-over
    }

    @Override
    public void runLater(Runnable r) {
        loop.execute(() -> {
            r.run();
            drain();
        });
    }

    @Override
    public TapPoint tapPoint(PacketTap tap, Consumer<ByteBuffer> send, Consumer<ByteBuffer> receive) {
        return new TapPoint(tap, loop, send, receive);
    }

    @Override
    public void dataChannel(DataChannel ch) {
        if (!released) {
            pc.fireDataChannel(ch);
        }
    }

    @Override
    public boolean dataNegotiated() {
        return negotiation != null && negotiation.dataNegotiated();
    }

    /** The engine's view of this connection: the loop, its clock, and the drain. */
    private final class MediaHost implements MediaEngine.Host {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public boolean inLoop() {
            return loop.inEventLoop();
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public void wake() {
            requestDrain();
        }

        @Override
        public void negotiationNeeded() {
            if (!pc.isClosed()) {
                pc.fireNegotiationNeeded();
            }
        }
    }
}
