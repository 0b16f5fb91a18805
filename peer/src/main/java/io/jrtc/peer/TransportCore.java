package io.jrtc.peer;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Timer;
import io.jrtc.common.ErrorKind;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelEndpoint;
import io.jrtc.datachannel.DataChannelError;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.dtls.DtlsEndpoint;
import io.jrtc.dtls.DtlsEvent;
import io.jrtc.common.DtlsRole;
import io.jrtc.dtls.DtlsState;
import io.jrtc.dtls.Fingerprint;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.Gather;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs over the datagrams of the selected ICE pair, without I/O: the RFC 7983 demultiplexing of what arrives,
 * DTLS (with its ClientHello held until ICE connects), SCTP and DCEP inside it, and the {@link MediaEngine} keyed
 * from its exporter; one {@link #drainOnce} that moves what the layers queued out through {@link Edge#send}, one
 * {@link #pollTimeout()} and one {@link #handleTimeout}. Time comes in as {@code now}; the only thread is DTLS's
 * handshake (BouncyCastle blocks), whose flights run on {@link Edge#handshakeExecutor()}. The part of the future
 * {@code RtcCore} that exists today: {@link PeerEdge} feeds it and ICE. Loop-confined.
 */
final class TransportCore {

    /** What the core needs from the edge that owns it. */
    interface Edge {
        /** Sends a datagram on the selected ICE pair. The buffer is handed over: the core never writes to it again. */
        void send(ByteBuffer datagram);

        /** Asks for a drain soon; any thread. */
        void requestDrain();

        /** Calls {@link #maybeStartDtls} again after the current loop task (and drains if it says so). */
        void maybeStartDtlsLater();

        /** Where DTLS runs its handshake flights (the loop's carrier, or a virtual thread). */
        Executor handshakeExecutor(Executor configured);

        /** A deadline moved outside a drain: re-arm the timer. */
        void deadlineMoved();

        /** The connection's name in log lines. */
        String logId();

        /** Whether the connection was closed (nothing new starts then). */
        boolean isClosed();

        /** The connection's configuration (tunings, limits' inputs, the packet tap). */
        RtcConfiguration config();

        /** Our DTLS certificate. */
        DtlsCertificate certificate();

        /** A transport's state changed: the owner recomputes the connection state. */
        void updateConnectionState();

        /** The peer opened a data channel (already admitted by the limits). */
        void fireDataChannel(DataChannel ch);

        /** Whether the negotiated descriptions carry a data section (SCTP starts only then). */
        boolean dataNegotiated();

        /** The {@link TapPoint} for {@link RtcConfiguration#packetTap()}, on the owner's loop. */
        TapPoint tapPoint(PacketTap tap, java.util.function.Consumer<ByteBuffer> send,
                java.util.function.Consumer<ByteBuffer> receive);
    }

    /** The façade's logger: the lines a connection logs keep their name whichever part writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final int MAX_EARLY_DTLS = 32;
    /** How long a DTLS client's ClientHello may be held for ICE: less than BouncyCastle's first retransmission. */
    private static final long DTLS_HOLD_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(90);
    private static final Timer.Spec DTLS_HOLD_TIMER = new Timer.Spec("dtls-hold", Timer.Backoff.FIXED, DTLS_HOLD_LIMIT_NANOS, 0);

    private final Edge edge;
    private final LongSupplier clock;
    private final String logId;
    private final StatsCollector stats;
    final DataChannelEndpoint sctp;
    final MediaEngine media;

    private volatile String dtlsCipher;
    private volatile String remoteCertificateFingerprint;
    private volatile io.jrtc.dtls.RefusedCertificate refusedRemoteCertificate;

    private DtlsRole dtlsRole;
    private List<Fingerprint> remoteFingerprints = List.of();
    private DtlsEndpoint dtls;
    /**
     * The DTLS client was started before ICE connected and its ClientHello is held (not sent) until ICE connects: see
     * {@link #maybeStartDtls}.
     */
    private boolean dtlsHeld;
    /** When the held ClientHello was made (for the log). */
    private long dtlsHeldSince;
    /** The hold limit of a held DTLS client ({@link #holdLimitNanos()}): dropped unsent when it expires. */
    private Timer dtlsHoldTimer; // made at the first hold (a DTLS server never holds)
    private boolean dtlsHeadStartTaken;
    private boolean dtlsHeadStartDue;
    /**
     * DTLS connected inside a drain: SRTP's keys and the connection state follow at the end of that drain, once SCTP's
     * INIT is out (a data channel's set-up waits for neither).
     */
    private DtlsEvent.Connected connectedDue;
    private DtlsState dtlsState = DtlsState.NEW;
    private final ArrayDeque<ByteBuffer> earlyDtls = new ArrayDeque<>(2); // usually empty: small (idle heap)
    private boolean sctpStarted;
    /** The selected ICE pair, as last reported. */
    private IceCandidatePair selectedPair;
    /** ICE went {@code disconnected} or {@code failed} since SCTP was last told its path works. */
    private boolean pathLost;
    /** Whether the SCTP association was ever established. */
    private boolean sctpConnected;
    /**
     * Whether SCTP failed: it never came up after DTLS (INITs unanswered, an ABORT during setup), or it died of
     * timeouts or a protocol error later. The connection state then reports {@code FAILED}.
     */
    private boolean sctpFailed;
    /** Test seam: inbound SCTP packets for which this is true are dropped before the association sees them. */
    private volatile Predicate<ByteBuffer> sctpInboundDrop;
    /** {@link RtcConfiguration#packetTap()} between SCTP and DTLS, or null (the production path). */
    private final TapPoint tapPoint;

    TransportCore(Edge edge, RtcConfiguration config, RtcLimits limits, LimitCounters counters,
            ConnectionLimits connectionLimits, StatsCollector stats, LongSupplier clock, MediaEngine.Host mediaHost,
            long unixOffsetNanos, long mediaSeed) {
        this.edge = edge;
        this.clock = clock;
        this.logId = edge.logId();
        this.stats = stats;
        SctpConfig sc = (config.sctpTuning() == null ? SctpConfig.builder() : config.sctpTuning().toBuilder())
                .maxMessageSize(config.maxMessageSize())
                .maxSendBuffer(Math.max(limits.maxBufferedBytes(), config.maxMessageSize())).build();
        this.sctp = new DataChannelEndpoint(sc, clock, edge::requestDrain, logId);
        this.tapPoint = config.packetTap() == null ? null
                : edge.tapPoint(config.packetTap(), this::sendTapped, this::receiveTapped);
        long perChannel = Math.max(limits.maxBufferedBytesPerChannel(), config.maxMessageSize());
        if (perChannel < sc.maxSendBuffer()) {
            sctp.setMaxBufferedAmountPerChannel(perChannel);
        }
        sctp.onDataChannel(ch -> {
            if (connectionLimits.refuseRemoteChannel(ch, sctp.liveChannels().size())) {
                ch.close(); // resets its stream: the peer sees its channel close
                return;
            }
            stats.channelOpened(ch);
            edge.fireDataChannel(ch);
        });
        sctp.onSendBufferFull(counters.sendsRefusedBufferFull::increment);
        sctp.onConnected(() -> {
            sctpConnected = true;
            LOG.debug("{}: SCTP association established", logId);
        });
        sctp.onTransportClosed(this::onSctpClosed);
        this.media = new MediaEngine(mediaHost, logId, unixOffsetNanos, mediaSeed);
    }

    // =====================================================================================================
    // In
    // =====================================================================================================

    /**
     * A datagram from the ICE pair: the one demultiplexing point (RFC 7983), 20-63 to DTLS, 128-191 to SRTP/SRTCP,
     * anything else counted and dropped. Returns whether a layer took it (the caller then drains).
     */
    boolean handleDatagram(long now, ByteBuffer data) {
        int first = data.get(data.position()) & 0xFF;
        if (first >= 20 && first <= 63) {
            stats.dtlsBytesIn(data.remaining());
            if (dtls == null) {
                if (earlyDtls.size() < MAX_EARLY_DTLS) {
                    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                    copy.put(data.duplicate()).flip();
                    earlyDtls.add(copy);
                }
                return false;
            }
            dtls.handleInput(now, data);
            return true;
        } else if (first >= 128 && first <= 191) {
            media.handleInput(now, data);
            return true;
        }
        stats.unknownDatagram();
        LOG.trace("{}: dropping datagram with first byte {}", logId, first);
        return false;
    }

    /**
     * ICE's state changed from {@code previous} to {@code s}: when ICE is connected again after it went
     * {@code disconnected} or {@code failed} (consent answers are back, or an ICE restart after consent expired found
     * the path again, often on the same pair, so no pair change), SCTP is told its path is back. Its T3-rtx timer backed
     * off while the path was dead (25.6 s after six expiries from 400 ms): what is outstanding goes out now, as on a
     * path change. Returns whether SCTP was told (the caller drains).
     */
    boolean iceStateChanged(long now, IceConnectionState previous, IceConnectionState s) {
        if (s == IceConnectionState.DISCONNECTED || s == IceConnectionState.FAILED) {
            pathLost = true;
        } else if (pathLost && (s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED)) {
            pathLost = false;
            if (sctpStarted && !edge.isClosed()) {
                pathRenewed(now, "the path is back (ICE " + previous + " -> " + s + ")");
                return true;
            }
        }
        return false;
    }

    /**
     * A new selected pair. When it replaces another one (an ICE restart moved the link, e.g. off a dead TURN server),
     * SCTP is told the path changed: RTO from RTO.Initial and outstanding data retransmitted at once, not when its
     * T3-rtx timer, backed off on the dead path, fires (up to 6.4 s later after a 5 s outage). Returns whether SCTP
     * was told (the caller drains).
     */
    boolean selectedPairChanged(long now, IceCandidatePair p) {
        IceCandidatePair previous = selectedPair;
        selectedPair = p;
        if (previous != null && !previous.equals(p) && sctpStarted && !edge.isClosed()) {
            pathLost = false;
            pathRenewed(now, "the link moved to " + p);
            return true;
        }
        return false;
    }

    /** Whether SCTP runs (a path change or a path back is told to it). */
    boolean sctpStarted() {
        return sctpStarted;
    }

    /**
     * SCTP's path is new or back (a new selected pair, or ICE connected again after a loss): its RTO starts again
     * from RTO.Initial and what is outstanding goes out now, not when a T3-rtx timer backed off on the dead path
     * fires. The caller drains.
     */
    private void pathRenewed(long now, String why) {
        LOG.info("{}: {}; SCTP retransmits what is outstanding now", logId, why);
        sctp.association().pathChanged(now);
    }

    // =====================================================================================================
    // DTLS, SCTP, SRTP
    // =====================================================================================================

    DtlsRole dtlsRole() {
        return dtlsRole;
    }

    void setDtlsRole(DtlsRole role) {
        dtlsRole = role;
        sctp.setRole(role);
        LOG.debug("{}: DTLS role {}", logId, role);
    }

    boolean hasDtls() {
        return dtls != null;
    }

    boolean sameFingerprints(List<Fingerprint> fps) {
        return remoteFingerprints.size() == fps.size() && remoteFingerprints.containsAll(fps);
    }

    void setRemoteFingerprints(List<Fingerprint> fps) {
        remoteFingerprints = fps;
    }

    DtlsState dtlsState() {
        return dtlsState;
    }

    /** DTLS as W3C sees it: a held client (its ClientHello not sent yet) is reported as "new", i.e. as none yet. */
    DtlsEndpoint visibleDtls() {
        return dtlsHeld ? null : dtls;
    }

    boolean sctpFailed() {
        return sctpFailed;
    }

    /**
     * The W3C RTCPeerConnectionState algorithm over the one ICE and the one DTLS transport, plus SCTP: a failed
     * association (see {@link #onSctpClosed}) or the owner's own cause ({@code failed}) make it {@code FAILED}.
     */
    RtcPeerConnectionState connectionState(boolean closed, boolean failed, IceConnectionState ice) {
        if (closed) {
            return RtcPeerConnectionState.CLOSED;
        } else if (ice == IceConnectionState.FAILED || dtlsState == DtlsState.FAILED || sctpFailed || failed) {
            return RtcPeerConnectionState.FAILED;
        } else if (ice == IceConnectionState.DISCONNECTED) {
            return RtcPeerConnectionState.DISCONNECTED;
        } else if ((ice == IceConnectionState.NEW || ice == IceConnectionState.CLOSED)
                && (dtlsState == DtlsState.NEW || dtlsState == DtlsState.CLOSED)) {
            return RtcPeerConnectionState.NEW;
        } else if (ice == IceConnectionState.CHECKING || ice == IceConnectionState.NEW || dtlsState == DtlsState.NEW
                || dtlsState == DtlsState.CONNECTING) {
            return RtcPeerConnectionState.CONNECTING;
        }
        return RtcPeerConnectionState.CONNECTED;
    }

    String dtlsCipher() {
        return dtlsCipher;
    }

    String remoteCertificateFingerprint() {
        return remoteCertificateFingerprint;
    }

    io.jrtc.dtls.RefusedCertificate refusedRemoteCertificate() {
        return refusedRemoteCertificate;
    }

    void dropInboundSctp(Predicate<ByteBuffer> drop) {
        sctpInboundDrop = drop;
    }

    /**
     * Starts SCTP once DTLS is up and the descriptions carry data. Not after the association was aborted: a close
     * that comes between DTLS's last flight and its {@code Connected} event aborts SCTP first, then takes that event.
     */
    void maybeStartSctp(long now) {
        if (!sctpStarted && dtlsState == DtlsState.CONNECTED && edge.dataNegotiated()
                && !sctp.association().isTerminated()) {
            sctpStarted = true;
            sctp.connect(now);
        }
    }

    /**
     * Starts DTLS once ICE has connected. A DTLS client starts earlier, as soon as it knows its role and the remote
     * fingerprints, with its ClientHello held back until ICE connects ({@link #dtlsHeld}): the handshake thread, the
     * endpoint and the ClientHello are ready when the first pair is selected, instead of being made then (measured
     * against Chromium: 1.7 ms from its check's response to our ClientHello, Pion 0.4). When ICE takes longer than
     * {@link #DTLS_HOLD_LIMIT_NANOS} (BouncyCastle's first retransmission is due then, and its handshake clock runs),
     * the held handshake is dropped unsent and a fresh one starts at connect, as without the head start. Returns
     * whether the caller should drain.
     */
    boolean maybeStartDtls(long now, IceConnectionState iceState) {
        if (edge.isClosed() || dtlsRole == null || remoteFingerprints.isEmpty()) {
            return false;
        }
        boolean iceUp = iceState == IceConnectionState.CONNECTED || iceState == IceConnectionState.COMPLETED;
        if (dtls != null) {
            return dtlsHeld && iceUp && releaseHeldDtls(now, iceState);
        }
        boolean hold = !iceUp && !dtlsHeadStartTaken && dtlsRole == DtlsRole.CLIENT
                && iceState != IceConnectionState.FAILED && iceState != IceConnectionState.CLOSED;
        if (!iceUp && !hold) {
            return false;
        }
        if (hold && !dtlsHeadStartDue) {
            // in the next loop task: after what the caller does now (an answer being sent goes first)
            dtlsHeadStartDue = true;
            edge.maybeStartDtlsLater();
            return false;
        }
        DtlsConfig tuning = dtlsTuning();
        DtlsConfig.Builder db = tuning.toBuilder().mtu(sctp.association().config().mtu());
        if (tuning.handshakeExecutor() == DtlsConfig.VIRTUAL_THREAD_EXECUTOR) {
            db.handshakeExecutor(edge.handshakeExecutor(tuning.handshakeExecutor())); // flights on the loop: no hand-over
        }
        DtlsConfig dc = db.build();
        dtls = new DtlsEndpoint(dc, dtlsRole, edge.certificate(), remoteFingerprints, edge::requestDrain);
        dtlsState = hold ? DtlsState.NEW : DtlsState.CONNECTING; // held: W3C still sees a DTLS transport that is "new"
        dtlsHeld = hold;
        dtlsHeadStartTaken |= hold; // once per connection
        dtlsHeldSince = now;
        if (hold) {
            if (dtlsHoldTimer == null) {
                dtlsHoldTimer = new Timer(DTLS_HOLD_TIMER);
            }
            dtlsHoldTimer.start(now, holdLimitNanos());
        }
        dtls.start(now);
        LOG.debug("{}: DTLS {} handshake started{}", logId, dtlsRole, hold ? ", its ClientHello held until ICE connects" : "");
        while (!earlyDtls.isEmpty()) {
            dtls.handleInput(now, earlyDtls.poll());
        }
        edge.updateConnectionState();
        return true;
    }

    /** The hold limit: {@link #DTLS_HOLD_LIMIT_NANOS}, or less when the first retransmission comes sooner. */
    private long holdLimitNanos() {
        return Math.min(DTLS_HOLD_LIMIT_NANOS, dtlsTuning().initialRetransmit().toNanos() * 9 / 10);
    }

    /** The configuration's DTLS tuning, or the defaults. */
    private DtlsConfig dtlsTuning() {
        RtcConfiguration config = edge.config();
        return config.dtlsTuning() == null ? DtlsConfig.defaults() : config.dtlsTuning();
    }

    /** ICE connected while the ClientHello was held: send it, or start afresh if it was held too long. */
    private boolean releaseHeldDtls(long now, IceConnectionState iceState) {
        long held = now - dtlsHeldSince;
        if (!dtlsHoldTimer.expired(now) && dtls.state() == DtlsState.CONNECTING) {
            dtlsHeld = false;
            dtlsHoldTimer.stop();
            dtlsState = DtlsState.CONNECTING;
            edge.updateConnectionState();
            LOG.debug("{}: ICE connected; the held ClientHello goes out ({} us after it was made)", logId, held / 1000);
            return true;
        }
        dropHeldDtls("ICE took " + held / 1_000_000 + " ms");
        return maybeStartDtls(now, iceState);
    }

    /**
     * Drops the held handshake unsent (its thread ends); a fresh one starts when ICE connects. Without this, a held
     * handshake would keep its thread and reach its handshake deadline while ICE is still checking.
     */
    private void dropHeldDtls(String why) {
        LOG.debug("{}: {}; the held DTLS handshake is dropped unsent, a fresh one starts when ICE connects", logId, why);
        DtlsEndpoint stale = dtls;
        dtls = null;
        dtlsHeld = false;
        if (dtlsHoldTimer != null) {
            dtlsHoldTimer.stop();
        }
        dtlsState = DtlsState.NEW;
        stale.close();
        while (stale.pollTransmit().isPresent()) {
            // discarded: nothing of the held handshake ever reaches the wire
        }
        edge.deadlineMoved();
    }

    private void onDtlsEvent(long now, DtlsEvent e) {
        switch (e) {
            case DtlsEvent.Connected c -> {
                dtlsState = DtlsState.CONNECTED;
                dtlsCipher = c.cipherSuite();
                remoteCertificateFingerprint = c.remoteFingerprint().toSdpValue();
                LOG.debug("{}: DTLS connected as {} ({}), remote {}", logId, dtlsRole, c.cipherSuite(), c.remoteFingerprint().toSdpValue());
                maybeStartSctp(now);
                connectedDue = c;
            }
            case DtlsEvent.ApplicationData a -> {
                Predicate<ByteBuffer> drop = sctpInboundDrop;
                if (drop == null || !drop.test(a.data())) {
                    if (tapPoint == null) {
                        sctp.handleOwnedInput(now, a.data()); // DTLS decrypts each record into a fresh array
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
                edge.updateConnectionState();
            }
            case DtlsEvent.Closed cl -> {
                dtlsState = DtlsState.CLOSED;
                LOG.info("{}: the peer closed DTLS", logId);
                sctp.abort("the peer closed DTLS");
                edge.updateConnectionState();
            }
        }
    }

    /**
     * DTLS connected in the drain that just ended: SRTP gets its keys (unless the connection closed meanwhile).
     * Returns whether it had connected (the caller then updates the connection state and drains again).
     */
    boolean afterConnected(long now) {
        DtlsEvent.Connected c = connectedDue;
        if (c == null) {
            return false;
        }
        connectedDue = null;
        if (!edge.isClosed()) {
            startSrtp(now, c);
        }
        return true;
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
        SrtpKeys keys = new SrtpKeys(c.srtp().profile(), c.srtp().localKey(dtlsRole), c.srtp().localSalt(dtlsRole),
                c.srtp().remoteKey(dtlsRole), c.srtp().remoteSalt(dtlsRole));
        media.startSrtp(now, keys);
    }

    /**
     * The SCTP association ended (the data channels have already had {@code onError} and {@code onClose}). A failure
     * makes the connection state {@code FAILED}: W3C derives that state from ICE and DTLS alone, but a peer connection
     * whose data transport never came up (or died) must not report {@code CONNECTED} for ever. A peer's ABORT after
     * establishment is the peer closing, not a failure.
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
        edge.updateConnectionState();
    }

    // =====================================================================================================
    // Out, time
    // =====================================================================================================

    /**
     * One round of the drain: DTLS events, SCTP packets into DTLS records, DTLS records and SRTP packets out through
     * {@link Edge#send}. Whether anything moved.
     */
    boolean drainOnce(long now) {
        boolean progress = false;
        if (dtls != null) {
            for (Optional<DtlsEvent> e = dtls.pollEvent(); e.isPresent(); e = dtls.pollEvent()) {
                progress = true;
                onDtlsEvent(now, e.get());
            }
        }
        if (dtls != null && dtls.state() == DtlsState.CONNECTED) {
            // SCTP packets as gathers: each message's bytes stay where SCTP stored them at send, and DTLS encrypts
            // them from there (one copy from the application to the socket)
            for (Gather g = sctp.pollTransmitGather(); g != null; g = sctp.pollTransmitGather()) {
                progress = true;
                stats.sctpPacketOut();
                if (tapPoint == null) {
                    dtls.send(g);
                } else {
                    tapPoint.outbound(g.flatten());
                }
            }
        }
        if (dtls != null && !dtlsHeld) {
            for (Optional<ByteBuffer> p = dtls.pollTransmit(); p.isPresent(); p = dtls.pollTransmit()) {
                progress = true;
                stats.dtlsBytesOut(p.get().remaining());
                edge.send(p.get());
            }
        }
        for (ByteBuffer p = media.pollTransmitOrNull(); p != null; p = media.pollTransmitOrNull()) {
            progress = true;
            edge.send(p);
        }
        return progress;
    }

    /** The earliest deadline of DTLS (or of a held ClientHello), SCTP and media. */
    long pollTimeout() {
        // a held DTLS client has no handshake deadline of its own: it is dropped at the hold limit instead
        long dtlsDeadline = dtls == null ? DatagramCore.NO_TIMEOUT
                : dtlsHeld ? dtlsHoldTimer.deadline() : dtls.pollTimeout();
        return Math.min(Math.min(sctp.pollTimeout(), dtlsDeadline), media.pollTimeout());
    }

    /** The clock reached {@code now}: each layer whose deadline passed handles it. The caller drains. */
    void handleTimeout(long now) {
        if (dtls != null && dtlsHeld) {
            if (dtlsHoldTimer.expired(now)) {
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
    }

    /** DTLS sends close_notify (a held handshake sends nothing). At release, after SCTP's abort and media's BYE went out. */
    void closeDtls() {
        if (dtls != null) {
            dtls.close();
            for (Optional<ByteBuffer> p = dtls.pollTransmit(); p.isPresent(); p = dtls.pollTransmit()) {
                if (!dtlsHeld) {
                    edge.send(p.get());
                }
            }
        }
    }

    /** What the {@link PacketTap} lets out goes into DTLS. Loop only. */
    private void sendTapped(ByteBuffer p) {
        if (dtls != null && dtls.state() == DtlsState.CONNECTED) {
            dtls.send(p);
            edge.requestDrain();
        }
    }

    /** What the {@link PacketTap} lets in goes into the association. Loop only. */
    private void receiveTapped(ByteBuffer p) {
        sctp.handleInput(clock.getAsLong(), p);
        edge.requestDrain();
    }
}
