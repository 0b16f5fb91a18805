package io.jrtc.peer;

import io.jrtc.common.DatagramCore;
import io.jrtc.dtls.HandshakeThreads;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.netty.IceTransport;
import io.jrtc.peer.internal.media.MediaEngine;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty edge of one {@link PeerConnection}, on its event loop: the ICE transport (sockets, checks, consent), which
 * hands the selected pair's datagrams to the {@link TransportCore} (DTLS, SCTP, SRTP, without I/O); the one
 * {@link #drain()} that moves what the core queued onto the pair; and the one scheduled task, armed at the earliest
 * deadline of the core and the connect timeout. Loop-confined, except {@link #requestDrain()}.
 */
final class PeerEdge implements TransportCore.Edge {

    /** The façade's logger: the lines a connection logs keep their name whichever part writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    private final PeerConnection pc;
    private final EventLoop loop;
    private final String logId;
    final IceTransport ice;
    /** DTLS, SCTP/DCEP and SRTP over the pair's datagrams. */
    final TransportCore core;

    // ---- loop-confined ----
    /** Transports, sockets and timers released (by close, or by the connect timeout). */
    private boolean released;
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
        this.ice = new IceTransport(loop, ib.build());
        DatagramTapPoint.install(ice, config.packetTap());
        this.core = new TransportCore(this, config, limits, counters, connectionLimits, stats, System::nanoTime,
                new MediaHost(), System.currentTimeMillis() * 1_000_000L - System.nanoTime(), mediaSeed);
    }

    /** Connects ICE's events: candidates and gathering go to JSEP, the rest stays here. */
    void wire(Negotiation n) {
        this.negotiation = n;
        ice.onLocalCandidate(n::onLocalIceCandidate);
        ice.onGatheringStateChange(n::onIceGathering);
        ice.onConnectionStateChange(this::onIceState);
        ice.onData(this::onIceData);
        ice.onSelectedPairChange(this::onSelectedPair);
        ice.onRoleChange(pc::iceRoleChanged);
        ice.onError(e -> LOG.debug("{}: ICE error {}", logId, e));
    }

    // =====================================================================================================
    // In: ICE
    // =====================================================================================================

    private void onIceState(IceConnectionState s) {
        IceConnectionState previous = pc.iceConnectionState();
        if (s == previous || released) {
            return;
        }
        pc.iceConnectionStateChanged(s);
        LOG.debug("{}: ICE {}", logId, s);
        if (core.iceStateChanged(System.nanoTime(), previous, s)) {
            requestDrain();
        }
        pc.fireIceConnectionStateChange(s);
        maybeStartDtls();
        pc.updateConnectionState();
    }

    /** What the selected pair delivers goes to the core; the layer that took it is drained at once. */
    private void onIceData(ByteBuffer data) {
        if (!data.hasRemaining() || released) {
            return;
        }
        if (core.handleDatagram(System.nanoTime(), data)) {
            drain();
        }
    }

    /** A new selected pair: a change of pair is told to SCTP ({@link TransportCore#selectedPairChanged}). */
    private void onSelectedPair(IceCandidatePair p) {
        LOG.debug("{}: selected pair {}", logId, p);
        if (core.selectedPairChanged(System.nanoTime(), p)) {
            requestDrain();
        }
    }

    /** Starts (or releases) DTLS when the core says it can, and drains what that queued. */
    void maybeStartDtls() {
        if (core.maybeStartDtls(System.nanoTime(), pc.iceConnectionState())) {
            drain();
        }
    }

    // =====================================================================================================
    // TransportCore.Edge
    // =====================================================================================================

    @Override
    public void send(ByteBuffer datagram) {
        ice.sendOwned(datagram); // DTLS records and SRTP packets are fresh arrays that nobody writes again
    }

    @Override
    public void maybeStartDtlsLater() {
        loop.execute(this::maybeStartDtls);
    }

    @Override
    public Executor handshakeExecutor(Executor configured) {
        return HandshakeThreads.onLoop(loop); // each flight handled on this loop: no thread hand-over
    }

    @Override
    public void deadlineMoved() {
        rearmTimer();
    }

    @Override
    public String logId() {
        return logId;
    }

    @Override
    public boolean isClosed() {
        return pc.isClosed();
    }

    @Override
    public RtcConfiguration config() {
        return pc.config();
    }

    @Override
    public io.jrtc.dtls.DtlsCertificate certificate() {
        return pc.certificate();
    }

    @Override
    public void updateConnectionState() {
        pc.updateConnectionState();
    }

    @Override
    public void fireDataChannel(io.jrtc.datachannel.DataChannel ch) {
        pc.fireDataChannel(ch);
    }

    @Override
    public boolean dataNegotiated() {
        return negotiation != null && negotiation.dataNegotiated();
    }

    @Override
    public TapPoint tapPoint(PacketTap tap, java.util.function.Consumer<ByteBuffer> send,
            java.util.function.Consumer<ByteBuffer> receive) {
        return new TapPoint(tap, loop, send, receive);
    }

    // =====================================================================================================
    // Out: the drain and the timer
    // =====================================================================================================

    /**
     * The one way to ask for a {@link #drain()} from outside it; callable from any thread (DTLS's handshake thread,
     * SCTP and media after an application call). On the loop inside a drain it does nothing: that drain's next round
     * picks up what was queued. Otherwise one drain task is queued on the loop, however many ask.
     */
    @Override
    public void requestDrain() {
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
     * Moves everything the core queued until nothing moves (DTLS events, SCTP packets into DTLS records, DTLS records
     * and SRTP packets onto the ICE pair), then re-arms the one timer. Loop only.
     */
    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            long now = System.nanoTime();
            for (int guard = 0; guard < 10_000; guard++) {
                if (!core.drainOnce(now)) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("{}: internal error while moving data between layers", logId, e);
        } finally {
            draining = false;
        }
        if (core.afterConnected(System.nanoTime())) {
            pc.updateConnectionState();
            drain(); // what SRTP or the state listeners queued; it re-arms the timer
            return;
        }
        rearmTimer();
    }

    /**
     * The one scheduled task: re-armed only when the earliest deadline of DTLS, SCTP, media and the connect timeout
     * ({@link RtcLimits#connectTimeout()}) moved.
     */
    void rearmTimer() {
        if (pc.isClosed() || released) {
            return;
        }
        long deadline = Math.min(core.pollTimeout(), pc.connectDeadline());
        if (deadline == timerDeadline && timer != null) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        timerDeadline = deadline;
        if (deadline == DatagramCore.NO_TIMEOUT) {
            return;
        }
        long delay = Math.max(0, deadline - System.nanoTime());
        timer = loop.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
    }

    private void onTimer() {
        timer = null;
        timerDeadline = DatagramCore.NO_TIMEOUT;
        long now = System.nanoTime();
        pc.checkConnectTimeout(now);
        if (released) {
            return;
        }
        core.handleTimeout(now);
        drain();
    }

    // =====================================================================================================
    // Release
    // =====================================================================================================

    boolean released() {
        return released;
    }

    /** Closes every transport and timer; once. Loop only. */
    void releaseTransports(String why) {
        if (released) {
            return;
        }
        try {
            core.sctp.abort(why);
            core.media.close(System.nanoTime());
            drain();
            core.closeDtls();
        } catch (RuntimeException e) {
            LOG.debug("{}: while closing: {}", logId, e.toString());
        }
        released = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ice.close();
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
