package io.jrtc.peer;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ErrorKind;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelEndpoint;
import io.jrtc.datachannel.DataChannelError;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.dtls.HandshakeThreads;
import io.jrtc.dtls.DtlsEndpoint;
import io.jrtc.dtls.DtlsEvent;
import io.jrtc.dtls.DtlsRole;
import io.jrtc.dtls.DtlsState;
import io.jrtc.dtls.Fingerprint;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.netty.IceTransport;
import io.jrtc.peer.internal.Candidates;
import io.jrtc.peer.internal.Jsep;
import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.peer.internal.media.Transceiver;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpSender;
import io.jrtc.peer.media.RtpTransceiver;
import io.jrtc.peer.media.TrackEvent;
import io.jrtc.peer.media.TrackInit;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.sdp.Candidate;
import io.jrtc.sdp.FingerprintAttribute;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.Origin;
import io.jrtc.sdp.SdpParseException;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.sdp.Setup;
import io.jrtc.srtp.SrtpKeys;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p><b>Media.</b> {@link #addTrack}, {@link #addTransceiver} and {@link #onTrack} give W3C-shaped
 * {@link RtpTransceiver}s; their senders take RTP payloads or whole packets, their receivers hand decrypted RTP up
 * (package {@code io.jrtc.peer.media}).
 */
public final class PeerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final int MAX_EARLY_DTLS = 32;
    private static final long BLOCKING_CALL_SECONDS = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RtcConfiguration config;
    private final EventLoop loop;
    private final DtlsCertificate certificate;
    private final IceTransport ice;
    private final DataChannelEndpoint sctp;
    private volatile String dtlsCipher;
    private volatile String remoteCertificateFingerprint;
    private volatile io.jrtc.dtls.RefusedCertificate refusedRemoteCertificate;
    private final MediaEngine media;
    private final String logId;
    private final String sessionId;
    private final ConnectionLimits limits;

    // ---- loop-confined state ----
    private long sessionVersion = 1;
    private volatile RtcSignalingState signalingState = RtcSignalingState.STABLE;
    private volatile RtcPeerConnectionState connectionState = RtcPeerConnectionState.NEW;
    private volatile IceConnectionState iceConnectionState = IceConnectionState.NEW;
    private volatile IceGatheringState iceGatheringState = IceGatheringState.NEW;
    private volatile boolean closed;
    /** Transports, sockets and timers released (by close, or by the connect timeout). Loop only. */
    private boolean released;
    /** Why the connection failed for good without the application closing it (the connect timeout). */
    private volatile String failedCause;
    private boolean everConnected;
    private volatile IceRole iceRole;
    private volatile Boolean canTrickleIceCandidates;

    private SessionDescription currentLocal;
    /** Whether {@link #currentLocal} was our offer (else our answer); the remote one is the other kind. */
    private boolean currentLocalIsOffer;
    private SessionDescription pendingLocal;
    private SessionDescription currentRemote;
    private SessionDescription pendingRemote;
    private SessionDescription lastCreatedOffer;
    private SessionDescription lastCreatedAnswer;

    private String dataMid;
    private int dataMLineIndex = -1;
    /** Whether the application created a data channel (so offers carry a data m-section even with media). */
    private boolean dataChannelRequested;
    private boolean gatheringStarted;
    /** Gathering events are announced once a local description is set; before, they wait here (loop only). */
    private boolean announceGathering;
    private final List<Runnable> heldGatheringEvents = new ArrayList<>();
    private final List<Candidate> localCandidates = new ArrayList<>();
    private boolean localEndOfCandidates;
    private IceCredentials localCredentials;
    private IceCredentials offeredRestartCredentials;
    private boolean restartRequested;
    private String remoteUfrag;
    private String remotePwd;
    private boolean remoteEndOfCandidates;
    private final ArrayDeque<RtcIceCandidate> queuedRemoteCandidates = new ArrayDeque<>();

    private DtlsRole dtlsRole;
    private List<Fingerprint> remoteFingerprints = List.of();
    private DtlsEndpoint dtls;
    /**
     * The DTLS client was started before ICE connected and its ClientHello is held (not sent) until ICE connects: see
     * {@link #maybeStartDtls()}. Loop only.
     */
    private boolean dtlsHeld;
    private long dtlsHeldSince;
    private boolean dtlsHeadStartTaken;
    private boolean dtlsHeadStartDue;
    /** DTLS connected inside a pump: the connection state is updated at the end of that pump (loop only). */
    private boolean connectionStateDue;
    private DtlsEvent.Connected srtpDue;
    private DtlsState dtlsState = DtlsState.NEW;
    private final ArrayDeque<ByteBuffer> earlyDtls = new ArrayDeque<>();
    private boolean sctpStarted;
    /** Whether the SCTP association was ever established. Loop only. */
    private boolean sctpConnected;
    /** The selected ICE pair, as last reported (loop). */
    private IceCandidatePair selectedPair;
    /**
     * ICE went {@code disconnected} or {@code failed} since SCTP was last told the path works: when ICE is connected
     * again (consent answers back, or an ICE restart after consent expired), SCTP is told. Loop only.
     */
    private boolean pathLost;
    /**
     * Whether SCTP failed: it never came up after DTLS (INITs unanswered, an ABORT during setup), or it died of
     * timeouts or a protocol error later. The connection state then reports {@code FAILED}. Loop only.
     */
    private boolean sctpFailed;
    /** Test seam: inbound SCTP packets for which this is true are dropped before the association sees them. */
    private volatile Predicate<ByteBuffer> sctpInboundDrop;
    /** {@link RtcConfiguration#packetTap()} between SCTP and DTLS, or null (the production path). */
    private final TapPoint tapPoint;

    private ScheduledFuture<?> timer;
    private long timerDeadline = DatagramCore.NO_TIMEOUT;
    private final AtomicBoolean pumpQueued = new AtomicBoolean();
    private boolean pumping;

    private final StatsCollector stats = new StatsCollector();

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
        IceConfig.Builder ib = (config.iceTuning() == null ? IceConfig.builder() : config.iceTuning().toBuilder())
                .servers(config.iceServers())
                .policy(config.iceTransportPolicy());
        if (!config.bindAddresses().isEmpty() || !config.bindInterfaces().isEmpty()) {
            ib.bindAddresses(config.bindAddresses()).bindInterfaces(config.bindInterfaces());
        }
        this.ice = new IceTransport(loop, ib.build());
        this.localCredentials = ice.localCredentials();
        SctpConfig sc = (config.sctpTuning() == null ? SctpConfig.builder() : config.sctpTuning().toBuilder())
                .maxMessageSize(config.maxMessageSize())
                .maxSendBuffer(Math.max(limits.maxBufferedBytes(), config.maxMessageSize())).build();
        this.sctp = new DataChannelEndpoint(sc, System::nanoTime, this::requestPump, logId);
        long perChannel = Math.max(limits.maxBufferedBytesPerChannel(), config.maxMessageSize());
        if (perChannel < sc.maxSendBuffer()) {
            sctp.setMaxBufferedAmountPerChannel(perChannel);
        }
        sctp.onDataChannel(ch -> {
            if (this.limits.refuseRemoteChannel(ch, sctp.liveChannels().size())) {
                ch.close(); // resets its stream: the peer sees its channel close
                return;
            }
            stats.channelOpened(ch);
            onDataChannel.accept(ch);
        });
        sctp.onSendBufferFull(counters.sendsRefusedBufferFull::increment);
        sctp.onConnected(() -> {
            sctpConnected = true;
            LOG.debug("{}: SCTP association established", logId);
        });
        sctp.onTransportClosed(this::onSctpClosed);
        this.tapPoint = config.packetTap() == null ? null : new TapPoint(config.packetTap(), loop, this::sendTapped, this::receiveTapped);
        this.media = new MediaEngine(new MediaHost(), logId, System.currentTimeMillis() * 1_000_000L - System.nanoTime(),
                RANDOM.nextLong());
        media.onTrack(e -> onTrack.accept(e));
        ice.onLocalCandidate(this::onLocalIceCandidate);
        ice.onGatheringStateChange(this::onIceGathering);
        ice.onConnectionStateChange(this::onIceState);
        ice.onData(this::onIceData);
        ice.onSelectedPairChange(this::onSelectedPair);
        ice.onRoleChange(r -> iceRole = r);
        ice.onError(e -> LOG.debug("{}: ICE error {}", logId, e));
        if (config.iceCandidatePoolSize() > 0) {
            loop.execute(this::gatherAhead);
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
            if (signalingState != RtcSignalingState.STABLE && signalingState != RtcSignalingState.HAVE_LOCAL_OFFER) {
                throw new PeerConnectionException.InvalidState("createOffer in signaling state " + signalingState);
            }
            boolean restart = iceRestart || restartRequested || iceConnectionState == IceConnectionState.FAILED && currentRemote != null;
            IceCredentials creds = localCredentials;
            if (restart && currentRemote != null) {
                creds = offeredRestartCredentials != null ? offeredRestartCredentials : IceCredentials.random(RANDOM);
                offeredRestartCredentials = creds;
            }
            List<MediaDescription> sections = offerSections();
            boolean freshCreds = creds != localCredentials;
            Jsep.LocalTransport t = new Jsep.LocalTransport(creds.ufrag(), creds.pwd(), List.of(fingerprintAttribute()),
                    Setup.ACTPASS, freshCreds ? List.of() : localCandidates, !freshCreds && localEndOfCandidates);
            SessionDescription offer = Jsep.offer(nextOrigin(), t, sections);
            lastCreatedOffer = offer;
            return RtcSessionDescription.offer(offer.serialize());
        });
    }

    /** Creates an answer to the remote offer (W3C {@code createAnswer}); completes on the loop. */
    public CompletableFuture<RtcSessionDescription> createAnswer() {
        return onLoop("createAnswer", () -> {
            checkOpen();
            if (signalingState != RtcSignalingState.HAVE_REMOTE_OFFER && signalingState != RtcSignalingState.HAVE_LOCAL_PRANSWER) {
                throw new PeerConnectionException.InvalidState("createAnswer in signaling state " + signalingState);
            }
            SessionDescription offer = pendingRemote;
            // RFC 5763 §5 / RFC 8842: answer actpass with active (we become the DTLS client, as browsers do); once DTLS
            // runs, keep the role it has in every later answer.
            Setup setup = dtlsRole != null ? setupFor(dtlsRole) : Setup.answerFor(remoteSetup(offer));
            Jsep.LocalTransport t = new Jsep.LocalTransport(localCredentials.ufrag(), localCredentials.pwd(),
                    List.of(fingerprintAttribute()), setup, localCandidates, localEndOfCandidates);
            SessionDescription answer = Jsep.answer(nextOrigin(), t, offer, (index, m) -> {
                if (m.isDataChannel() && index == dataMLineIndex) {
                    // In the offerer's SDP form and proto (RFC 8841 or the sctpmap draft form; see Jsep.dataAnswer).
                    SctpConfig sc = sctp.association().config();
                    return Jsep.dataAnswer(m, sc.localPort(), sc.maxInboundStreams(), config.maxMessageSize());
                }
                if (MediaKind.fromSdp(m.kind()) != null && MediaDescription.PROTO_RTP_SAVPF.equals(m.proto())) {
                    return media.answerSection(m);
                }
                LOG.debug("{}: rejecting m-section {} ({}): not supported", logId, index, m.kind());
                return null;
            });
            lastCreatedAnswer = answer;
            return RtcSessionDescription.answer(answer.serialize());
        });
    }

    /** Applies a local description (W3C {@code setLocalDescription}). */
    public CompletableFuture<Void> setLocalDescription(RtcSessionDescription description) {
        return onLoop("setLocalDescription", () -> {
            checkOpen();
            applyLocal(description);
            limits.startConnectTimer(loop, this::onConnectTimeout);
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
            applyRemote(description);
            limits.startConnectTimer(loop, this::onConnectTimeout);
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
            if (remoteUfrag == null) {
                limits.checkQueuedCandidate(queuedRemoteCandidates.size());
                queuedRemoteCandidates.add(candidate);
                return null;
            }
            if (!candidate.isEndOfCandidates()) {
                limits.checkTrickledCandidate(remoteUfrag);
            }
            applyRemoteCandidate(candidate);
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
            limits.checkLocalChannel(sctp.liveChannels().size());
            boolean first = dataMid == null && !dataChannelRequested;
            DataChannel ch = sctp.createDataChannel(label, init == null ? DataChannelInit.DEFAULT : init);
            dataChannelRequested = true;
            stats.channelOpened(ch);
            if (first) {
                onNegotiationNeeded.run();
            }
            requestPump();
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
                restartRequested = true;
                onNegotiationNeeded.run();
            }
        });
    }

    /** The statistics (W3C {@code getStats}): transport, selected candidate pair, candidates, data channels. */
    public CompletableFuture<RtcStatsReport> getStats() {
        return onLoop("getStats", () -> {
            long now = System.nanoTime();
            // The selected pair comes from the same snapshot as the pair list, so the two always agree.
            IceStats iceStats = ice.stats();
            // a held DTLS client (its ClientHello not sent yet) is reported as W3C sees it: "new"
            return stats.collect(now, this, iceStats, iceStats.selectedPair(), dtlsHeld ? null : dtls, sctp.stats(),
                    sctp.liveChannels(), media.stats(now));
        });
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
        return callOnLoop(() -> pendingLocal != null
                ? describe(withGathered(pendingLocal), signalingState == RtcSignalingState.HAVE_LOCAL_OFFER ? RtcSdpType.OFFER : RtcSdpType.PRANSWER)
                : describe(withGathered(currentLocal), currentLocalIsOffer ? RtcSdpType.OFFER : RtcSdpType.ANSWER));
    }

    /** {@code d} with our current candidates (and end-of-candidates) in its tagged m-section, if its ufrag is current. */
    private SessionDescription withGathered(SessionDescription d) {
        if (d == null) {
            return null;
        }
        return Jsep.withCandidates(d, localCredentials.ufrag(), localCandidates, localEndOfCandidates);
    }

    /** The applied remote description: pending if any, else current (W3C {@code remoteDescription}). */
    public Optional<RtcSessionDescription> remoteDescription() {
        return callOnLoop(() -> pendingRemote != null
                ? describe(pendingRemote, signalingState == RtcSignalingState.HAVE_REMOTE_OFFER ? RtcSdpType.OFFER : RtcSdpType.PRANSWER)
                : describe(currentRemote, currentLocalIsOffer ? RtcSdpType.ANSWER : RtcSdpType.OFFER));
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
        return dtlsCipher;
    }

    /** The remote certificate's fingerprint ({@code "sha-256 ..."}) once DTLS has connected, else null (for stats). */
    /**
     * The remote certificate DTLS refused for its validity dates ({@code DtlsConfig.checkPeerCertificateValidity} in
     * {@link RtcConfiguration#dtlsTuning()}), once the connection failed for it; empty otherwise. Any thread.
     */
    public java.util.Optional<io.jrtc.dtls.RefusedCertificate> refusedRemoteCertificate() {
        return java.util.Optional.ofNullable(refusedRemoteCertificate);
    }

    String remoteCertificateFingerprint() {
        return remoteCertificateFingerprint;
    }

    /** The DTLS certificate's SHA-256 fingerprint, as it appears in our descriptions. */
    public Fingerprint localFingerprint() {
        return certificate.fingerprint();
    }

    /** The selected ICE candidate pair, if any. */
    public Optional<IceCandidatePair> selectedCandidatePair() {
        return callOnLoop(ice::selectedPair);
    }

    /** Every local address the ICE edge has written to, by destination, with counts (for relay-policy proofs). */
    public java.util.Map<java.net.InetSocketAddress, Long> writesByDestination() {
        return ice.writesByDestination();
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
    // Descriptions
    // =====================================================================================================

    private void applyLocal(RtcSessionDescription d) {
        SessionDescription sdp = parse(d, "local");
        switch (d.type()) {
            case OFFER -> {
                if (signalingState != RtcSignalingState.STABLE && signalingState != RtcSignalingState.HAVE_LOCAL_OFFER) {
                    throw new PeerConnectionException.InvalidState("setLocalDescription(offer) in state " + signalingState);
                }
                if (lastCreatedOffer == null || !lastCreatedOffer.serialize().equals(sdp.serialize())) {
                    throw new PeerConnectionException.InvalidModification("the local offer must be the one createOffer returned");
                }
                pendingLocal = sdp;
                if (currentRemote == null) {
                    setIceRole(IceRole.CONTROLLING);
                }
                String ufrag = sdp.iceUfragFor(sdp.media().get(0)).orElseThrow();
                if (!ufrag.equals(localCredentials.ufrag())) {
                    restartLocalIce(new IceCredentials(ufrag, sdp.icePwdFor(sdp.media().get(0)).orElseThrow()));
                }
                setSignalingState(RtcSignalingState.HAVE_LOCAL_OFFER);
            }
            case ANSWER, PRANSWER -> {
                if (signalingState != RtcSignalingState.HAVE_REMOTE_OFFER && signalingState != RtcSignalingState.HAVE_LOCAL_PRANSWER) {
                    throw new PeerConnectionException.InvalidState("setLocalDescription(answer) in state " + signalingState);
                }
                if (lastCreatedAnswer == null || !lastCreatedAnswer.serialize().equals(sdp.serialize())) {
                    throw new PeerConnectionException.InvalidModification("the local answer must be the one createAnswer returned");
                }
                MediaDescription tagged = sdp.media().stream().filter(m -> !m.isRejected()).findFirst()
                        .orElseThrow(() -> new PeerConnectionException.InvalidModification("the answer accepts no m-section"));
                Setup ourSetup = sdp.setupFor(tagged).orElse(Setup.ACTIVE);
                if (dtlsRole == null) {
                    setDtlsRole(ourSetup == Setup.ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER);
                }
                if (d.type() == RtcSdpType.ANSWER) {
                    currentLocal = sdp;
                    currentLocalIsOffer = false;
                    currentRemote = pendingRemote;
                    pendingLocal = null;
                    pendingRemote = null;
                    setSignalingState(RtcSignalingState.STABLE);
                    onNegotiated();
                } else {
                    pendingLocal = sdp;
                    setSignalingState(RtcSignalingState.HAVE_LOCAL_PRANSWER);
                }
            }
            case ROLLBACK -> rollback(true);
        }
        startGathering();
        maybeStartDtls();
    }

    private void applyRemote(RtcSessionDescription d) {
        if (d.type() == RtcSdpType.ROLLBACK) {
            rollback(false);
            return;
        }
        SessionDescription sdp = parse(d, "remote");
        Jsep.RemoteTransport rt;
        try {
            rt = Jsep.remoteTransport(sdp);
        } catch (Jsep.InvalidDescriptionException e) {
            throw new PeerConnectionException.InvalidDescription(e.getMessage());
        }
        List<Fingerprint> fps = new ArrayList<>();
        for (FingerprintAttribute f : rt.fingerprints()) {
            try {
                fps.add(Fingerprint.parse(f.toAttributeValue()));
            } catch (RuntimeException e) {
                LOG.debug("{}: skipping remote fingerprint {}: {}", logId, f.hashFunction(), e.getMessage());
            }
        }
        if (fps.isEmpty()) {
            throw new PeerConnectionException.InvalidDescription("no usable remote fingerprint (sha-256/384/512 needed; md5 and sha-1 are refused)");
        }
        if (dtls != null && !sameFingerprints(fps)) {
            throw new PeerConnectionException.InvalidModification("the remote certificate changed; DTLS renegotiation is not supported");
        }
        Jsep.RemoteData data = Jsep.remoteData(sdp);
        if (data != null) {
            LOG.debug("{}: remote data section: {} form, {}, SCTP port {}, max-message-size {}{}", logId, data.form(),
                    data.proto(), data.sctpPort(), data.maxMessageSize(), data.maxMessageSizeGiven() ? "" : " (RFC 8841 default)");
        }
        if (data != null && data.sctpPort() != sctp.association().config().remotePort()) {
            // RFC 8841 section 5.1: the peer's port is what its description says (5000 when it says nothing)
            try {
                sctp.association().setRemotePort(data.sctpPort());
                LOG.debug("{}: the remote SCTP port is {}", logId, data.sctpPort());
            } catch (IllegalStateException e) {
                throw new PeerConnectionException.InvalidModification("the remote SCTP port changed to "
                        + data.sctpPort() + ": " + e.getMessage());
            }
        }
        switch (d.type()) {
            case OFFER -> {
                if (signalingState != RtcSignalingState.STABLE && signalingState != RtcSignalingState.HAVE_REMOTE_OFFER) {
                    throw new PeerConnectionException.InvalidState("setRemoteDescription(offer) in state " + signalingState);
                }
                if (currentLocal == null && currentRemote == null) {
                    setIceRole(rt.iceLite() ? IceRole.CONTROLLING : IceRole.CONTROLLED);
                }
                if (data != null) {
                    dataMid = data.mid();
                    dataMLineIndex = data.mLineIndex();
                } else {
                    dataMLineIndex = -1;
                }
                pendingRemote = sdp;
                applyRemoteTransport(rt, true);
                setSignalingState(RtcSignalingState.HAVE_REMOTE_OFFER);
            }
            case ANSWER, PRANSWER -> {
                if (signalingState != RtcSignalingState.HAVE_LOCAL_OFFER && signalingState != RtcSignalingState.HAVE_REMOTE_PRANSWER) {
                    throw new PeerConnectionException.InvalidState("setRemoteDescription(answer) in state " + signalingState);
                }
                if (rt.iceLite()) {
                    setIceRole(IceRole.CONTROLLING);
                }
                if (dtlsRole == null) {
                    Setup remoteSetup = rt.setup() == null ? Setup.ACTIVE : rt.setup();
                    if (remoteSetup == Setup.ACTPASS) {
                        throw new PeerConnectionException.InvalidDescription("a=setup:actpass is not allowed in an answer (RFC 5763)");
                    }
                    setDtlsRole(remoteSetup == Setup.ACTIVE ? DtlsRole.SERVER : DtlsRole.CLIENT);
                }
                applyRemoteTransport(rt, false);
                if (d.type() == RtcSdpType.ANSWER) {
                    currentRemote = sdp;
                    currentLocal = pendingLocal;
                    currentLocalIsOffer = true;
                    pendingLocal = null;
                    pendingRemote = null;
                    offeredRestartCredentials = null;
                    restartRequested = false;
                    setSignalingState(RtcSignalingState.STABLE);
                } else {
                    pendingRemote = sdp;
                    setSignalingState(RtcSignalingState.HAVE_REMOTE_PRANSWER);
                }
            }
            default -> throw new IllegalStateException();
        }
        if (data != null) {
            sctp.setRemoteMaxMessageSize(data.maxMessageSize());
        }
        remoteFingerprints = fps;
        media.applyRemoteDescription(sdp, d.type() == RtcSdpType.OFFER);
        if (d.type() == RtcSdpType.ANSWER) {
            onNegotiated();
        }
        while (!queuedRemoteCandidates.isEmpty()) {
            applyRemoteCandidate(queuedRemoteCandidates.poll());
        }
        maybeStartDtls();
    }

    /**
     * The m-sections of our next offer (RFC 9429 section 5.2.2): the last negotiated ones in their order (a section
     * whose transceiver is gone stays rejected), then a data section if the application created a channel (or there
     * is nothing else to offer), then every transceiver without a mid, each given the next free numeric mid.
     */
    private List<MediaDescription> offerSections() {
        List<MediaDescription> sections = new ArrayList<>();
        List<String> used = new ArrayList<>();
        if (currentLocal != null) {
            for (MediaDescription m : currentLocal.media()) {
                String mid = m.mid().orElse(null);
                if (mid == null) {
                    continue;
                }
                used.add(mid);
                if (mid.equals(dataMid) && m.isDataChannel()) {
                    sections.add(dataSection());
                } else {
                    Transceiver t = media.transceiver(mid);
                    sections.add(t != null && !m.isRejected() ? media.offerSection(t) : m.rejected());
                }
            }
        }
        for (RtpTransceiver t : media.transceivers()) {
            if (t.mid() != null && !used.contains(t.mid())) {
                used.add(t.mid());
                sections.add(media.offerSection((Transceiver) t));
            }
        }
        if (dataMid != null && !used.contains(dataMid)) {
            used.add(dataMid);
            sections.add(dataSection());
        }
        boolean anyMedia = !media.transceivers().isEmpty();
        if (dataMid == null && (dataChannelRequested || !anyMedia)) {
            dataMid = nextMid(used);
            used.add(dataMid);
            sections.add(dataSection());
        }
        for (Transceiver t : media.transceivers()) {
            if (t.mid() == null) {
                String mid = nextMid(used);
                used.add(mid);
                media.assignMid(t, mid);
                sections.add(media.offerSection(t));
            }
        }
        return sections;
    }

    private MediaDescription dataSection() {
        return MediaDescription.dataChannel(dataMid, sctp.association().config().localPort(), config.maxMessageSize());
    }

    private static String nextMid(List<String> used) {
        int n = 0;
        for (String mid : used) {
            try {
                n = Math.max(n, Integer.parseInt(mid) + 1);
            } catch (NumberFormatException e) {
                // a non-numeric mid from the remote: keep counting around it
            }
        }
        while (used.contains(Integer.toString(n))) {
            n++;
        }
        return Integer.toString(n);
    }

    /** An offer/answer completed (signaling is stable): media takes in what was negotiated; SCTP may start. */
    private void onNegotiated() {
        media.applyNegotiation(currentLocal, currentRemote);
        maybeStartSctp(System.nanoTime());
    }

    /** Whether both current descriptions accept the data m-section (found by mid, or by index when it has none). */
    private boolean dataNegotiated() {
        if (currentLocal == null || currentRemote == null || (dataMid == null && dataMLineIndex < 0)) {
            return false;
        }
        return acceptsData(currentLocal) && acceptsData(currentRemote);
    }

    /** {@code d} accepts the data section: found by its mid or, in a description without mids, by its index. */
    private boolean acceptsData(SessionDescription d) {
        Optional<MediaDescription> m = dataMid == null ? Optional.empty() : d.mediaByMid(dataMid);
        if (m.isEmpty()) {
            int i = dataMLineIndex >= 0 ? dataMLineIndex
                    : currentLocal == null || dataMid == null ? -1 : currentLocal.media().indexOf(currentLocal.mediaByMid(dataMid).orElse(null));
            if (i >= 0 && i < d.media().size() && d.media().get(i).mid().isEmpty()) {
                m = Optional.of(d.media().get(i));
            }
        }
        return m.map(s -> !s.isRejected() && s.isDataChannel()).orElse(false);
    }

    private void maybeStartSctp(long now) {
        if (!sctpStarted && dtlsState == DtlsState.CONNECTED && dataNegotiated()) {
            sctpStarted = true;
            sctp.connect(now);
        }
    }

    private void setIceRole(IceRole role) {
        iceRole = role;
        ice.setRole(role);
    }

    private void applyRemoteTransport(Jsep.RemoteTransport rt, boolean isOffer) {
        canTrickleIceCandidates = rt.trickle();
        boolean restart = remoteUfrag != null && (!remoteUfrag.equals(rt.ufrag()) || !remotePwd.equals(rt.pwd()));
        if (restart && isOffer) {
            // RFC 8445 §9: the answerer of an ICE restart also changes its credentials.
            restartLocalIce(IceCredentials.random(RANDOM));
        }
        if (remoteUfrag == null || restart) {
            remoteUfrag = rt.ufrag();
            remotePwd = rt.pwd();
            remoteEndOfCandidates = false;
            ice.setRemoteCredentials(new IceCredentials(rt.ufrag(), rt.pwd()));
            LOG.debug("{}: remote ICE credentials {}{}", logId, rt.ufrag(), restart ? " (ICE restart)" : "");
        }
        for (Candidate c : rt.candidates()) {
            addRemote(c);
        }
        // A peer that does not trickle (no a=ice-options:trickle) put every candidate in its description and will
        // never send end-of-candidates (RFC 8838 section 4, RFC 8840 section 4.1.1): its list is complete now. Unless
        // the description has no candidate at all: Pion 3.1 leaves out the option and then trickles every candidate;
        // taking its empty list as complete failed ICE whenever our gathering finished before its first candidate.
        boolean completeWithoutTrickle = !rt.trickle() && !rt.candidates().isEmpty();
        if ((rt.endOfCandidates() || completeWithoutTrickle) && !remoteEndOfCandidates) {
            remoteEndOfCandidates = true;
            if (completeWithoutTrickle) {
                LOG.debug("{}: the peer does not trickle; its {} candidates are all there is", logId, rt.candidates().size());
            }
            ice.addRemoteEndOfCandidates();
        }
    }

    private void applyRemoteCandidate(RtcIceCandidate c) {
        if (c.usernameFragment() != null && !c.usernameFragment().equals(remoteUfrag)) {
            LOG.debug("{}: ignoring candidate of ICE generation {} (current {})", logId, c.usernameFragment(), remoteUfrag);
            return;
        }
        if (c.isEndOfCandidates()) {
            if (!remoteEndOfCandidates) {
                remoteEndOfCandidates = true;
                ice.addRemoteEndOfCandidates();
            }
            return;
        }
        Candidate parsed;
        try {
            parsed = Candidate.parse(c.candidate());
        } catch (SdpParseException e) {
            throw new PeerConnectionException.InvalidDescription("bad candidate \"" + c.candidate() + "\": " + e.getMessage());
        }
        if (parsed.ufrag().isPresent() && !parsed.ufrag().get().equals(remoteUfrag)) {
            LOG.debug("{}: ignoring candidate of ICE generation {}", logId, parsed.ufrag().get());
            return;
        }
        addRemote(parsed);
    }

    private void addRemote(Candidate c) {
        IceCandidate ic = Candidates.toIce(c);
        if (ic == null) {
            LOG.debug("{}: ignoring unusable remote candidate {}", logId, c);
            return;
        }
        ice.addRemoteCandidate(ic);
    }

    private void rollback(boolean local) {
        if (local ? signalingState != RtcSignalingState.HAVE_LOCAL_OFFER : signalingState != RtcSignalingState.HAVE_REMOTE_OFFER) {
            throw new PeerConnectionException.InvalidState("rollback in signaling state " + signalingState);
        }
        pendingLocal = null;
        pendingRemote = null;
        setSignalingState(RtcSignalingState.STABLE);
    }

    private void restartLocalIce(IceCredentials creds) {
        localCredentials = creds;
        localCandidates.clear();
        localEndOfCandidates = false;
        ice.restart(creds);
        LOG.info("{}: ICE restart with local ufrag {}", logId, creds.ufrag());
    }

    private SessionDescription parse(RtcSessionDescription d, String which) {
        try {
            return SessionDescription.parse(d.sdp());
        } catch (SdpParseException e) {
            throw new PeerConnectionException.InvalidDescription("the " + which + " " + d.type().w3cName()
                    + " does not parse: " + e.getMessage());
        }
    }

    private FingerprintAttribute fingerprintAttribute() {
        Fingerprint f = certificate.fingerprint();
        String[] parts = f.toSdpValue().split(" ", 2);
        return new FingerprintAttribute(parts[0], parts[1]);
    }

    private boolean sameFingerprints(List<Fingerprint> fps) {
        return remoteFingerprints.size() == fps.size() && remoteFingerprints.containsAll(fps);
    }

    private Origin nextOrigin() {
        return Origin.jsep(sessionId, sessionVersion++);
    }

    private static Setup remoteSetup(SessionDescription d) {
        try {
            Setup s = Jsep.remoteTransport(d).setup();
            return s == null ? Setup.ACTPASS : s;
        } catch (Jsep.InvalidDescriptionException e) {
            return Setup.ACTPASS; // cannot happen: the description was validated when it was applied
        }
    }

    private static Setup setupFor(DtlsRole role) {
        return role == DtlsRole.CLIENT ? Setup.ACTIVE : Setup.PASSIVE;
    }

    private static Optional<RtcSessionDescription> describe(SessionDescription d, RtcSdpType type) {
        return d == null ? Optional.empty() : Optional.of(new RtcSessionDescription(type, d.serialize()));
    }

    // =====================================================================================================
    // ICE
    // =====================================================================================================

    /**
     * {@code iceCandidatePoolSize} above 0: gathers at creation; what it finds is announced at
     * {@code setLocalDescription} ({@link #startGathering()}). Loop only.
     */
    private void gatherAhead() {
        if (!gatheringStarted && !closed) {
            gatheringStarted = true;
            ice.startGathering().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("{}: ICE gathering (ahead of setLocalDescription) failed: {}", logId, e.toString());
                }
            });
        }
    }

    /** How many gathering events wait for {@code setLocalDescription} (tests of {@code iceCandidatePoolSize}). */
    CompletableFuture<Integer> gatheringEventsHeld() {
        return onLoop("gatheringEventsHeld", heldGatheringEvents::size);
    }

    /** At {@code setLocalDescription}: announces what was gathered ahead, and gathers if nothing was started. Loop only. */
    private void startGathering() {
        if (!announceGathering) {
            announceGathering = true;
            List<Runnable> held = List.copyOf(heldGatheringEvents);
            heldGatheringEvents.clear();
            held.forEach(Runnable::run);
        }
        if (!gatheringStarted) {
            gatheringStarted = true;
            ice.startGathering().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("{}: ICE gathering failed: {}", logId, e.toString());
                }
            });
        }
    }

    private void onLocalIceCandidate(IceCandidate c) {
        if (released) {
            return;
        }
        if (!announceGathering) {
            heldGatheringEvents.add(() -> onLocalIceCandidate(c));
            return;
        }
        Candidate sdpCandidate = Candidates.toSdp(c, localCredentials.ufrag());
        localCandidates.add(sdpCandidate);
        localEndOfCandidates = false;
        onIceCandidate.accept(new RtcIceCandidate(sdpCandidate.toString(), bundleMid(), 0, localCredentials.ufrag()));
    }

    private void onIceGathering(IceGatheringState s) {
        if (released) {
            return;
        }
        if (!announceGathering) {
            heldGatheringEvents.add(() -> onIceGathering(s));
            return;
        }
        iceGatheringState = s;
        if (s == IceGatheringState.COMPLETE) {
            localEndOfCandidates = true;
            onIceCandidate.accept(new RtcIceCandidate("", bundleMid(), 0, localCredentials.ufrag()));
        }
        onIceGatheringStateChange.accept(s);
    }

    /** The mid candidates are signalled with: the first of our description's BUNDLE group (its tagged m-section). */
    private String bundleMid() {
        SessionDescription d = pendingLocal != null ? pendingLocal : currentLocal;
        if (d != null && !d.bundleGroups().isEmpty() && !d.bundleGroups().get(0).mids().isEmpty()) {
            return d.bundleGroups().get(0).mids().get(0);
        }
        return dataMid == null ? "0" : dataMid;
    }

    private void onIceState(IceConnectionState s) {
        if (s == iceConnectionState || released) {
            return;
        }
        IceConnectionState previous = iceConnectionState;
        iceConnectionState = s;
        LOG.debug("{}: ICE {}", logId, s);
        if (s == IceConnectionState.DISCONNECTED || s == IceConnectionState.FAILED) {
            pathLost = true;
        } else if (pathLost && (s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED)) {
            pathLost = false;
            if (sctpStarted && !closed) {
                // Consent answers are back, or an ICE restart after consent expired (failed, checking, connected) found
                // the path again, often the same pair (no onSelectedPair move). SCTP's T3-rtx timer backed off while
                // it was dead (25.6 s after six expiries from 400 ms): retransmit what is outstanding now, as on a
                // path change.
                sctpPathRenewed("the path is back (ICE " + previous + " -> " + s + ")");
            }
        }
        onIceConnectionStateChange.accept(s);
        maybeStartDtls();
        updateConnectionState();
    }

    private void onIceData(ByteBuffer data) {
        if (!data.hasRemaining() || released) {
            return;
        }
        int first = data.get(data.position()) & 0xFF;
        if (first >= 20 && first <= 63) {
            stats.dtlsBytesIn(data.remaining());
            if (dtls == null) {
                if (earlyDtls.size() < MAX_EARLY_DTLS) {
                    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                    copy.put(data.duplicate()).flip();
                    earlyDtls.add(copy);
                }
                return;
            }
            dtls.handleInput(System.nanoTime(), data);
            pump();
        } else if (first >= 128 && first <= 191) {
            media.handleInput(System.nanoTime(), data);
            pump();
        } else {
            stats.unknownDatagram();
            LOG.trace("{}: dropping datagram with first byte {}", logId, first);
        }
    }

    /**
     * SRTP keys from the DTLS-SRTP exporter (RFC 5764 section 4.2): the DTLS client protects with the client write
     * key and salt. A handshake that negotiated no profile leaves media off (logged once if media was negotiated).
     */
    private void startSrtp(long now, DtlsEvent.Connected c) {
        if (c.srtp() == null) {
            if (!media.transceivers().isEmpty()) {
                LOG.warn("{}: DTLS negotiated no SRTP profile (use_srtp); media cannot flow", logId);
            }
            return;
        }
        io.jrtc.srtp.SrtpProfile profile = io.jrtc.srtp.SrtpProfile.fromId(c.srtp().profile().id()).orElse(null);
        if (profile == null) {
            LOG.warn("{}: DTLS negotiated SRTP profile {} that the SRTP layer does not implement", logId, c.srtp().profile());
            return;
        }
        SrtpKeys keys = new SrtpKeys(profile, c.srtp().localKey(dtlsRole), c.srtp().localSalt(dtlsRole),
                c.srtp().remoteKey(dtlsRole), c.srtp().remoteSalt(dtlsRole));
        media.startSrtp(now, keys);
    }

    /** The engine's view of this connection: the loop, its clock, and the pump. */
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
            requestPump();
        }

        @Override
        public void negotiationNeeded() {
            if (!closed) {
                onNegotiationNeeded.run();
            }
        }
    }

    // =====================================================================================================
    // DTLS + SCTP
    // =====================================================================================================

    private void setDtlsRole(DtlsRole role) {
        dtlsRole = role;
        sctp.setRole(role == DtlsRole.CLIENT ? io.jrtc.datachannel.DtlsRole.CLIENT : io.jrtc.datachannel.DtlsRole.SERVER);
        LOG.debug("{}: DTLS role {}", logId, role);
    }

    /**
     * Starts DTLS once ICE has connected. A DTLS client starts earlier, as soon as it knows its role and the remote
     * fingerprints, with its ClientHello held back until ICE connects ({@link #dtlsHeld}): the handshake thread, the
     * endpoint and the ClientHello are ready when the first pair is selected, instead of being made then (measured
     * against Chromium: 1.7 ms from its check's response to our ClientHello, Pion 0.4). When ICE takes longer than
     * {@link #DTLS_HOLD_LIMIT_NANOS} (BouncyCastle's first retransmission is due then, and its handshake clock runs),
     * the held handshake is dropped unsent and a fresh one starts at connect, as without the head start.
     */
    private void maybeStartDtls() {
        if (closed || dtlsRole == null || remoteFingerprints.isEmpty()) {
            return;
        }
        boolean iceUp = iceConnectionState == IceConnectionState.CONNECTED
                || iceConnectionState == IceConnectionState.COMPLETED;
        if (dtls != null) {
            if (dtlsHeld && iceUp) {
                releaseHeldDtls();
            }
            return;
        }
        boolean hold = !iceUp && !dtlsHeadStartTaken && dtlsRole == DtlsRole.CLIENT
                && iceConnectionState != IceConnectionState.FAILED && iceConnectionState != IceConnectionState.CLOSED;
        if (!iceUp && !hold) {
            return;
        }
        if (hold && !dtlsHeadStartDue) {
            // in the next loop task: after what the caller does now (an answer being sent goes first)
            dtlsHeadStartDue = true;
            loop.execute(this::maybeStartDtls);
            return;
        }
        DtlsConfig tuning = dtlsTuning();
        DtlsConfig.Builder db = tuning.toBuilder().mtu(sctp.association().config().mtu());
        if (tuning.handshakeExecutor() == DtlsConfig.VIRTUAL_THREAD_EXECUTOR) {
            db.handshakeExecutor(HandshakeThreads.onLoop(loop)); // each flight handled on this loop: no thread hand-over
        }
        DtlsConfig dc = db.build();
        dtls = new DtlsEndpoint(dc, dtlsRole, certificate, remoteFingerprints, this::requestPump);
        dtlsState = hold ? DtlsState.NEW : DtlsState.CONNECTING; // held: W3C still sees a DTLS transport that is "new"
        long now = System.nanoTime();
        dtlsHeld = hold;
        dtlsHeadStartTaken |= hold; // once per connection
        dtlsHeldSince = now;
        dtls.start(now);
        LOG.debug("{}: DTLS {} handshake started{}", logId, dtlsRole, hold ? ", its ClientHello held until ICE connects" : "");
        while (!earlyDtls.isEmpty()) {
            dtls.handleInput(now, earlyDtls.poll());
        }
        updateConnectionState();
        pump();
    }

    /** How long a DTLS client's ClientHello may be held for ICE: less than BouncyCastle's first retransmission. */
    private static final long DTLS_HOLD_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(90);

    /** The hold limit: {@link #DTLS_HOLD_LIMIT_NANOS}, or less when the first retransmission comes sooner. */
    private long holdLimitNanos() {
        return Math.min(DTLS_HOLD_LIMIT_NANOS, dtlsTuning().initialRetransmit().toNanos() * 9 / 10);
    }

    /** The configuration's DTLS tuning, or the defaults. */
    private DtlsConfig dtlsTuning() {
        return config.dtlsTuning() == null ? DtlsConfig.defaults() : config.dtlsTuning();
    }

    /** ICE connected while the ClientHello was held: send it, or start afresh if it was held too long (loop). */
    private void releaseHeldDtls() {
        long held = System.nanoTime() - dtlsHeldSince;
        if (held <= holdLimitNanos() && dtls.state() == DtlsState.CONNECTING) {
            dtlsHeld = false;
            dtlsState = DtlsState.CONNECTING;
            updateConnectionState();
            LOG.debug("{}: ICE connected; the held ClientHello goes out ({} us after it was made)", logId, held / 1000);
            pump();
            return;
        }
        dropHeldDtls("ICE took " + held / 1_000_000 + " ms");
        maybeStartDtls();
    }

    /**
     * Drops the held handshake unsent (its thread ends); a fresh one starts when ICE connects. Without this, a held
     * handshake would keep its thread and reach its handshake deadline while ICE is still checking. Loop only.
     */
    private void dropHeldDtls(String why) {
        LOG.debug("{}: {}; the held DTLS handshake is dropped unsent, a fresh one starts when ICE connects", logId, why);
        DtlsEndpoint stale = dtls;
        dtls = null;
        dtlsHeld = false;
        dtlsState = DtlsState.NEW;
        stale.close();
        while (stale.pollTransmit().isPresent()) {
            // discarded: nothing of the held handshake ever reaches the wire
        }
        rearmTimer();
    }

    /**
     * A new selected pair (loop). When it replaces another one (an ICE restart moved the link, e.g. off a dead TURN
     * server), SCTP is told the path changed: RTO from RTO.Initial and outstanding data retransmitted at once, not
     * when its T3-rtx timer, backed off on the dead path, fires (up to 6.4 s later after a 5 s outage).
     */
    private void onSelectedPair(IceCandidatePair p) {
        IceCandidatePair previous = selectedPair;
        selectedPair = p;
        LOG.debug("{}: selected pair {}", logId, p);
        if (previous != null && !previous.equals(p) && sctpStarted && !closed) {
            sctpPathRenewed("the link moved to " + p);
        }
    }

    /**
     * SCTP's path is new or back (a new selected pair, or ICE connected again after a loss): its RTO starts again
     * from RTO.Initial and what is outstanding goes out now, not when a T3-rtx timer backed off on the dead path
     * fires. Told once per outage. Loop only.
     */
    private void sctpPathRenewed(String why) {
        LOG.info("{}: {}; SCTP retransmits what is outstanding now", logId, why);
        pathLost = false;
        sctp.association().pathChanged(System.nanoTime());
        requestPump();
    }

    /** Asks for a pump on the loop; callable from any thread (DTLS's handshake thread, user calls). */
    private void requestPump() {
        if (loop.inEventLoop() && pumping) {
            return;
        }
        if (pumpQueued.compareAndSet(false, true)) {
            try {
                loop.execute(() -> {
                    pumpQueued.set(false);
                    pump();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the factory was closed (its loops are gone): nothing is left to move; a handshake thread ending
                // late must not log a stack trace for it
                LOG.debug("{}: no pump, the loop has shut down", logId);
            }
        }
    }

    /** Moves everything queued between the layers, then re-arms the one timer. Loop only. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            long now = System.nanoTime();
            for (int guard = 0; guard < 10_000; guard++) {
                boolean progress = false;
                if (dtls != null) {
                    for (Optional<DtlsEvent> e = dtls.pollEvent(); e.isPresent(); e = dtls.pollEvent()) {
                        progress = true;
                        onDtlsEvent(now, e.get());
                    }
                }
                if (dtls != null && dtls.state() == DtlsState.CONNECTED) {
                    for (Optional<ByteBuffer> p = sctp.pollTransmit(); p.isPresent(); p = sctp.pollTransmit()) {
                        progress = true;
                        stats.sctpPacketOut();
                        if (tapPoint == null) {
                            dtls.send(p.get());
                        } else {
                            tapPoint.outbound(p.get());
                        }
                    }
                }
                if (dtls != null && !dtlsHeld) {
                    for (Optional<ByteBuffer> p = dtls.pollTransmit(); p.isPresent(); p = dtls.pollTransmit()) {
                        progress = true;
                        stats.dtlsBytesOut(p.get().remaining());
                        ice.send(p.get());
                    }
                }
                for (ByteBuffer p = media.pollTransmitOrNull(); p != null; p = media.pollTransmitOrNull()) {
                    progress = true;
                    ice.send(p);
                }
                if (!progress) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("{}: internal error while moving data between layers", logId, e);
        } finally {
            pumping = false;
        }
        if (connectionStateDue) {
            connectionStateDue = false;
            DtlsEvent.Connected c = srtpDue;
            srtpDue = null;
            if (c != null && !closed) {
                startSrtp(System.nanoTime(), c);
            }
            updateConnectionState();
            pump(); // what SRTP or the state listeners queued; it re-arms the timer
            return;
        }
        rearmTimer();
    }

    private void onDtlsEvent(long now, DtlsEvent e) {
        switch (e) {
            case DtlsEvent.Connected c -> {
                dtlsState = DtlsState.CONNECTED;
                dtlsCipher = c.cipherSuite();
                remoteCertificateFingerprint = c.remoteFingerprint().toSdpValue();
                LOG.debug("{}: DTLS connected as {} ({}), remote {}", logId, dtlsRole, c.cipherSuite(), c.remoteFingerprint().toSdpValue());
                maybeStartSctp(now);
                // SRTP's keys and the "connected" state (its listeners, its log line) once this pump has sent SCTP's
                // INIT: a data channel's set-up waits for neither
                srtpDue = c;
                connectionStateDue = true;
            }
            case DtlsEvent.ApplicationData a -> {
                Predicate<ByteBuffer> drop = sctpInboundDrop;
                if (drop == null || !drop.test(a.data())) {
                    if (tapPoint == null) {
                        sctp.handleInput(now, a.data());
                    } else {
                        tapPoint.inbound(a.data());
                    }
                }
            }
            case DtlsEvent.Failed f -> {
                dtlsState = DtlsState.FAILED;
                refusedRemoteCertificate = f.refused();
                // the DTLS endpoint logged it (WARN, with the reason): once is enough
                LOG.debug("{}: DTLS failed ({}): {}", logId, f.kind(), f.reason());
                if (f.kind() == ErrorKind.AUTHENTICATION) {
                    sctp.abort("DTLS authentication failed: " + f.reason());
                }
                updateConnectionState();
            }
            case DtlsEvent.Closed cl -> {
                dtlsState = DtlsState.CLOSED;
                LOG.info("{}: the peer closed DTLS", logId);
                sctp.abort("the peer closed DTLS");
                updateConnectionState();
            }
        }
    }

    private void rearmTimer() {
        if (closed || released) {
            return;
        }
        // a held DTLS client has no handshake deadline of its own: it is dropped at the hold limit instead
        long dtlsDeadline = dtls == null ? DatagramCore.NO_TIMEOUT
                : dtlsHeld ? dtlsHeldSince + holdLimitNanos() : dtls.pollTimeout();
        long deadline = Math.min(Math.min(sctp.pollTimeout(), dtlsDeadline), media.pollTimeout());
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
        if (dtls != null && dtlsHeld) {
            if (now - dtlsHeldSince >= holdLimitNanos()) {
                dropHeldDtls("ICE has not connected within the hold limit");
            }
        } else if (dtls != null && dtls.pollTimeout() <= now) {
            dtls.handleTimeout(now);
        }
        if (sctp.pollTimeout() <= now) {
            sctp.handleTimeout(now);
        }
        if (media.pollTimeout() <= now) {
            media.handleTimeout(now);
        }
        pump();
    }

    // =====================================================================================================
    // States
    // =====================================================================================================

    private void setSignalingState(RtcSignalingState s) {
        if (signalingState != s) {
            signalingState = s;
            onSignalingStateChange.accept(s);
        }
    }

    /** What the {@link PacketTap} lets out goes into DTLS. Loop only. */
    private void sendTapped(ByteBuffer p) {
        if (dtls != null && dtls.state() == DtlsState.CONNECTED) {
            dtls.send(p);
            requestPump();
        }
    }

    /** What the {@link PacketTap} lets in goes into the association. Loop only. */
    private void receiveTapped(ByteBuffer p) {
        sctp.handleInput(System.nanoTime(), p);
        requestPump();
    }

    /**
     * Test seam (package-private, for tests only): drops every inbound SCTP packet (decrypted DTLS application data)
     * for which {@code drop} is true, before the association sees it; null drops none. Any thread.
     */
    void dropInboundSctpForTesting(Predicate<ByteBuffer> drop) {
        sctpInboundDrop = drop;
    }

    /**
     * The SCTP association ended (the data channels have already had {@code onError} and {@code onClose}). A failure
     * makes the connection state {@code FAILED}: W3C derives that state from ICE and DTLS alone, but a peer connection
     * whose data transport never came up (or died) must not report {@code CONNECTED} for ever. A peer's ABORT after
     * establishment is the peer closing, not a failure. Loop only.
     */
    private void onSctpClosed(DataChannelError err) {
        if (err == null || err.kind() == ErrorKind.LOCAL_CLOSE) {
            LOG.debug("{}: SCTP association closed{}", logId, err == null ? "" : " (" + err.message() + ")");
            return;
        }
        if (!sctpConnected) {
            LOG.warn("{}: SCTP never came up after DTLS: {} ({}); the data channels failed, connection failed", logId,
                    err.message(), err.kind());
            sctpFailed = true;
        } else if (err.kind() == ErrorKind.PEER_ABORTED) {
            LOG.info("{}: the peer ended the SCTP association: {}", logId, err.message());
            return;
        } else {
            LOG.warn("{}: SCTP association failed: {} ({}); connection failed", logId, err.message(), err.kind());
            sctpFailed = true;
        }
        updateConnectionState();
    }

    /**
     * The W3C RTCPeerConnectionState algorithm over our one ICE and one DTLS transport, plus SCTP: a failed SCTP
     * association (see {@link #onSctpClosed}) makes the state {@code FAILED}.
     */
    private void updateConnectionState() {
        RtcPeerConnectionState s;
        IceConnectionState i = iceConnectionState;
        if (closed) {
            s = RtcPeerConnectionState.CLOSED;
        } else if (i == IceConnectionState.FAILED || dtlsState == DtlsState.FAILED || sctpFailed || failedCause != null) {
            s = RtcPeerConnectionState.FAILED;
        } else if (i == IceConnectionState.DISCONNECTED) {
            s = RtcPeerConnectionState.DISCONNECTED;
        } else if ((i == IceConnectionState.NEW || i == IceConnectionState.CLOSED)
                && (dtlsState == DtlsState.NEW || dtlsState == DtlsState.CLOSED)) {
            s = RtcPeerConnectionState.NEW;
        } else if (i == IceConnectionState.CHECKING || i == IceConnectionState.NEW || dtlsState == DtlsState.NEW
                || dtlsState == DtlsState.CONNECTING) {
            s = RtcPeerConnectionState.CONNECTING;
        } else {
            s = RtcPeerConnectionState.CONNECTED;
        }
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

    /**
     * {@link RtcLimits#connectTimeout()} passed without the connection reaching {@code CONNECTED}: it fails for good,
     * with one WARN line naming the cause, and releases its transports (ICE sockets and TURN allocations, DTLS, SCTP,
     * timers) and its factory slot. The {@code FAILED} state change is its last callback. Loop only.
     */
    private void onConnectTimeout() {
        if (closed || released || everConnected) {
            return;
        }
        limits.connectTimedOut();
        String cause = "not connected within " + limits.limits().connectTimeout().toMillis()
                + " ms of the first description (RtcLimits.connectTimeout)";
        LOG.warn("{}: {}: {}, ICE {}, DTLS {}; connection failed, sockets and timers released", logId, cause,
                remoteSeen(), iceConnectionState, dtlsState);
        failedCause = cause;
        releaseTransports(cause);
        iceConnectionState = IceConnectionState.CLOSED; // the ICE transport is closed; the connection state says FAILED
        updateConnectionState();
    }

    private String remoteSeen() {
        return remoteUfrag == null ? "no remote description (" + queuedRemoteCandidates.size() + " candidates queued)"
                : ice.stats().pairs().size() + " candidate pairs";
    }

    /** Closes every transport and timer and gives the factory its slot back; once. Loop only. */
    private void releaseTransports(String why) {
        if (released) {
            return;
        }
        limits.cancelConnectTimer();
        try {
            sctp.abort(why);
            media.close(System.nanoTime());
            pump();
            if (dtls != null) {
                dtls.close();
                for (Optional<ByteBuffer> p = dtls.pollTransmit(); p.isPresent(); p = dtls.pollTransmit()) {
                    if (!dtlsHeld) {
                        ice.send(p.get());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("{}: while closing: {}", logId, e.toString());
        }
        released = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ice.close();
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
        return f;
    }

    private <T> T callOnLoop(Supplier<T> body) {
        if (loop.inEventLoop()) {
            return body.get();
        }
        try {
            return loop.submit(body::get).get(BLOCKING_CALL_SECONDS, TimeUnit.SECONDS);
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
        return dtlsRole;
    }

    String logId() {
        return logId;
    }
}
