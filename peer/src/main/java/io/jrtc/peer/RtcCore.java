package io.jrtc.peer;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.DtlsRole;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsState;
import io.jrtc.dtls.Fingerprint;
import io.jrtc.ice.IceAgent;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.SocketId;
import io.jrtc.peer.internal.media.MediaEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sans-IO composite for one peer connection: ICE ({@link IceAgent}) and the {@link TransportCore} (DTLS, SCTP/DCEP,
 * SRTP) in one object, in the shape of str0m's {@code Rtc}. Datagrams come in through {@link #handleInput} (ICE keeps
 * STUN; the selected pair's other datagrams reach the core's one RFC 7983 demultiplexing point); what goes out is one
 * queue of datagrams with their socket and destination ({@link #pollTransmit()}); what happened is one queue of
 * {@link RtcEvent}s ({@link #pollEvent()}); time comes in as {@code now} ({@link #handleTimeout} at
 * {@link #pollTimeout()}), and nothing inside reads a clock: the data channels' and the media engine's clock is the
 * last {@code now} given.
 *
 * <p>The one exception is DTLS's handshake, which BouncyCastle runs blocking on the {@code handshakeExecutor} given
 * here (its retransmission timer reads the system clock). When it queues a flight it calls the {@code wake} given
 * here, from its thread; {@link #pollTimeout()} is then "now", and the owner calls {@link #handleTimeout} on its own
 * thread. A driver that runs the handshake's continuations itself (a virtual thread whose scheduler is the driver, see
 * {@link io.jrtc.dtls.HandshakeThreads#onLoop}) makes the whole connection deterministic on a virtual clock.
 *
 * <p>No sockets: the owner binds them, tells the core with {@link #addLocalSocket}, and writes what
 * {@link #pollTransmit()} returns. What ICE asks of the sockets (a TURN stream over TCP or TLS, a host name to
 * resolve) comes out as {@link RtcEvent.SocketRequest}; the answers go back in through {@link #streamConnected},
 * {@link #streamClosed} and {@link #hostResolved}. The few things that cannot wait in the event queue (the clock
 * between inputs, where media's tasks run, a new data channel before its first message) are the {@link RtcHost}'s:
 * the Netty edge ({@link PeerEdge}) gives its loop's; made without one, the core is its own host, on the virtual
 * clock. Single-threaded, except the {@code wake} above.
 */
final class RtcCore {

    private static final Logger LOG = LoggerFactory.getLogger(RtcCore.class);

    private final String logId;
    private final RtcConfiguration config;
    private final DtlsCertificate certificate;
    private final Executor handshakeExecutor;
    private final Runnable wake;
    private final IceAgent ice;
    private final TransportCore transport;
    // Small initial capacities: an idle connection keeps them empty (they grow when a burst needs it).
    private final ArrayDeque<IceTransmit> out = new ArrayDeque<>(4);
    private final ArrayDeque<RtcEvent> events = new ArrayDeque<>(2);
    /** Work deferred to the end of the current call (a held DTLS start, a media task). */
    private ArrayDeque<Runnable> later; // made at first use: a core run by a host never needs it
    /** Set from any thread (DTLS's handshake, an application's send): the next {@link #pollTimeout()} is now. */
    private final AtomicBoolean drainWanted = new AtomicBoolean();
    private final Edge edge = new Edge();
    private final RtcHost host;
    /** The connect timeout ({@link RtcLimits#connectTimeout()}) and the connection's other limits. */
    private final ConnectionLimits limits;
    /** Counts what the demultiplexer sees; W3C {@code getStats}. */
    private final StatsCollector stats;

    /** The last time given in: the clock of everything inside. */
    private long now;
    private boolean dataNegotiated;
    private boolean closed;
    /** Set as {@link #close} begins (so whenever {@link #closed} is): what close takes in cannot report a new state. */
    private boolean closing;
    private boolean processing;
    private IceConnectionState iceState = IceConnectionState.NEW;
    private RtcPeerConnectionState state = RtcPeerConnectionState.NEW;

    /**
     * A core with fresh ICE credentials (from {@code iceConfig.random()}).
     *
     * @param config            the connection's configuration (tunings, limits; its ICE servers are the edge's)
     * @param iceConfig         ICE's configuration (seed its {@code random} for a reproducible run)
     * @param role              ICE role: the offerer is controlling
     * @param certificate       our DTLS certificate
     * @param handshakeExecutor where DTLS's blocking handshake runs (null: the configured one)
     * @param wake              called from any thread when the core wants {@link #handleTimeout} soon
     * @param mediaSeed         seeds the media engine's SSRCs and RTCP interval
     * @param now               the current time
     */
    RtcCore(String logId, RtcConfiguration config, IceConfig iceConfig, IceRole role, DtlsCertificate certificate,
            Executor handshakeExecutor, Runnable wake, long mediaSeed, long now) {
        this(logId, config, iceConfig, IceCredentials.random(iceConfig.random()), role, certificate, null,
                handshakeExecutor, wake, limitsOf(config), new LimitCounters(), null, new StatsCollector(), 0,
                mediaSeed, now);
    }

    /**
     * A core run by a host (the Netty edge): its clock, media's thread and the synchronous callbacks are the host's;
     * limits, counters and stats are the connection's.
     *
     * @param host             null: the core is its own host (virtual clock; no packet tap)
     * @param connectionLimits null: made from {@code limits} and {@code counters}
     * @param unixOffsetNanos  added to the clock to give wall-clock time (RTCP sender reports)
     */
    RtcCore(String logId, RtcConfiguration config, IceConfig iceConfig, IceCredentials localCredentials, IceRole role,
            DtlsCertificate certificate, RtcHost host, Executor handshakeExecutor, Runnable wake, RtcLimits limits,
            LimitCounters counters, ConnectionLimits connectionLimits, StatsCollector stats, long unixOffsetNanos,
            long mediaSeed, long now) {
        this.logId = Objects.requireNonNull(logId, "logId");
        this.config = Objects.requireNonNull(config, "config");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.handshakeExecutor = handshakeExecutor;
        this.wake = Objects.requireNonNull(wake, "wake");
        this.now = now;
        if (host == null && config.packetTap() != null) {
            throw new IllegalArgumentException("a packet tap needs the Netty edge's loop");
        }
        this.host = host == null ? new OwnHost() : host;
        this.ice = new IceAgent(iceConfig, localCredentials);
        if (role != null) {
            this.ice.setRole(role);
        }
        this.stats = stats;
        this.limits = connectionLimits == null ? new ConnectionLimits(limits, counters, logId) : connectionLimits;
        this.transport = new TransportCore(edge, config, limits, counters, this.limits, stats,
                this.host::nanoTime, this.host.media(), unixOffsetNanos, mediaSeed);
        if (this.host instanceof OwnHost) {
            // the application sees a channel the peer opened only when it polls the event, after the input that
            // carried the DATA_CHANNEL_OPEN (and often the peer's first message with it): hold until it listens
            transport.sctp.holdPeerChannelsUntilListener(true);
        }
    }

    private static RtcLimits limitsOf(RtcConfiguration config) {
        return config.limits() == null ? RtcLimits.defaults() : config.limits();
    }

    // =====================================================================================================
    // Set-up (what signaling carries)
    // =====================================================================================================

    IceCredentials localCredentials() {
        return ice.localCredentials();
    }

    Fingerprint fingerprint() {
        return certificate.fingerprint();
    }

    /** A socket the owner bound: ICE gathers a host candidate on it. */
    void addLocalSocket(long now, SocketId id, InetSocketAddress bound) {
        advance(now);
        ice.addLocalSocket(now, id, bound, IceProtocol.UDP);
        process();
    }

    void startGathering(long now) {
        advance(now);
        ice.startGathering(now);
        process();
    }

    /**
     * What the remote description says: its ICE credentials and DTLS fingerprints, and our DTLS role (RFC 5763: the
     * answerer is the client, as {@link Negotiation} makes it). A data section is taken as negotiated.
     */
    void setRemote(long now, IceCredentials remoteIce, List<Fingerprint> remoteFingerprints, DtlsRole dtlsRole) {
        advance(now);
        ice.setRemoteCredentials(now, remoteIce);
        if (transport.dtlsRole() == null) {
            transport.setDtlsRole(dtlsRole);
        }
        transport.setRemoteFingerprints(List.copyOf(remoteFingerprints));
        dataNegotiated = true;
        later(this::maybeStartDtls);
        limits.startConnectTimer(now);
        process();
    }

    /**
     * Starts the connect timeout ({@link RtcLimits#connectTimeout()}) at the first description, once: if the connection
     * is not {@code CONNECTED} by then, {@link RtcEvent.ConnectTimedOut} comes out (the owner fails the connection).
     */
    void startConnectTimer(long now) {
        advance(now);
        limits.startConnectTimer(now);
    }

    void addRemoteCandidate(long now, IceCandidate candidate) {
        advance(now);
        ice.addRemoteCandidate(now, candidate);
        process();
    }

    void endOfRemoteCandidates(long now) {
        advance(now);
        ice.endOfRemoteCandidates(now);
        process();
    }

    /** An ICE restart (RFC 8445 section 9): fresh local credentials, returned for the new offer. */
    IceCredentials restartIce(long now) {
        IceCredentials fresh = IceCredentials.random(ice.config().random());
        restartIce(now, fresh);
        return fresh;
    }

    /** An ICE restart with the given fresh local credentials. */
    void restartIce(long now, IceCredentials fresh) {
        advance(now);
        ice.restart(now, fresh);
        process();
    }

    /** Our ICE role (the offerer is controlling; JSEP sets it when a description is applied). */
    void setIceRole(long now, IceRole role) {
        advance(now);
        ice.setRole(role);
        process();
    }

    /** A TURN stream asked for by a {@link RtcEvent.SocketRequest} connected. */
    void streamConnected(long now, SocketId id, InetSocketAddress local) {
        advance(now);
        if (!ice.isClosed()) {
            ice.streamConnected(now, id, local);
        }
        process();
    }

    /** A TURN stream failed or closed. */
    void streamClosed(long now, SocketId id, String why) {
        advance(now);
        if (!ice.isClosed()) {
            ice.streamClosed(now, id, why);
        }
        process();
    }

    /** A host name asked for by a {@link RtcEvent.SocketRequest} resolved (empty: it did not). */
    void hostResolved(long now, String hostName, List<InetAddress> found) {
        advance(now);
        if (!ice.isClosed()) {
            ice.hostResolved(now, hostName, found);
        }
        process();
    }

    /** The remote's credentials after its ICE restart. */
    void setRemoteIceCredentials(long now, IceCredentials remoteIce) {
        advance(now);
        ice.setRemoteCredentials(now, remoteIce);
        process();
    }

    /** A data channel (DCEP opens it once SCTP is up); send on it between calls, on the owner's thread. */
    DataChannel createDataChannel(String label, DataChannelInit init) {
        DataChannel ch = transport.sctp.createDataChannel(label, init == null ? DataChannelInit.DEFAULT : init);
        drainWanted.set(true);
        return ch;
    }

    // =====================================================================================================
    // Datagrams and time
    // =====================================================================================================

    /**
     * A datagram arrived on socket {@code via} from {@code from}. After {@link #close}, ICE still reads until it has
     * released its TURN allocations ({@link #iceClosed()}).
     */
    void handleInput(long now, SocketId via, InetSocketAddress from, ByteBuffer data) {
        advance(now);
        if (ice.isClosed()) {
            return;
        }
        if (closed) {
            ice.handleInput(now, via, from, data);
            afterClose();
            return;
        }
        if (processing) {
            ice.handleInput(now, via, from, data); // nested: its events are polled after data may be gone
            process();
            return;
        }
        // The application data comes out as a view of the caller's buffer: process() hands it to DTLS or SRTP (which
        // copy what they keep) before this call returns.
        ice.handleInputLent(now, via, from, data);
        process();
    }

    /** The earliest deadline of ICE and the transport core; {@code now} itself when a drain was asked for. */
    long pollTimeout() {
        if (closed) {
            return ice.isClosed() ? DatagramCore.NO_TIMEOUT : ice.pollTimeout();
        }
        if (drainWanted.get() || later != null && !later.isEmpty()) {
            return now;
        }
        return Math.min(Math.min(ice.pollTimeout(), transport.pollTimeout()), limits.connectDeadline());
    }

    /** The clock reached {@code now}: every layer whose deadline passed handles it, then what they queued moves. */
    void handleTimeout(long now) {
        advance(now);
        if (closed) {
            if (!ice.isClosed() && ice.pollTimeout() <= this.now) {
                ice.handleTimeout(this.now);
                afterClose();
            }
            return;
        }
        if (ice.pollTimeout() <= this.now) {
            ice.handleTimeout(this.now);
        }
        transport.handleTimeout(this.now);
        if (limits.connectTimerExpired(this.now)) {
            limits.cancelConnectTimer();
            if (state != RtcPeerConnectionState.CONNECTED) {
                events.add(new RtcEvent.ConnectTimedOut());
            }
        }
        process();
    }

    /**
     * Moves what the layers queued outside a call of this core (the owner changed DTLS or SCTP directly, or asked for
     * a drain): the same as the end of every other call.
     */
    void poll(long now) {
        advance(now);
        if (!closed) {
            process();
        }
    }

    /** After {@link #close}: whether ICE has released its TURN allocations (the owner may close its sockets then). */
    boolean iceClosed() {
        return ice.isClosed();
    }

    /** The next datagram to write: the socket, the destination and the bytes. */
    Optional<IceTransmit> pollTransmit() {
        return Optional.ofNullable(out.poll());
    }

    Optional<RtcEvent> pollEvent() {
        return Optional.ofNullable(events.poll());
    }

    /** Aborts SCTP, closes the media engine and DTLS, and ICE; what they send is queued. */
    void close(long now) {
        close(now, "closed");
    }

    /** As {@link #close(long)}, with the reason SCTP's ABORT gives. */
    void close(long now, String why) {
        advance(now);
        if (closed) {
            return;
        }
        closing = true;
        transport.sctp.abort(why);
        transport.media.close(this.now);
        process();
        transport.closeDtls();
        ice.close(this.now);
        moveIceTransmits();
        closed = true;
        updateConnectionState();
    }

    // =====================================================================================================
    // State
    // =====================================================================================================

    RtcPeerConnectionState connectionState() {
        return state;
    }

    IceConnectionState iceConnectionState() {
        return iceState;
    }

    DtlsState dtlsState() {
        return transport.dtlsState();
    }

    Optional<IceCandidatePair> selectedPair() {
        return ice.selectedPair();
    }

    /** ICE's counters and candidate pairs. */
    io.jrtc.ice.IceStats iceStats() {
        return ice.stats();
    }

    /**
     * The W3C statistics of every layer at {@code now}: transport, candidate pairs (the selected one from the same
     * snapshot as the list, so the two always agree), candidates, SCTP, data channels, RTP streams.
     */
    RtcStatsReport stats(long now) {
        advance(now);
        io.jrtc.ice.IceStats iceStats = ice.stats();
        return stats.collect(this.now, transport, certificate.fingerprint(), iceStats, iceStats.selectedPair(),
                transport.visibleDtls(), transport.sctp.stats(), transport.sctp.liveChannels(),
                transport.media.stats(this.now));
    }

    /** DTLS, SCTP/DCEP and SRTP (the façade's JSEP and W3C getters read and set them directly). */
    TransportCore transport() {
        return transport;
    }

    /** The data channels that are open, opening or closing. */
    java.util.Collection<DataChannel> dataChannels() {
        return transport.sctp.liveChannels();
    }

    /** The media engine: transceivers are negotiated by the façade (JSEP); its SRTP keys come from DTLS here. */
    MediaEngine media() {
        return transport.media;
    }

    io.jrtc.datachannel.DataChannelEndpointStats sctpStats() {
        return transport.sctp.stats();
    }

    // =====================================================================================================
    // Inside
    // =====================================================================================================

    private void advance(long t) {
        if (t > now) {
            now = t;
        }
    }

    /** Moves everything until nothing moves: ICE's events, deferred work, the transport's drain; then ICE's output. */
    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            for (int guard = 0; guard < 10_000; guard++) {
                boolean moved = false;
                for (Optional<IceEvent> e = ice.pollEvent(); e.isPresent(); e = ice.pollEvent()) {
                    moved = true;
                    onIceEvent(e.get());
                }
                for (Runnable r = later == null ? null : later.poll(); r != null; r = later.poll()) {
                    moved = true;
                    r.run();
                }
                drainWanted.set(false);
                while (transport.drainOnce(now)) {
                    moved = true;
                }
                if (transport.afterConnected(now)) {
                    moved = true;
                    updateConnectionState();
                }
                if (!moved) {
                    break;
                }
            }
        } finally {
            processing = false;
        }
        moveIceTransmits();
    }

    /** Work deferred to the end of the current call. */
    private void later(Runnable r) {
        if (later == null) {
            later = new ArrayDeque<>(2);
        }
        later.add(r);
    }

    /** After {@link #close}: ICE's transmits (TURN deallocations) go out; its events have nobody left to tell. */
    private void afterClose() {
        while (ice.pollEvent().isPresent()) {
            // discarded: the connection is closed
        }
        moveIceTransmits();
    }

    private void moveIceTransmits() {
        for (Optional<IceTransmit> t = ice.pollTransmit(); t.isPresent(); t = ice.pollTransmit()) {
            out.add(t.get());
        }
    }

    private void onIceEvent(IceEvent e) {
        switch (e) {
            case IceEvent.LocalCandidate c -> events.add(new RtcEvent.LocalCandidate(c.candidate()));
            case IceEvent.GatheringStateChanged g -> events.add(new RtcEvent.GatheringStateChanged(g.state()));
            case IceEvent.ConnectionStateChanged s -> onIceState(s.state());
            case IceEvent.SelectedPairChanged p -> onSelectedPair(p.pair());
            case IceEvent.ApplicationData d -> {
                if (d.data().hasRemaining()) {
                    transport.handleDatagram(now, d.data());
                }
            }
            case IceEvent.RoleChanged r -> events.add(new RtcEvent.IceRoleChanged(r.role()));
            case IceEvent.Error err -> LOG.debug("{}: ICE error {}", logId, err);
            case IceEvent.OpenStream o -> events.add(new RtcEvent.SocketRequest(o));
            case IceEvent.CloseStream c -> events.add(new RtcEvent.SocketRequest(c));
            case IceEvent.ResolveHost r -> events.add(new RtcEvent.SocketRequest(r));
        }
    }

    /** A path back after a loss is told to SCTP ({@link TransportCore#iceStateChanged}); DTLS starts when ICE is up. */
    private void onIceState(IceConnectionState s) {
        IceConnectionState previous = iceState;
        if (s == previous) {
            return;
        }
        iceState = s;
        LOG.debug("{}: ICE {}", logId, s);
        transport.iceStateChanged(now, previous, s);
        events.add(new RtcEvent.IceStateChanged(s));
        maybeStartDtls();
        updateConnectionState();
    }

    private void onSelectedPair(IceCandidatePair p) {
        events.add(new RtcEvent.SelectedPairChanged(p));
        transport.selectedPairChanged(now, p);
    }

    private void maybeStartDtls() {
        transport.maybeStartDtls(now, iceState);
    }

    /** The W3C RTCPeerConnectionState over ICE, DTLS and SCTP ({@link TransportCore#connectionState}), as an event. */
    private void updateConnectionState() {
        RtcPeerConnectionState s = transport.connectionState(closing, false, iceState);
        if (s == RtcPeerConnectionState.CONNECTED) {
            limits.cancelConnectTimer();
        }
        if (s != state) {
            state = s;
            LOG.debug("{}: connection {}", logId, s);
            events.add(new RtcEvent.ConnectionStateChanged(s));
        }
    }

    /** The transport core's view of this composite. */
    private final class Edge implements TransportCore.Edge {
        @Override
        public void send(ByteBuffer datagram) {
            ice.sendOwned(now, datagram); // DTLS records and SRTP packets are fresh arrays that nobody writes again
        }

        @Override
        public void requestDrain() {
            if (drainWanted.compareAndSet(false, true) && !processing) {
                wake.run();
            }
        }

        @Override
        public void maybeStartDtlsLater() {
            host.runLater(() -> {
                advance(host.nanoTime());
                if (!closed) {
                    maybeStartDtls();
                    process();
                }
            });
        }

        @Override
        public Executor handshakeExecutor(Executor configured) {
            return handshakeExecutor != null ? handshakeExecutor : host.handshakeExecutor(configured);
        }

        @Override
        public void deadlineMoved() {
            // pollTimeout() is asked after every call
        }

        @Override
        public String logId() {
            return logId;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public RtcConfiguration config() {
            return config;
        }

        @Override
        public DtlsCertificate certificate() {
            return certificate;
        }

        @Override
        public void updateConnectionState() {
            RtcCore.this.updateConnectionState();
        }

        @Override
        public void fireDataChannel(DataChannel ch) {
            host.dataChannel(ch);
        }

        @Override
        public boolean dataNegotiated() {
            return host.dataNegotiated();
        }

        @Override
        public TapPoint tapPoint(PacketTap tap, Consumer<ByteBuffer> send, Consumer<ByteBuffer> receive) {
            return host.tapPoint(tap, send, receive);
        }
    }

    /** The core as its own host: the virtual clock (the last {@code now}), deferred work in its next call, events. */
    private final class OwnHost implements RtcHost {
        private final MediaHost media = new MediaHost();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public MediaEngine.Host media() {
            return media;
        }

        @Override
        public Executor handshakeExecutor(Executor configured) {
            return configured;
        }

        @Override
        public void runLater(Runnable r) {
            later(r);
        }

        @Override
        public TapPoint tapPoint(PacketTap tap, Consumer<ByteBuffer> send, Consumer<ByteBuffer> receive) {
            throw new IllegalStateException("no packet tap without the Netty edge");
        }

        @Override
        public void dataChannel(DataChannel ch) {
            events.add(new RtcEvent.DataChannelOpened(ch));
        }

        @Override
        public boolean dataNegotiated() {
            return dataNegotiated;
        }
    }

    /** The media engine's view: the core's clock, one thread, deferred tasks, the drain. */
    private final class MediaHost implements MediaEngine.Host {
        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public boolean inLoop() {
            return true;
        }

        @Override
        public void execute(Runnable task) {
            later(task);
            if (!processing) {
                wake.run();
            }
        }

        @Override
        public void wake() {
            edge.requestDrain();
        }

        @Override
        public void negotiationNeeded() {
            LOG.debug("{}: negotiation needed (media is negotiated by the façade)", logId);
        }
    }
}
