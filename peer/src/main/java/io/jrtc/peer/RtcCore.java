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
 * {@link #pollTransmit()} returns. TURN, TCP candidates and host names (ICE's stream and resolve events) are the
 * Netty edge's; this core logs and ignores them. Single-threaded, except the {@code wake} above.
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
    private final ArrayDeque<IceTransmit> out = new ArrayDeque<>();
    private final ArrayDeque<RtcEvent> events = new ArrayDeque<>();
    /** Work deferred to the end of the current call (a held DTLS start, a media task). */
    private final ArrayDeque<Runnable> later = new ArrayDeque<>();
    /** Set from any thread (DTLS's handshake, an application's send): the next {@link #pollTimeout()} is now. */
    private final AtomicBoolean drainWanted = new AtomicBoolean();
    private final Edge edge = new Edge();

    /** The last time given in: the clock of everything inside. */
    private long now;
    private boolean dataNegotiated;
    private boolean closed;
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
        this.logId = Objects.requireNonNull(logId, "logId");
        this.config = Objects.requireNonNull(config, "config");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.handshakeExecutor = handshakeExecutor;
        this.wake = Objects.requireNonNull(wake, "wake");
        this.now = now;
        if (config.packetTap() != null) {
            throw new IllegalArgumentException("a packet tap needs the Netty edge's loop");
        }
        this.ice = new IceAgent(iceConfig, IceCredentials.random(iceConfig.random()));
        this.ice.setRole(role);
        RtcLimits limits = config.limits() == null ? RtcLimits.defaults() : config.limits();
        LimitCounters counters = new LimitCounters();
        this.transport = new TransportCore(edge, config, limits, counters,
                new ConnectionLimits(limits, counters, logId), new StatsCollector(), () -> this.now, new MediaHost(),
                0, mediaSeed);
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
        later.add(this::maybeStartDtls);
        process();
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
        advance(now);
        IceCredentials fresh = IceCredentials.random(ice.config().random());
        ice.restart(now, fresh);
        process();
        return fresh;
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

    /** A datagram arrived on socket {@code via} from {@code from}. */
    void handleInput(long now, SocketId via, InetSocketAddress from, ByteBuffer data) {
        advance(now);
        if (closed) {
            return;
        }
        ice.handleInput(now, via, from, data);
        process();
    }

    /** The earliest deadline of ICE and the transport core; {@code now} itself when a drain was asked for. */
    long pollTimeout() {
        if (closed) {
            return DatagramCore.NO_TIMEOUT;
        }
        if (drainWanted.get() || !later.isEmpty()) {
            return now;
        }
        return Math.min(ice.pollTimeout(), transport.pollTimeout());
    }

    /** The clock reached {@code now}: every layer whose deadline passed handles it, then what they queued moves. */
    void handleTimeout(long now) {
        advance(now);
        if (closed) {
            return;
        }
        if (ice.pollTimeout() <= this.now) {
            ice.handleTimeout(this.now);
        }
        transport.handleTimeout(this.now);
        process();
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
        advance(now);
        if (closed) {
            return;
        }
        transport.sctp.abort("closed");
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
                for (Runnable r = later.poll(); r != null; r = later.poll()) {
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
            case IceEvent.RoleChanged r -> LOG.debug("{}: ICE role {}", logId, r.role());
            case IceEvent.Error err -> LOG.debug("{}: ICE error {}", logId, err);
            default -> LOG.debug("{}: ignored (no sockets here): {}", logId, e);
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
        RtcPeerConnectionState s = transport.connectionState(closed, false, iceState);
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
            ice.send(now, datagram);
        }

        @Override
        public void requestDrain() {
            if (drainWanted.compareAndSet(false, true) && !processing) {
                wake.run();
            }
        }

        @Override
        public void maybeStartDtlsLater() {
            later.add(RtcCore.this::maybeStartDtls);
        }

        @Override
        public Executor handshakeExecutor(Executor configured) {
            return handshakeExecutor == null ? configured : handshakeExecutor;
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
            events.add(new RtcEvent.DataChannelOpened(ch));
        }

        @Override
        public boolean dataNegotiated() {
            return dataNegotiated;
        }

        @Override
        public TapPoint tapPoint(PacketTap tap, Consumer<ByteBuffer> send, Consumer<ByteBuffer> receive) {
            throw new IllegalStateException("no packet tap without the Netty edge");
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
            later.add(task);
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
