package io.jrtc.peer.internal.media;

import io.jrtc.common.DatagramCore;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.TrackEvent;
import io.jrtc.peer.media.TrackInit;
import io.jrtc.sdp.Direction;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.srtp.RekeyingSrtpSession;
import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.rtp.NackGenerator;
import io.jrtc.srtp.rtp.RtcpIntervalScheduler;
import io.jrtc.srtp.rtp.RtpDemux;
import io.jrtc.srtp.rtp.RtpPacketBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media half of a peer connection, sans-IO: SRTP/SRTCP on the BUNDLEd transport, transceivers, RTP routing, RTCP
 * reports and feedback, NACK and retransmission. Bytes and time in; datagrams to send and the next wake-up out.
 *
 * <h2>Receive path</h2>
 * A datagram whose first byte is 128-191 (RFC 7983) goes to {@link #handleInput}: RTCP by its second byte (RFC 5761
 * section 4), SRTP/SRTCP unprotect (RFC 3711; keys from DTLS-SRTP, RFC 5764 section 4.2), then for RTP the BUNDLE
 * routing of RFC 9143 section 9.2 / RFC 8843: by the SSRC signalled in {@code a=ssrc}, else by the mid header
 * extension, else by a payload type only one transceiver uses. RTX packets (RFC 4588 section 4) are unwrapped into
 * the stream they repair. Duplicates are dropped, RFC 3550 statistics and the NACK generator are fed, and the packet
 * goes to the receiver's listener with its codec. Packets that arrive before the keys wait in a small buffer.
 *
 * <h2>Send path</h2>
 * {@link Sender} builds the RTP header (SSRC, sequence number, mid extension); the engine encrypts, keeps the packet
 * for NACKs when the remote negotiated {@code nack} (plaintext with RTX, else the SRTP bytes), counts it and queues
 * it for {@link #pollTransmit()}.
 *
 * <h2>RTCP</h2>
 * Reports go out on RFC 3550's randomised interval ({@link RtcpIntervalScheduler}, WebRTC's 1 s minimum): an SR per
 * sending SSRC (RFC 3550 section 6.4.1), else an RR (6.4.2), carrying report blocks for every remote source, plus SDES
 * CNAME (6.5). Generic NACKs (RFC 4585 section 6.2.1) go out when the NACK generators say; PLI (6.3.1) or FIR
 * (RFC 5104 section 4.3.1) on request, or when a gap is given up. With {@code rtcp-rsize} (RFC 5506) feedback is sent
 * alone, otherwise after an empty RR. Received SR/RR blocks give the round-trip time (RFC 3550 section 6.4.1), NACKs
 * are answered from the retransmission store, PLI/FIR go to the sender's listener.
 *
 * <h2>Layers</h2>
 * The engine is the entry point; the work is done by one class per concern, as in str0m's {@code streams/}:
 * {@link SrtpLayer} (keys, protect/unprotect, packets before keys, the transmit queue), {@link BundleRouter} (SSRC,
 * mid, payload type), {@link ReceivePath} (RTX, duplicates, statistics, NACK generation), {@link RtcpSender} (reports
 * and feedback), {@link RtcpReceiver} (reports, NACKs, PLI/FIR) and {@link Retransmitter} (NACK answers, RTX).
 *
 * <h2>Contract</h2>
 * Single-threaded: every method runs on the owner's event loop ({@link Host#inLoop()}), except the API objects'
 * methods, which hop onto it. Time comes from the caller ({@code nowNanos}, or {@link Host#nanoTime()} for sends the
 * application starts); wall-clock time for NTP fields is {@code nowNanos + unixOffsetNanos}, an offset fixed at
 * construction. Received garbage never throws: it is counted and dropped. {@link #handleInput} decrypts a copy, so the
 * caller's buffer is left as it was. After {@code handleInput}, {@code handleTimeout} or an API call the caller drains
 * {@link #pollTransmit()}; API calls made outside those ask for it through {@link Host#wake()}.
 */
public final class MediaEngine implements DatagramCore {

    /** What the engine needs from its owner: time, the loop, and a way to ask for draining and negotiation. */
    public interface Host {
        /** The monotonic clock, same base as the {@code nowNanos} given to the engine. */
        long nanoTime();

        /** Whether the caller runs on the owner's event loop. */
        boolean inLoop();

        /** Runs a task on the owner's event loop, later. */
        void execute(Runnable task);

        /** Packets were queued outside {@code handleInput}/{@code handleTimeout}: drain {@link #pollTransmit()}. */
        void wake();

        /** A transceiver change needs an offer/answer (W3C {@code negotiationneeded}). */
        void negotiationNeeded();
    }

    private static final Logger LOG = LoggerFactory.getLogger(MediaEngine.class);

    private final io.jrtc.common.LogThrottle rejectedSections = new io.jrtc.common.LogThrottle();

    /** NACK timing: 10 tries, at least 20 ms apart (or one RTT), for at most 1 s, up to 1,000 missing packets. */
    static final NackGenerator.Config NACK_CONFIG = new NackGenerator.Config(10, 20_000_000L, 100_000_000L,
            1_000_000_000L, 1000, 0);
    /** Packets are kept for retransmission this long. */
    static final long RETRANSMISSION_MAX_AGE_NANOS = 1_000_000_000L;
    /** A packet is retransmitted at most once per this interval, however many NACKs ask. */
    static final long RETRANSMISSION_MIN_INTERVAL_NANOS = 10_000_000L;
    /** PLIs the NACK generator asks for (a gap given up) are sent at most this often per stream. */
    static final long PLI_MIN_INTERVAL_NANOS = 250_000_000L;
    /** Packets that arrive before the SRTP keys and are kept for them. */
    public static final int MAX_EARLY_PACKETS = 128;
    /** Datagrams queued for sending at most; beyond, packets are dropped and counted. */
    public static final int MAX_QUEUED_TRANSMITS = 8192;
    /** Remote SSRCs (media and RTX) routed at most. */
    public static final int MAX_ROUTES = 64;
    /** Session bandwidth assumed for the RTCP interval (the 1 s minimum dominates at this rate). */
    public static final long SESSION_BANDWIDTH_BPS = 2_000_000;
    /** Largest datagram handled; a bigger one is dropped (IP/UDP cannot carry it on any usual path). */
    public static final int MAX_DATAGRAM = 2048;

    private static final String TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Host host;
    private final String logId;
    private final SplittableRandom random;
    private final String cname;
    private final long receiverSsrc;

    private final List<Transceiver> transceivers = new CopyOnWriteArrayList<>();
    private volatile Consumer<TrackEvent> onTrack = e -> { };

    // The layers (str0m's streams/): SRTP, BUNDLE routing, the RTP receive path, RTCP out and in, NACK answers.
    private final SrtpLayer srtp;
    private final BundleRouter router;
    private final ReceivePath receive;
    private final RtcpSender rtcpOut;
    private final RtcpReceiver rtcpIn;

    /** Inside handleInput/handleTimeout: packets queued now are drained by the caller, no wake-up is needed. */
    private boolean inCall;
    private volatile boolean closed;
    /** Receive buffer, made at the first SRTP datagram (a data-only connection never needs it: 2 KiB each). */
    private byte[] scratch;
    /** Test seam ({@link RtpLossFilter}); null in production. */
    volatile RtpLossFilter lossFilter;

    /**
     * @param host            the owner's clock, loop and wake-up
     * @param logId           prefix for log lines
     * @param unixOffsetNanos Unix time minus the monotonic clock, for NTP timestamps in SRs
     * @param seed            seeds SSRCs, ids, sequence numbers and the RTCP interval randomisation
     */
    public MediaEngine(Host host, String logId, long unixOffsetNanos, long seed) {
        this.host = Objects.requireNonNull(host, "host");
        this.logId = logId;
        this.random = new SplittableRandom(seed);
        this.cname = randomToken(16);
        this.receiverSsrc = newSsrc(0);
        this.srtp = new SrtpLayer(logId);
        this.router = new BundleRouter(logId, transceivers);
        this.receive = new ReceivePath(this, router, logId);
        this.rtcpOut = new RtcpSender(this, srtp, logId, seed, unixOffsetNanos);
        this.rtcpIn = new RtcpReceiver(this, router, rtcpOut, new Retransmitter(srtp, logId), logId);
    }


    // =====================================================================================================
    // Transceivers (loop)
    // =====================================================================================================

    /** W3C {@code addTransceiver}: a new transceiver, not yet in any description. */
    public Transceiver addTransceiver(MediaKind kind, TrackInit init) {
        Objects.requireNonNull(kind, "kind");
        TrackInit i = init == null ? TrackInit.DEFAULT : init;
        Transceiver t = new Transceiver(this, kind, i, null, newSsrc(i.ssrc()), newSsrc(0));
        transceivers.add(t);
        LOG.debug("{}: new {} transceiver, ssrc {}", logId, kind, t.sender.ssrc());
        startDeferredSrtp(host.nanoTime());
        return t;
    }

    /**
     * W3C {@code addTrack}: reuses a transceiver of this kind whose sender never had a track (one the remote's offer
     * created), turning recvonly into sendrecv and inactive into sendonly; else adds a transceiver with the init's
     * direction. A reused transceiver keeps its SSRC; it takes the init's stream and track ids when given.
     */
    public Transceiver addTrack(MediaKind kind, TrackInit init) {
        Objects.requireNonNull(kind, "kind");
        for (Transceiver t : transceivers) {
            if (t.kind == kind && !t.hasTrack && t.mid() != null && !t.sender.everSent()) {
                t.hasTrack = true;
                if (init != null) {
                    t.sender.useTrack(init);
                }
                Direction d = t.direction();
                t.directionInternal(d == Direction.RECVONLY ? Direction.SENDRECV : d == Direction.INACTIVE ? Direction.SENDONLY : d);
                LOG.debug("{}: addTrack reuses transceiver {}", logId, t);
                return t;
            }
        }
        Transceiver t = addTransceiver(kind, init);
        t.hasTrack = true;
        return t;
    }

    /** Every transceiver, in creation order (thread-safe snapshot). */
    public List<Transceiver> transceivers() {
        return List.copyOf(transceivers);
    }

    /** The transceiver with this mid, or null. */
    public Transceiver transceiver(String mid) {
        if (mid == null) {
            return null;
        }
        for (Transceiver t : transceivers) {
            if (mid.equals(t.mid())) {
                return t;
            }
        }
        return null;
    }

    /** W3C {@code ontrack}; called on the loop during remote description processing. */
    public void onTrack(Consumer<TrackEvent> listener) {
        onTrack = Objects.requireNonNull(listener, "listener");
    }

    // =====================================================================================================
    // Descriptions (loop)
    // =====================================================================================================

    /** Gives a transceiver its mid (when an offer we create puts it in an m-section). */
    public void assignMid(Transceiver t, String mid) {
        t.setMid(mid);
    }

    /** Our offer's m-section for a transceiver that has a mid. */
    public MediaDescription offerSection(Transceiver t) {
        if (t.mid() == null) {
            throw new IllegalStateException("the transceiver has no mid yet");
        }
        return MediaSdp.offer(t.local());
    }

    /** Our answer to an offered audio/video m-section, or null to reject it. */
    public MediaDescription answerSection(MediaDescription offered) {
        Transceiver t = transceiver(offered.mid().orElse(null));
        if (t == null) {
            return null;
        }
        MediaDescription m = MediaSdp.answer(t.local(), offered);
        if (m == null && rejectedSections.next()) {
            LOG.info("{}: rejecting {} m-section {}: no codec in common or no rtcp-mux ({} rejected so far; logged at"
                    + " 1-3, 10, 100, ...)", logId, offered.kind(), t.mid(), rejectedSections.count());
        }
        return m;
    }

    /**
     * Takes in a remote description: for an offer, matches each audio/video m-section to a transceiver by mid,
     * associates an unassociated transceiver of the same kind, or creates a recvonly one (JSEP section 5.10); then
     * fires {@code onTrack} for transceivers on which the remote now sends.
     */
    public void applyRemoteDescription(SessionDescription sdp, boolean isOffer) {
        List<Transceiver> fire = new ArrayList<>();
        for (MediaDescription m : sdp.media()) {
            MediaKind kind = MediaKind.fromSdp(m.kind());
            String mid = m.mid().orElse(null);
            if (kind == null || mid == null) {
                continue;
            }
            Transceiver t = transceiver(mid);
            if (t == null) {
                if (!isOffer || m.isRejected()) {
                    continue;
                }
                for (Transceiver x : transceivers) {
                    if (x.mid() == null && x.kind == kind) {
                        t = x;
                        break;
                    }
                }
                if (t == null) {
                    t = addTransceiver(kind, TrackInit.builder().direction(Direction.RECVONLY).build());
                }
                t.setMid(mid);
                LOG.debug("{}: remote offer's m-section {} ({}) -> {}", logId, mid, kind, t);
            }
            boolean remoteSends = !m.isRejected() && m.direction().sends();
            Negotiated preview = MediaSdp.negotiate(kind, m, m);
            t.remoteStreamIds = preview.remoteStreamIds();
            t.remoteTrackId = preview.remoteTrackId();
            if (remoteSends && !t.trackFired) {
                t.trackFired = true;
                fire.add(t);
            } else if (!remoteSends) {
                t.trackFired = false;
            }
        }
        for (Transceiver t : fire) {
            try {
                onTrack.accept(new TrackEvent(t, t.receiver, t.remoteStreamIds, t.remoteTrackId));
            } catch (RuntimeException e) {
                LOG.warn("{}: onTrack listener failed for {}", logId, t, e);
            }
        }
    }

    /**
     * Installs what a completed offer/answer negotiated, for every audio/video m-section both descriptions share.
     * Call when the signaling state returns to stable.
     */
    public void applyNegotiation(SessionDescription local, SessionDescription remote) {
        long now = host.nanoTime();
        for (MediaDescription lm : local.media()) {
            MediaKind kind = MediaKind.fromSdp(lm.kind());
            String mid = lm.mid().orElse(null);
            if (kind == null || mid == null) {
                continue;
            }
            Transceiver t = transceiver(mid);
            MediaDescription rm = remote.mediaByMid(mid).orElse(null);
            if (t == null || rm == null) {
                continue;
            }
            Negotiated n = MediaSdp.negotiate(kind, lm, rm);
            t.apply(n, now);
            LOG.debug("{}: mid {} negotiated {}: send {} receive {} rtx {}", logId, mid, n.direction().sdpName(),
                    n.sendCodecs().stream().map(c -> c.payloadType() + "/" + c.name()).toList(),
                    n.receiveCodecs().stream().map(c -> c.payloadType() + "/" + c.name()).toList(), n.sendRtx());
        }
    }

    // =====================================================================================================
    // Keys (loop)
    // =====================================================================================================

    /**
     * Installs SRTP keys from a DTLS handshake (the first, or a re-handshake: the previous keys stay valid for
     * inbound packets during {@link RekeyingSrtpSession}'s grace period). Replays packets that waited for keys.
     */
    public void startSrtp(long now, SrtpKeys keys) {
        installSrtp(now, keys, false);
    }

    private void installSrtp(long now, SrtpKeys keys, boolean mediaSeen) {
        if (!mediaSeen && !srtp.hasSession() && transceivers.isEmpty() && srtp.noEarlyPackets()) {
            // A connection without media (data channels only, as most are) needs no SRTP session: the keys are kept
            // and the session is made when media first appears (a transceiver, or an SRTP packet). Making one
            // costs CPU (and, in a fresh JVM, the SRTP library's initialisation) right when SCTP is being set up.
            srtp.defer(keys);
            return;
        }
        if (srtp.install(now, keys)) {
            rtcpOut.start(now);
        }
        byte[] p;
        while ((p = srtp.pollEarly()) != null) {
            handleInput(now, ByteBuffer.wrap(p));
        }
    }

    /** Makes the SRTP session from keys kept by {@link #startSrtp}, if any. Loop only. */
    private void startDeferredSrtp(long now) {
        SrtpKeys k = srtp.deferredKeys();
        if (k != null && !closed) {
            installSrtp(now, k, true);
        }
    }

    /** Whether the SRTP session exists (keys may be kept without one: {@link #startSrtp}). Loop only. */
    public boolean hasSrtpSession() {
        return srtp.hasSession();
    }

    /** Whether SRTP keys are in place (any thread: reads volatile state). */
    public boolean hasKeys() {
        return srtp.profile() != null && !closed;
    }

    /** The SRTP profile in use, or null. */
    public SrtpProfile profile() {
        return srtp.profile();
    }

    /** The W3C {@code srtpCipher} name of the profile in use, or null. */
    public String srtpCipher() {
        SrtpProfile p = srtp.profile();
        if (p == null) {
            return null;
        }
        return switch (p) {
            case AEAD_AES_128_GCM -> "AEAD_AES_128_GCM";
            case AEAD_AES_256_GCM -> "AEAD_AES_256_GCM";
            case AES_CM_128_HMAC_SHA1_80 -> "AES_CM_128_HMAC_SHA1_80";
            case AES_CM_128_HMAC_SHA1_32 -> "AES_CM_128_HMAC_SHA1_32";
        };
    }

    // =====================================================================================================
    // DatagramCore
    // =====================================================================================================

    @Override
    public void handleInput(long nowNanos, ByteBuffer datagram) {
        int len = datagram.remaining();
        if (closed || len < 2) {
            return;
        }
        if (!srtp.hasSession() && srtp.deferredKeys() != null) {
            startDeferredSrtp(nowNanos);
        }
        if (!srtp.hasSession()) {
            srtp.keepEarly(datagram, len);
            return;
        }
        if (len > MAX_DATAGRAM) {
            receive.rtpMalformed++;
            return;
        }
        byte[] buf = scratch;
        if (buf == null) {
            buf = scratch = new byte[MAX_DATAGRAM];
        }
        datagram.duplicate().get(buf, 0, len);
        boolean outer = !inCall;
        inCall = true;
        try {
            if (RtpDemux.isRtcp(buf, 0, len)) {
                int n = srtp.unprotectRtcp(nowNanos, buf, 0, len);
                if (n >= 0) {
                    rtcpIn.handleRtcp(nowNanos, buf, 0, n);
                }
            } else if (RtpDemux.isRtp(buf, 0, len)) {
                int n = srtp.unprotectRtp(nowNanos, buf, 0, len);
                if (n >= 0) {
                    receive.handleRtp(nowNanos, buf, 0, n);
                }
            } else {
                receive.rtpMalformed++;
            }
        } finally {
            if (outer) {
                inCall = false;
            }
        }
    }

    @Override
    public void handleTimeout(long nowNanos) {
        if (!srtp.hasSession() || closed) {
            return;
        }
        boolean outer = !inCall;
        inCall = true;
        try {
            srtp.handleTimeout(nowNanos);
            rtcpOut.handleTimeout(nowNanos);
            receive.handleTimeout(nowNanos, rtcpOut, transceivers);
        } finally {
            if (outer) {
                inCall = false;
            }
        }
    }

    @Override
    public Optional<ByteBuffer> pollTransmit() {
        return Optional.ofNullable(srtp.pollTransmit());
    }

    /** Like {@link #pollTransmit()} without the Optional: the next datagram or null. */
    public ByteBuffer pollTransmitOrNull() {
        return srtp.pollTransmit();
    }

    @Override
    public long pollTimeout() {
        if (!srtp.hasSession() || closed) {
            return NO_TIMEOUT;
        }
        return ReceivePath.pollTimeout(rtcpOut.pollTimeout(srtp.pollTimeout()), transceivers);
    }

    // =====================================================================================================
    // Send
    // =====================================================================================================

    /** Encrypts, stores, counts and queues what {@code b} holds. Loop only; called by {@link Sender}. */
    boolean sendBuilt(Sender s, RtpPacketBuilder b, int payloadLength, long timestamp) {
        long now = host.nanoTime();
        int len = b.encodedLength();
        byte[] out = new byte[len + srtp.rtpTrailerLength()];
        b.writeTo(out, 0);
        int seq = ((out[2] & 0xFF) << 8) | (out[3] & 0xFF);
        if (s.retransmissions != null && s.storesPlaintext) {
            s.retransmissions.store(now, out, 0, len);
        }
        int n = srtp.protectRtp(out, 0, len);
        if (n < 0) {
            s.notSent++;
            LOG.debug("{}: SRTP refused to protect ssrc {} seq {} ({})", logId, s.ssrc(), seq, n);
            return false;
        }
        if (s.retransmissions != null && !s.storesPlaintext) {
            s.retransmissions.store(now, out, 0, n);
        }
        s.stats.onPacketSent(now, timestamp, payloadLength);
        RtpLossFilter filter = lossFilter;
        if (filter != null && filter.dropSent(s.ssrc(), seq)) {
            return true;
        }
        srtp.enqueue(out, n);
        if (!inCall) {
            host.wake();
        }
        return true;
    }

    /** PLI (or FIR) to the remote sender of {@code mediaSsrc}. Loop only. */
    boolean sendKeyFrameRequest(Receiver r, InboundStream s, long mediaSsrc) {
        if (!srtp.hasSession() || closed) {
            return false;
        }
        Transceiver t = null;
        for (Transceiver x : transceivers) {
            if (x.receiver == r) {
                t = x;
            }
        }
        if (t == null || !rtcpOut.sendKeyFrameRequest(t, s, mediaSsrc, host.nanoTime())) {
            return false;
        }
        if (!inCall) {
            host.wake();
        }
        return true;
    }

    // =====================================================================================================
    // Close, stats, helpers
    // =====================================================================================================

    /** Sends RTCP BYE for our sending SSRCs (RFC 3550 section 6.6) and closes SRTP. Idempotent. Loop only. */
    public void close(long now) {
        if (closed) {
            return;
        }
        if (srtp.hasSession()) {
            List<Long> ssrcs = new ArrayList<>();
            for (Transceiver t : transceivers) {
                if (t.sender.stats != null && t.sender.stats.hasSent()) {
                    ssrcs.add(t.sender.ssrc());
                }
            }
            if (!ssrcs.isEmpty()) {
                rtcpOut.sendBye(ssrcs);
            }
        }
        closed = true;
        srtp.close();
    }

    /** The counters for {@code getStats()}. Loop only. */
    public MediaStatsSnapshot stats(long now) {
        List<MediaStatsSnapshot.Inbound> in = new ArrayList<>();
        List<MediaStatsSnapshot.Outbound> out = new ArrayList<>();
        List<MediaStatsSnapshot.RemoteInbound> remote = new ArrayList<>();
        for (Transceiver t : transceivers) {
            String kind = t.kind.sdpName();
            for (InboundStream s : t.receiver.streams) {
                RtpCodec c = s.lastPayloadType >= 0 ? t.receiveByPt[s.lastPayloadType] : null;
                in.add(new MediaStatsSnapshot.Inbound(s.ssrc, kind, t.mid(), c == null ? null : kind + "/" + c.name(),
                        s.lastPayloadType, s.stats.packetsReceived(), s.stats.bytesReceived(), s.stats.cumulativeLost(),
                        s.stats.jitterSeconds(), s.nackPacketsSent, s.pliSent, s.firSent, s.framesReceived,
                        s.keyFramesReceived, s.retransmittedPacketsReceived, s.retransmittedBytesReceived,
                        s.duplicatesDiscarded, s.lastPacketNanos));
            }
            Sender s = t.sender;
            Negotiated n = t.negotiated;
            if (s.stats != null) {
                String mime = n == null || n.sendCodecs().isEmpty() ? null : kind + "/" + n.sendCodecs().get(0).name();
                out.add(new MediaStatsSnapshot.Outbound(s.ssrc(), s.rtxSsrc(), kind, t.mid(), mime, s.stats.packetsSent()
                        + (s.storesPlaintext ? s.retransmittedPackets : 0), s.stats.payloadBytesSent()
                        + (s.storesPlaintext ? s.retransmittedBytes : 0), s.retransmittedPackets, s.retransmittedBytes,
                        s.nacksReceived, s.plisReceived, s.firsReceived, s.notSent));
                if (s.stats.reportsReceived() > 0) {
                    long rtt = s.stats.roundTripTimeNanos();
                    remote.add(new MediaStatsSnapshot.RemoteInbound(s.ssrc(), kind, t.mid(), s.stats.remoteCumulativeLost(),
                            s.stats.remoteFractionLost() / 256.0, s.stats.remoteJitterSeconds(), rtt < 0 ? 0 : rtt / 1e9,
                            s.stats.totalRoundTripTimeNanos() / 1e9, s.stats.roundTripTimeMeasurements(),
                            s.stats.reportsReceived()));
                }
            }
        }
        return new MediaStatsSnapshot(srtpCipher(), in, out, remote, srtp.inboundDropped(),
                receive.unroutable, rtcpIn.rtcpMalformed, srtp.droppedBeforeKeys, rtcpOut.rtcpSent, rtcpIn.rtcpReceived);
    }

    /**
     * Installs a test seam (see {@link RtpLossFilter}): simulated loss of original packets we send and of received
     * media packets, so that NACKs ask for repairs. Null removes it. Never set in production.
     */
    public void setLossFilter(RtpLossFilter filter) {
        lossFilter = filter;
    }

    /** The installed {@link RtpLossFilter}, or null. */
    public RtpLossFilter lossFilter() {
        return lossFilter;
    }

    /** RTP packets that failed RTP parsing after SRTP. */
    public long rtpMalformed() {
        return receive.rtpMalformed;
    }

    /** Packets routed to a transceiver whose negotiated direction does not receive. */
    public long notReceiving() {
        return receive.notReceiving;
    }

    /** Datagrams dropped because the transmit queue was full. */
    public long queueOverflow() {
        return srtp.queueOverflow;
    }

    /** The CNAME of our RTP sources (RFC 3550 section 6.5.1; RFC 7022 random form). */
    public String cname() {
        return cname;
    }

    /** The SSRC our receiver reports and feedback come from when no sender of ours is sending. */
    public long receiverSsrc() {
        return receiverSsrc;
    }

    List<Transceiver> transceiverList() {
        return transceivers;
    }

    boolean isClosed() {
        return closed;
    }

    void negotiationNeeded() {
        host.negotiationNeeded();
    }

    boolean inLoop() {
        return host.inLoop();
    }

    /** Runs on the loop: at once when already there. */
    void onLoop(Runnable r) {
        if (host.inLoop()) {
            r.run();
        } else {
            host.execute(() -> {
                r.run();
                host.wake();
            });
        }
    }

    int randomInt() {
        return random.nextInt();
    }

    String randomToken(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(TOKEN_ALPHABET.charAt(random.nextInt(TOKEN_ALPHABET.length())));
        }
        return sb.toString();
    }

    private long newSsrc(long wanted) {
        if (wanted != 0 && !ssrcInUse(wanted)) {
            return wanted;
        }
        for (;;) {
            long s = random.nextLong(1, 0x1_0000_0000L);
            if (!ssrcInUse(s)) {
                return s;
            }
        }
    }

    private boolean ssrcInUse(long s) {
        if (s == receiverSsrc) {
            return true;
        }
        for (Transceiver t : transceivers) {
            if (t.sender.ssrc() == s || t.sender.rtxSsrc() == s) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "MediaEngine[" + logId + ", " + transceivers.size() + " transceivers, " + router.size() + " routes, srtp="
                + (srtp.profile() == null ? "none" : srtp.profile()) + "]";
    }
}
