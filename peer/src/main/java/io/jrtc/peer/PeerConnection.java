package io.jrtc.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.common.DtlsRole;
import io.jrtc.dtls.Fingerprint;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceRole;
import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.peer.internal.media.Transceiver;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpSender;
import io.jrtc.peer.media.RtpTransceiver;
import io.jrtc.peer.media.TrackEvent;
import io.jrtc.peer.media.TrackInit;
import io.jrtc.dtls.DtlsState;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebRTC peer connection in W3C naming ({@code RTCPeerConnection}): JSEP offer/answer, trickle ICE, DTLS and
 * SCTP data channels on one BUNDLEd transport.
 *
 * <p><b>Threads.</b> Each connection lives on one Netty event loop, chosen by its {@link PeerConnectionFactory}. Every
 * state change and every callback ({@code onIceCandidate}, {@code onDataChannel}, state changes, and the callbacks
 * of its {@link DataChannel}s) runs on that loop. The public methods of this class may be called from any thread: the
 * asynchronous ones ({@code createOffer}, {@code setRemoteDescription}, ...) hop onto the loop and complete their
 * future there; the synchronous ones ({@link #createDataChannel}, the state getters) run at once on the loop or
 * wait for it (at most a few seconds) when called from elsewhere. {@link DataChannel} methods must be called on the
 * loop (inside a callback, or through {@link #execute(Runnable)}); a callback must never block.
 *
 * <p><b>Wiring.</b> Datagrams from the selected ICE pair are demultiplexed by their first byte (RFC 7983): 20–63 go to
 * DTLS, whose application data is SCTP; 128–191 go to SRTP/SRTCP (the {@link MediaEngine}, keyed from the DTLS-SRTP
 * exporter, RFC 5764). DTLS starts once ICE has a selected pair; SCTP starts once DTLS is up and a data m-section is
 * negotiated. Timers of DTLS, SCTP and media (RTCP, NACK) share one scheduled task.
 *
 * <p><b>Structure.</b> This class is the W3C façade: the public API, the listeners, the states and the hop onto the
 * loop. JSEP (descriptions, signaling state transitions, candidates) is {@link Negotiation}. {@link PeerEdge} is the
 * Netty edge: the ICE transport (sockets), the one drain and the one timer. It feeds {@link TransportCore}, which runs
 * DTLS, SCTP and SRTP over the pair's datagrams without I/O (the RFC 7983 demultiplexing point is there).
 *
 * <p><b>Media.</b> {@link #addTrack}, {@link #addTransceiver} and {@link #onTrack} give W3C-shaped
 * {@link RtpTransceiver}s; their senders take RTP payloads or whole packets, their receivers hand decrypted RTP up
 * (package {@code io.jrtc.peer.media}).
 */
public final class PeerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final long BLOCKING_CALL_SECONDS = 10;
    static final SecureRandom RANDOM = new SecureRandom();

    private final RtcConfiguration config;
    private final EventLoop loop;
    private final DtlsCertificate certificate;
    private final String logId;
    private final String sessionId;
    private final ConnectionLimits limits;
    private final StatsCollector stats = new StatsCollector();
    /** The transports on the loop: ICE, DTLS, SCTP, media, the drain and the timer. */
    private final PeerEdge edge;
    /** DTLS, SCTP and SRTP over the ICE pair, without I/O (the edge feeds it). */
    private final TransportCore core;
    /** JSEP: descriptions, signaling, candidates. */
    private final Negotiation negotiation;
    private final MediaEngine media;

    // ---- states (written on the loop, read from any thread) ----
    private volatile RtcSignalingState signalingState = RtcSignalingState.STABLE;
    private volatile RtcPeerConnectionState connectionState = RtcPeerConnectionState.NEW;
    private volatile IceConnectionState iceConnectionState = IceConnectionState.NEW;
    private volatile IceGatheringState iceGatheringState = IceGatheringState.NEW;
    private volatile boolean closed;
    /** Why the connection failed for good without the application closing it (the connect timeout). */
    private volatile String failedCause;
    private boolean everConnected;
    private volatile IceRole iceRole;
    private volatile Boolean canTrickleIceCandidates;

    // ---- listeners (set from any thread, called on the loop) ----
    private volatile Consumer<RtcIceCandidate> onIceCandidate = c -> { };
    private volatile Consumer<DataChannel> onDataChannel = c -> { };
    private volatile Consumer<RtcPeerConnectionState> onConnectionStateChange = s -> { };
    private volatile Consumer<IceConnectionState> onIceConnectionStateChange = s -> { };
    private volatile Consumer<IceGatheringState> onIceGatheringStateChange = s -> { };
    private volatile Consumer<RtcSignalingState> onSignalingStateChange = s -> { };
    private volatile Runnable onNegotiationNeeded = () -> { };
    private volatile Consumer<TrackEvent> onTrack = e -> { };

    PeerConnection(PeerConnectionFactory factory, RtcConfiguration config, RtcLimits limits, LimitCounters counters,
            EventLoop loop) {
        this.config = Objects.requireNonNull(config, "config");
        this.loop = loop;
        this.certificate = config.certificates().isEmpty() ? factory.defaultCertificate() : config.certificates().get(0);
        this.sessionId = Long.toUnsignedString(RANDOM.nextLong() >>> 2);
        this.logId = "pc-" + sessionId.substring(Math.max(0, sessionId.length() - 6));
        this.limits = new ConnectionLimits(limits, counters, logId);
        this.edge = new PeerEdge(this, config, limits, counters, this.limits, stats, RANDOM.nextLong());
        this.core = edge.core;
        this.media = core.media;
        this.negotiation = new Negotiation(this, edge);
        media.onTrack(e -> onTrack.accept(e));
        edge.wire(negotiation);
        if (config.iceCandidatePoolSize() > 0) {
            loop.execute(negotiation::gatherAhead);
        }
    }

    // =====================================================================================================
    // W3C API
    // =====================================================================================================

    /** Creates an offer (W3C {@code createOffer}); completes on the loop. */
    public CompletableFuture<RtcSessionDescription> createOffer() {
        return createOffer(false);
    }

    /** Creates an offer; {@code iceRestart} asks for new ICE credentials, like {@code {iceRestart: true}}. */
    public CompletableFuture<RtcSessionDescription> createOffer(boolean iceRestart) {
        return onLoop("createOffer", () -> {
            checkOpen();
            return negotiation.createOffer(iceRestart);
        });
    }

    /** Creates an answer to the remote offer (W3C {@code createAnswer}); completes on the loop. */
    public CompletableFuture<RtcSessionDescription> createAnswer() {
        return onLoop("createAnswer", () -> {
            checkOpen();
            return negotiation.createAnswer();
        });
    }

    /** Applies a local description (W3C {@code setLocalDescription}). */
    public CompletableFuture<Void> setLocalDescription(RtcSessionDescription description) {
        return onLoop("setLocalDescription", () -> {
            checkOpen();
            negotiation.applyLocal(description);
            startConnectTimer();
            return null;
        });
    }

    /** The implicit form: creates the offer or answer that fits the signaling state and applies it. */
    public CompletableFuture<Void> setLocalDescription() {
        CompletableFuture<RtcSessionDescription> created = signalingState == RtcSignalingState.HAVE_REMOTE_OFFER ? createAnswer() : createOffer();
        return created.thenCompose(this::setLocalDescription);
    }

    /**
     * Applies the remote description (W3C {@code setRemoteDescription}). A description over
     * {@link RtcLimits#maxRemoteDescriptionBytes()} or with more than {@link RtcLimits#maxRemoteCandidates()}
     * candidates is refused, before it is parsed, with {@link PeerConnectionException.InvalidDescription} naming the
     * limit. The first description set (local or remote) starts the {@link RtcLimits#connectTimeout()}.
     */
    public CompletableFuture<Void> setRemoteDescription(RtcSessionDescription description) {
        return onLoop("setRemoteDescription", () -> {
            checkOpen();
            limits.checkRemoteDescription(description);
            negotiation.applyRemote(description);
            startConnectTimer();
            return null;
        });
    }

    /**
     * Adds a remote candidate (W3C {@code addIceCandidate}); an empty candidate means end-of-candidates. Candidates that
     * arrive before the remote description are held and applied with it. Fails with
     * {@link PeerConnectionException.LimitExceeded} beyond {@link RtcLimits#maxQueuedRemoteCandidates()} held, or
     * {@link RtcLimits#maxRemoteCandidates()} trickled for the current remote ICE generation.
     */
    public CompletableFuture<Void> addIceCandidate(RtcIceCandidate candidate) {
        return onLoop("addIceCandidate", () -> {
            checkOpen();
            negotiation.addIceCandidate(candidate, limits);
            return null;
        });
    }

    /**
     * Creates a data channel (W3C {@code createDataChannel}). The channel opens once the connection is up; its
     * callbacks run on this connection's event loop.
     *
     * @throws IllegalArgumentException for a bad label, protocol or init
     * @throws PeerConnectionException.InvalidState when the connection is closed
     * @throws PeerConnectionException.LimitExceeded when the connection has {@link RtcLimits#maxDataChannels()}
     *                                               channels (open, opening or closing, from either side)
     */
    public DataChannel createDataChannel(String label, DataChannelInit init) {
        return callOnLoop(() -> {
            checkOpen();
            limits.checkLocalChannel(core.sctp.liveChannels().size());
            DataChannel ch = core.sctp.createDataChannel(label, init == null ? DataChannelInit.DEFAULT : init);
            boolean first = negotiation.dataChannelCreated();
            stats.channelOpened(ch);
            if (first) {
                onNegotiationNeeded.run();
            }
            edge.requestDrain();
            return ch;
        });
    }

    /** A data channel with default options (reliable, ordered). */
    public DataChannel createDataChannel(String label) {
        return createDataChannel(label, DataChannelInit.DEFAULT);
    }

    /**
     * W3C {@code addTrack}: a sender for a new track of this kind. Reuses a transceiver of the same kind that a remote
     * offer created and that never had a track (its direction gains {@code send}); otherwise adds a transceiver with
     * {@code init}'s direction (sendrecv by default). Fires {@code onNegotiationNeeded}.
     *
     * @throws PeerConnectionException.InvalidState when the connection is closed
     */
    public RtpSender addTrack(MediaKind kind, TrackInit init) {
        Objects.requireNonNull(kind, "kind");
        return callOnLoop(() -> {
            checkOpen();
            Transceiver t = media.addTrack(kind, init == null ? TrackInit.DEFAULT : init);
            onNegotiationNeeded.run();
            return t.sender();
        });
    }

    /** {@link #addTrack(MediaKind, TrackInit)} with default codecs, random ids and SSRC. */
    public RtpSender addTrack(MediaKind kind) {
        return addTrack(kind, TrackInit.DEFAULT);
    }

    /**
     * W3C {@code addTransceiver}: a new transceiver (direction from {@code init}, sendrecv by default), offered in the
     * next offer with a new mid. Fires {@code onNegotiationNeeded}.
     */
    public RtpTransceiver addTransceiver(MediaKind kind, TrackInit init) {
        Objects.requireNonNull(kind, "kind");
        return callOnLoop(() -> {
            checkOpen();
            Transceiver t = media.addTransceiver(kind, init == null ? TrackInit.DEFAULT : init);
            onNegotiationNeeded.run();
            return t;
        });
    }

    /** {@link #addTransceiver(MediaKind, TrackInit)} with the defaults. */
    public RtpTransceiver addTransceiver(MediaKind kind) {
        return addTransceiver(kind, TrackInit.DEFAULT);
    }

    /** W3C {@code getTransceivers}: every transceiver, in creation order. */
    public List<RtpTransceiver> getTransceivers() {
        return List.copyOf(media.transceivers());
    }

    /** Marks that the next offer restarts ICE (W3C {@code restartIce}) and fires {@code onNegotiationNeeded}. */
    public void restartIce() {
        execute(() -> {
            if (!closed) {
                negotiation.requestRestart();
                onNegotiationNeeded.run();
            }
        });
    }

    /** The statistics (W3C {@code getStats}): transport, selected candidate pair, candidates, data channels. */
    public CompletableFuture<RtcStatsReport> getStats() {
        return onLoop("getStats", () -> edge.rtc.stats(System.nanoTime()));
    }

    /** Closes the connection: channels close, DTLS sends close_notify, TURN allocations are released. Idempotent. */
    @Override
    public void close() {
        if (loop.inEventLoop()) {
            closeOnLoop();
        } else {
            try {
                loop.submit(this::closeOnLoop).get(BLOCKING_CALL_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("{}: close did not finish cleanly: {}", logId, e.toString());
            } catch (RejectedExecutionException e) {
                // the factory was closed first: its loops are gone, and this connection's sockets and timer with them
                LOG.debug("{}: closed after its factory's event loop had shut down: nothing left to close", logId);
            }
        }
    }

    /** Runs {@code task} on this connection's event loop (at once when already there). */
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public RtcSignalingState signalingState() {
        return signalingState;
    }

    public RtcPeerConnectionState connectionState() {
        return connectionState;
    }

    public IceConnectionState iceConnectionState() {
        return iceConnectionState;
    }

    public IceGatheringState iceGatheringState() {
        return iceGatheringState;
    }

    /**
     * The applied local description: pending if any, else current (W3C {@code localDescription}), with every
     * candidate gathered so far and, once gathering is complete, {@code a=end-of-candidates}: what an application
     * sends to a peer that does not trickle, after {@code iceGatheringState} became complete.
     */
    public Optional<RtcSessionDescription> localDescription() {
        return callOnLoop(negotiation::localDescription);
    }

    /** The applied remote description: pending if any, else current (W3C {@code remoteDescription}). */
    public Optional<RtcSessionDescription> remoteDescription() {
        return callOnLoop(negotiation::remoteDescription);
    }

    /**
     * W3C {@code RTCIceTransport.role}: controlling or controlled, null before the first description. Against an
     * ice-lite peer we are always controlling (RFC 8445 section 6.1.1) and nominate.
     */
    public IceRole iceRole() {
        return iceRole;
    }

    /**
     * W3C {@code canTrickleIceCandidates}: whether the remote description announced {@code a=ice-options:trickle}; null
     * before a remote description. When false, the peer takes no trickled candidates: send it
     * {@link #localDescription()} once {@link #iceGatheringState()} is complete.
     */
    public Boolean canTrickleIceCandidates() {
        return canTrickleIceCandidates;
    }

    /** The negotiated DTLS suite's IANA name once DTLS has connected, else null (for stats). */
    String dtlsCipher() {
        return core.dtlsCipher();
    }

    /**
     * The remote certificate DTLS refused for its validity dates ({@code DtlsConfig.checkPeerCertificateValidity} in
     * {@link RtcConfiguration#dtlsTuning()}), once the connection failed for it; empty otherwise. Any thread.
     */
    public java.util.Optional<io.jrtc.dtls.RefusedCertificate> refusedRemoteCertificate() {
        return java.util.Optional.ofNullable(core.refusedRemoteCertificate());
    }

    /** The remote certificate's fingerprint ({@code "sha-256 ..."}) once DTLS has connected, else null (for stats). */
    String remoteCertificateFingerprint() {
        return core.remoteCertificateFingerprint();
    }

    /** The DTLS certificate's SHA-256 fingerprint, as it appears in our descriptions. */
    public Fingerprint localFingerprint() {
        return certificate.fingerprint();
    }

    /** The selected ICE candidate pair, if any. */
    public Optional<IceCandidatePair> selectedCandidatePair() {
        return callOnLoop(edge.rtc::selectedPair);
    }


    public PeerConnection onIceCandidate(Consumer<RtcIceCandidate> l) {
        onIceCandidate = Objects.requireNonNull(l);
        return this;
    }

    public PeerConnection onDataChannel(Consumer<DataChannel> l) {
        onDataChannel = Objects.requireNonNull(l);
        return this;
    }

    public PeerConnection onConnectionStateChange(Consumer<RtcPeerConnectionState> l) {
        onConnectionStateChange = Objects.requireNonNull(l);
        return this;
    }

    public PeerConnection onIceConnectionStateChange(Consumer<IceConnectionState> l) {
        onIceConnectionStateChange = Objects.requireNonNull(l);
        return this;
    }

    public PeerConnection onIceGatheringStateChange(Consumer<IceGatheringState> l) {
        onIceGatheringStateChange = Objects.requireNonNull(l);
        return this;
    }

    public PeerConnection onSignalingStateChange(Consumer<RtcSignalingState> l) {
        onSignalingStateChange = Objects.requireNonNull(l);
        return this;
    }

    public PeerConnection onNegotiationNeeded(Runnable l) {
        onNegotiationNeeded = Objects.requireNonNull(l);
        return this;
    }

    /**
     * W3C {@code ontrack}: the remote description says the remote sends on a transceiver. Runs on the loop during
     * {@code setRemoteDescription}; set {@code event.receiver().onRtp(...)} there.
     */
    public PeerConnection onTrack(Consumer<TrackEvent> l) {
        onTrack = Objects.requireNonNull(l);
        return this;
    }

    @Override
    public String toString() {
        return logId + "[" + signalingState + ", " + connectionState + "]";
    }

    // =====================================================================================================
    // For the parts: states, listeners (loop only)
    // =====================================================================================================

    RtcConfiguration config() {
        return config;
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    String sessionId() {
        return sessionId;
    }

    boolean isClosed() {
        return closed;
    }

    void iceRoleChanged(IceRole role) {
        iceRole = role;
    }

    void canTrickleIceCandidates(boolean trickle) {
        canTrickleIceCandidates = trickle;
    }

    void iceConnectionStateChanged(IceConnectionState s) {
        iceConnectionState = s;
    }

    void fireIceConnectionStateChange(IceConnectionState s) {
        onIceConnectionStateChange.accept(s);
    }

    /** The gathering state becomes {@code s}; {@code first} runs before the listener is told. */
    void iceGatheringStateChanged(IceGatheringState s, Runnable first) {
        iceGatheringState = s;
        first.run();
        onIceGatheringStateChange.accept(s);
    }

    void fireIceCandidate(RtcIceCandidate c) {
        onIceCandidate.accept(c);
    }

    void fireDataChannel(DataChannel ch) {
        onDataChannel.accept(ch);
    }

    void fireNegotiationNeeded() {
        onNegotiationNeeded.run();
    }

    /** How many gathering events wait for {@code setLocalDescription} (tests of {@code iceCandidatePoolSize}). */
    CompletableFuture<Integer> gatheringEventsHeld() {
        return onLoop("gatheringEventsHeld", negotiation::gatheringEventsHeld);
    }

    // =====================================================================================================
    // States
    // =====================================================================================================

    void setSignalingState(RtcSignalingState s) {
        if (signalingState != s) {
            signalingState = s;
            onSignalingStateChange.accept(s);
        }
    }

    /**
     * Test seam (package-private, for tests only): drops every inbound SCTP packet (decrypted DTLS application data)
     * for which {@code drop} is true, before the association sees it; null drops none. Any thread.
     */
    void dropInboundSctpForTesting(Predicate<ByteBuffer> drop) {
        core.dropInboundSctp(drop);
    }

    /**
     * The W3C RTCPeerConnectionState algorithm over our one ICE and one DTLS transport, plus SCTP: a failed SCTP
     * association (see {@link PeerEdge}) makes the state {@code FAILED}.
     */
    void updateConnectionState() {
        RtcPeerConnectionState s = core.connectionState(closed, failedCause != null, iceConnectionState);
        if (s == RtcPeerConnectionState.CONNECTED && !everConnected) {
            everConnected = true;
            limits.cancelConnectTimer();
        }
        if (s != connectionState) {
            connectionState = s;
            if (s == RtcPeerConnectionState.CONNECTING || s == RtcPeerConnectionState.NEW) {
                LOG.debug("{}: connection {}", logId, s);
            } else {
                LOG.info("{}: connection {}", logId, s);
            }
            onConnectionStateChange.accept(s);
        }
    }

    private void closeOnLoop() {
        if (closed) {
            return;
        }
        releaseTransports("peer connection closed");
        closed = true;
        iceConnectionState = IceConnectionState.CLOSED;
        setSignalingState(RtcSignalingState.CLOSED);
        updateConnectionState();
        LOG.debug("{}: closed", logId);
    }

    /** The first description starts the connect timer (in the core; the edge's one scheduled task includes it). */
    private void startConnectTimer() {
        edge.startConnectTimer();
    }

    /**
     * {@link RtcLimits#connectTimeout()} passed without the connection reaching {@code CONNECTED}: it fails for good,
     * with one WARN line naming the cause, and releases its transports (ICE sockets and TURN allocations, DTLS, SCTP,
     * timers) and its factory slot. The {@code FAILED} state change is its last callback. Loop only.
     */
    void connectTimedOut() {
        if (closed || edge.released() || everConnected) {
            limits.cancelConnectTimer();
            return;
        }
        limits.connectTimedOut();
        String cause = "not connected within " + limits.limits().connectTimeout().toMillis()
                + " ms of the first description (RtcLimits.connectTimeout)";
        LOG.warn("{}: {}: {}, ICE {}, DTLS {}; connection failed, sockets and timers released", logId, cause,
                negotiation.remoteSeen(), iceConnectionState, core.dtlsState());
        failedCause = cause;
        releaseTransports(cause);
        iceConnectionState = IceConnectionState.CLOSED; // the ICE transport is closed; the connection state says FAILED
        updateConnectionState();
    }

    /** Closes every transport and timer and gives the factory its slot back; once. Loop only. */
    private void releaseTransports(String why) {
        if (edge.released()) {
            return;
        }
        limits.cancelConnectTimer();
        edge.releaseTransports(why);
        limits.releaseSlot();
    }

    private void checkOpen() {
        if (closed) {
            throw new PeerConnectionException.InvalidState("the peer connection is closed");
        }
        if (failedCause != null) {
            throw new PeerConnectionException.InvalidState("the peer connection failed: " + failedCause);
        }
    }

    // =====================================================================================================
    // Loop plumbing
    // =====================================================================================================

    private <T> CompletableFuture<T> onLoop(String what, Supplier<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            execute(() -> {
                try {
                    f.complete(body.get());
                } catch (PeerConnectionException e) {
                    LOG.debug("{}: {} refused: {}", logId, what, e.getMessage());
                    f.completeExceptionally(e);
                } catch (RuntimeException e) {
                    LOG.warn("{}: {} failed", logId, what, e);
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(loopGone(what));
        }
        return f;
    }

    /** W3C's InvalidStateError for a call made after the factory (and so this connection's loop) was closed. */
    private PeerConnectionException.InvalidState loopGone(String what) {
        LOG.warn("{}: {} refused: the PeerConnectionFactory was closed before this connection", logId, what);
        return new PeerConnectionException.InvalidState(
                "the PeerConnectionFactory was closed before this connection: its event loop has shut down");
    }

    private <T> T callOnLoop(Supplier<T> body) {
        if (loop.inEventLoop()) {
            return body.get();
        }
        try {
            return loop.submit(body::get).get(BLOCKING_CALL_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw loopGone("a call");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerConnectionException.InvalidState("interrupted while waiting for the event loop");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(logId + ": the event loop did not answer in " + BLOCKING_CALL_SECONDS + " s", e);
        }
    }

    // accessors for the stats collector
    DtlsRole dtlsRole() {
        return core.dtlsRole();
    }

    String logId() {
        return logId;
    }
}
