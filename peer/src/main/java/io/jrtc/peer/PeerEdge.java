package io.jrtc.peer;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ErrorKind;
import io.jrtc.datachannel.DataChannelEndpoint;
import io.jrtc.datachannel.DataChannelError;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.dtls.DtlsEndpoint;
import io.jrtc.dtls.DtlsEvent;
import io.jrtc.dtls.DtlsRole;
import io.jrtc.dtls.DtlsState;
import io.jrtc.dtls.Fingerprint;
import io.jrtc.dtls.HandshakeThreads;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.netty.IceTransport;
import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.srtp.SrtpKeys;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport edge of one {@link PeerConnection}, on its Netty event loop: the ICE transport (sockets), the one
 * demultiplexing point for what the selected pair delivers (RFC 7983: 20-63 DTLS, 128-191 SRTP/SRTCP), DTLS with its
 * SCTP data channels and the {@link MediaEngine}, the one {@link #drain()} that moves what the layers queued, and the
 * one scheduled task for the earliest deadline of DTLS, SCTP and media. Loop-confined, except
 * {@link #requestDrain()}.
 *
 * <p>A step towards a sans-IO {@code RtcCore}: everything here but {@link IceTransport}, {@link #requestDrain()} and
 * {@link #rearmTimer()} only takes bytes and {@code System.nanoTime()}; once ICE has a sans-IO agent at this level,
 * those three become the Netty edge and the rest the core.
 */
final class PeerEdge {

    /** The façade's logger: the lines a connection logs keep their name whichever part writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final int MAX_EARLY_DTLS = 32;
    /** How long a DTLS client's ClientHello may be held for ICE: less than BouncyCastle's first retransmission. */
    private static final long DTLS_HOLD_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(90);

    private final PeerConnection pc;
    private final EventLoop loop;
    private final String logId;
    private final StatsCollector stats;
    final IceTransport ice;
    final DataChannelEndpoint sctp;
    final MediaEngine media;
    private Negotiation negotiation;

    private volatile String dtlsCipher;
    private volatile String remoteCertificateFingerprint;
    private volatile io.jrtc.dtls.RefusedCertificate refusedRemoteCertificate;

    // ---- loop-confined ----
    /** Transports, sockets and timers released (by close, or by the connect timeout). */
    private boolean released;
    private DtlsRole dtlsRole;
    private List<Fingerprint> remoteFingerprints = List.of();
    private DtlsEndpoint dtls;
    /**
     * The DTLS client was started before ICE connected and its ClientHello is held (not sent) until ICE connects: see
     * {@link #maybeStartDtls()}.
     */
    private boolean dtlsHeld;
    private long dtlsHeldSince;
    private boolean dtlsHeadStartTaken;
    private boolean dtlsHeadStartDue;
    /**
     * DTLS connected inside a drain: SRTP's keys and the connection state follow at the end of that drain, once SCTP's
     * INIT is out (a data channel's set-up waits for neither).
     */
    private DtlsEvent.Connected connectedDue;
    private DtlsState dtlsState = DtlsState.NEW;
    private final ArrayDeque<ByteBuffer> earlyDtls = new ArrayDeque<>();
    private boolean sctpStarted;
    /** Whether the SCTP association was ever established. */
    private boolean sctpConnected;
    /** The selected ICE pair, as last reported. */
    private IceCandidatePair selectedPair;
    /**
     * ICE went {@code disconnected} or {@code failed} since SCTP was last told the path works: when ICE is connected
     * again (consent answers back, or an ICE restart after consent expired), SCTP is told.
     */
    private boolean pathLost;
    /**
     * Whether SCTP failed: it never came up after DTLS (INITs unanswered, an ABORT during setup), or it died of
     * timeouts or a protocol error later. The connection state then reports {@code FAILED}.
     */
    private boolean sctpFailed;
    /** Test seam: inbound SCTP packets for which this is true are dropped before the association sees them. */
    private volatile Predicate<ByteBuffer> sctpInboundDrop;

    private ScheduledFuture<?> timer;
    private long timerDeadline = DatagramCore.NO_TIMEOUT;
    /** A drain task is queued on the loop (set from any thread). */
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** Inside {@link #drain()}: a nested request is covered by the running drain's next round. */
    private boolean draining;

    PeerEdge(PeerConnection pc, RtcConfiguration config, RtcLimits limits, LimitCounters counters, ConnectionLimits connectionLimits,
            StatsCollector stats, long mediaSeed) {
        this.pc = pc;
        this.loop = pc.eventLoop();
        this.logId = pc.logId();
        this.stats = stats;
        IceConfig.Builder ib = (config.iceTuning() == null ? IceConfig.builder() : config.iceTuning().toBuilder())
                .servers(config.iceServers())
                .policy(config.iceTransportPolicy());
        if (!config.bindAddresses().isEmpty() || !config.bindInterfaces().isEmpty()) {
            ib.bindAddresses(config.bindAddresses()).bindInterfaces(config.bindInterfaces());
        }
        this.ice = new IceTransport(loop, ib.build());
        SctpConfig sc = (config.sctpTuning() == null ? SctpConfig.builder() : config.sctpTuning().toBuilder())
                .maxMessageSize(config.maxMessageSize())
                .maxSendBuffer(Math.max(limits.maxBufferedBytes(), config.maxMessageSize())).build();
        this.sctp = new DataChannelEndpoint(sc, System::nanoTime, this::requestDrain, logId);
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
            pc.fireDataChannel(ch);
        });
        sctp.onSendBufferFull(counters.sendsRefusedBufferFull::increment);
        sctp.onConnected(() -> {
            sctpConnected = true;
            LOG.debug("{}: SCTP association established", logId);
        });
        sctp.onTransportClosed(this::onSctpClosed);
        this.media = new MediaEngine(new MediaHost(), logId, System.currentTimeMillis() * 1_000_000L - System.nanoTime(),
                mediaSeed);
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
        if (s == IceConnectionState.DISCONNECTED || s == IceConnectionState.FAILED) {
            pathLost = true;
        } else if (pathLost && (s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED)) {
            pathLost = false;
            if (sctpStarted && !pc.isClosed()) {
                // Consent answers are back, or an ICE restart after consent expired (failed, checking, connected) found
                // the path again, often the same pair (no onSelectedPair move). SCTP's T3-rtx timer backed off while
                // it was dead (25.6 s after six expiries from 400 ms): retransmit what is outstanding now, as on a
                // path change.
                sctpPathRenewed("the path is back (ICE " + previous + " -> " + s + ")");
            }
        }
        pc.fireIceConnectionStateChange(s);
        maybeStartDtls();
        pc.updateConnectionState();
    }

    /** The one demultiplexing point (RFC 7983) for what the selected pair delivers. */
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
            drain();
        } else if (first >= 128 && first <= 191) {
            media.handleInput(System.nanoTime(), data);
            drain();
        } else {
            stats.unknownDatagram();
            LOG.trace("{}: dropping datagram with first byte {}", logId, first);
        }
    }

    /**
     * A new selected pair. When it replaces another one (an ICE restart moved the link, e.g. off a dead TURN server),
     * SCTP is told the path changed: RTO from RTO.Initial and outstanding data retransmitted at once, not when its
     * T3-rtx timer, backed off on the dead path, fires (up to 6.4 s later after a 5 s outage).
     */
    private void onSelectedPair(IceCandidatePair p) {
        IceCandidatePair previous = selectedPair;
        selectedPair = p;
        LOG.debug("{}: selected pair {}", logId, p);
        if (previous != null && !previous.equals(p) && sctpStarted && !pc.isClosed()) {
            sctpPathRenewed("the link moved to " + p);
        }
    }

    /**
     * SCTP's path is new or back (a new selected pair, or ICE connected again after a loss): its RTO starts again
     * from RTO.Initial and what is outstanding goes out now, not when a T3-rtx timer backed off on the dead path
     * fires. Told once per outage.
     */
    private void sctpPathRenewed(String why) {
        LOG.info("{}: {}; SCTP retransmits what is outstanding now", logId, why);
        pathLost = false;
        sctp.association().pathChanged(System.nanoTime());
        requestDrain();
    }

    // =====================================================================================================
    // DTLS, SCTP, SRTP
    // =====================================================================================================

    DtlsRole dtlsRole() {
        return dtlsRole;
    }

    void setDtlsRole(DtlsRole role) {
        dtlsRole = role;
        sctp.setRole(role == DtlsRole.CLIENT ? io.jrtc.datachannel.DtlsRole.CLIENT : io.jrtc.datachannel.DtlsRole.SERVER);
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

    void maybeStartSctp(long now) {
        if (!sctpStarted && dtlsState == DtlsState.CONNECTED && negotiation.dataNegotiated()) {
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
     * the held handshake is dropped unsent and a fresh one starts at connect, as without the head start.
     */
    void maybeStartDtls() {
        if (pc.isClosed() || dtlsRole == null || remoteFingerprints.isEmpty()) {
            return;
        }
        IceConnectionState iceState = pc.iceConnectionState();
        boolean iceUp = iceState == IceConnectionState.CONNECTED || iceState == IceConnectionState.COMPLETED;
        if (dtls != null) {
            if (dtlsHeld && iceUp) {
                releaseHeldDtls();
            }
            return;
        }
        boolean hold = !iceUp && !dtlsHeadStartTaken && dtlsRole == DtlsRole.CLIENT
                && iceState != IceConnectionState.FAILED && iceState != IceConnectionState.CLOSED;
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
        dtls = new DtlsEndpoint(dc, dtlsRole, pc.certificate(), remoteFingerprints, this::requestDrain);
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
        pc.updateConnectionState();
        drain();
    }

    /** The hold limit: {@link #DTLS_HOLD_LIMIT_NANOS}, or less when the first retransmission comes sooner. */
    private long holdLimitNanos() {
        return Math.min(DTLS_HOLD_LIMIT_NANOS, dtlsTuning().initialRetransmit().toNanos() * 9 / 10);
    }

    /** The configuration's DTLS tuning, or the defaults. */
    private DtlsConfig dtlsTuning() {
        RtcConfiguration config = pc.config();
        return config.dtlsTuning() == null ? DtlsConfig.defaults() : config.dtlsTuning();
    }

    /** ICE connected while the ClientHello was held: send it, or start afresh if it was held too long. */
    private void releaseHeldDtls() {
        long held = System.nanoTime() - dtlsHeldSince;
        if (held <= holdLimitNanos() && dtls.state() == DtlsState.CONNECTING) {
            dtlsHeld = false;
            dtlsState = DtlsState.CONNECTING;
            pc.updateConnectionState();
            LOG.debug("{}: ICE connected; the held ClientHello goes out ({} us after it was made)", logId, held / 1000);
            drain();
            return;
        }
        dropHeldDtls("ICE took " + held / 1_000_000 + " ms");
        maybeStartDtls();
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
        dtlsState = DtlsState.NEW;
        stale.close();
        while (stale.pollTransmit().isPresent()) {
            // discarded: nothing of the held handshake ever reaches the wire
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
                connectedDue = c;
            }
            case DtlsEvent.ApplicationData a -> {
                Predicate<ByteBuffer> drop = sctpInboundDrop;
                if (drop == null || !drop.test(a.data())) {
                    sctp.handleInput(now, a.data());
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
                pc.updateConnectionState();
            }
            case DtlsEvent.Closed cl -> {
                dtlsState = DtlsState.CLOSED;
                LOG.info("{}: the peer closed DTLS", logId);
                sctp.abort("the peer closed DTLS");
                pc.updateConnectionState();
            }
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
        pc.updateConnectionState();
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
     * Moves everything queued between the layers until nothing moves (DTLS events, SCTP packets into DTLS records,
     * DTLS records and SRTP packets onto the ICE pair), then re-arms the one timer. Loop only.
     */
    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            long now = System.nanoTime();
            for (int guard = 0; guard < 10_000; guard++) {
                if (!drainOnce(now)) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("{}: internal error while moving data between layers", logId, e);
        } finally {
            draining = false;
        }
        DtlsEvent.Connected c = connectedDue;
        if (c != null) {
            connectedDue = null;
            if (!pc.isClosed()) {
                startSrtp(System.nanoTime(), c);
            }
            pc.updateConnectionState();
            drain(); // what SRTP or the state listeners queued; it re-arms the timer
            return;
        }
        rearmTimer();
    }

    /** One round of {@link #drain()}: whether anything moved. */
    private boolean drainOnce(long now) {
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
                dtls.send(p.get());
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
        return progress;
    }

    /**
     * The one scheduled task: re-armed only when the earliest deadline of DTLS, SCTP, media and the connect timeout
     * ({@link RtcLimits#connectTimeout()}) moved.
     */
    void rearmTimer() {
        if (pc.isClosed() || released) {
            return;
        }
        // a held DTLS client has no handshake deadline of its own: it is dropped at the hold limit instead
        long dtlsDeadline = dtls == null ? DatagramCore.NO_TIMEOUT
                : dtlsHeld ? dtlsHeldSince + holdLimitNanos() : dtls.pollTimeout();
        long deadline = Math.min(Math.min(sctp.pollTimeout(), dtlsDeadline), Math.min(media.pollTimeout(),
                pc.connectDeadline()));
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
            sctp.abort(why);
            media.close(System.nanoTime());
            drain();
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
