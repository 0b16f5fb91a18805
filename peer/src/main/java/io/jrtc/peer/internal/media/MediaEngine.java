package io.jrtc.peer.internal.media;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ParseException;
import io.jrtc.peer.media.KeyFrameRequest;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpPacketEvent;
import io.jrtc.peer.media.TrackEvent;
import io.jrtc.peer.media.TrackInit;
import io.jrtc.sdp.Direction;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.srtp.RekeyingSrtpSession;
import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.SrtpSession;
import io.jrtc.srtp.codec.Vp8PayloadDescriptor;
import io.jrtc.srtp.rtp.FullIntraRequest;
import io.jrtc.srtp.rtp.GenericNack;
import io.jrtc.srtp.rtp.Goodbye;
import io.jrtc.srtp.rtp.NackGenerator;
import io.jrtc.srtp.rtp.NtpTime;
import io.jrtc.srtp.rtp.PictureLossIndication;
import io.jrtc.srtp.rtp.ReceiverEstimatedMaxBitrate;
import io.jrtc.srtp.rtp.ReceiverReport;
import io.jrtc.srtp.rtp.ReportBlock;
import io.jrtc.srtp.rtp.RtcpCompound;
import io.jrtc.srtp.rtp.RtcpIntervalScheduler;
import io.jrtc.srtp.rtp.RtcpPacket;
import io.jrtc.srtp.rtp.RtpDemux;
import io.jrtc.srtp.rtp.RtpPacket;
import io.jrtc.srtp.rtp.RtpPacketBuilder;
import io.jrtc.srtp.rtp.SenderReport;
import io.jrtc.srtp.rtp.SourceDescription;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
    private final long unixOffsetNanos;
    private final long seed;
    private final SplittableRandom random;
    private final String cname;
    private final long receiverSsrc;

    private final List<Transceiver> transceivers = new CopyOnWriteArrayList<>();
    private volatile Consumer<TrackEvent> onTrack = e -> { };

    private RekeyingSrtpSession srtp;
    /** Keys from DTLS kept until the first media (see {@link #startSrtp}); null once the session is made. */
    private SrtpKeys deferredKeys;
    private volatile SrtpProfile profile;
    private RtcpIntervalScheduler scheduler;
    private final ArrayDeque<ByteBuffer> transmits = new ArrayDeque<>();
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private boolean inCall;
    private volatile boolean closed;

    // Routing table: remote SSRC -> stream (media or RTX).
    private long[] routeSsrc = new long[8];
    private InboundStream[] routeStream = new InboundStream[8];
    private boolean[] routeRtx = new boolean[8];
    private int routes;
    private int lastRoute = -1;

    private byte[] scratch = new byte[MAX_DATAGRAM];
    private final RtpPacket view = new RtpPacket();
    private final RtpPacket retransmitView = new RtpPacket();
    private final RtcpCompound.Cursor cursor = new RtcpCompound.Cursor();
    private final PacketEvent event = new PacketEvent();

    private long droppedBeforeKeys;
    private long unroutable;
    private long rtpMalformed;
    private long rtcpMalformed;
    private long rtcpSent;
    private long rtcpReceived;
    private long queueOverflow;
    private long notReceiving;
    private long listenerFailures;
    private volatile LossHook inboundLossHook;
    private long inboundLossHookDrops;

    /**
     * @param host            the owner's clock, loop and wake-up
     * @param logId           prefix for log lines
     * @param unixOffsetNanos Unix time minus the monotonic clock, for NTP timestamps in SRs
     * @param seed            seeds SSRCs, ids, sequence numbers and the RTCP interval randomisation
     */
    public MediaEngine(Host host, String logId, long unixOffsetNanos, long seed) {
        this.host = Objects.requireNonNull(host, "host");
        this.logId = logId;
        this.unixOffsetNanos = unixOffsetNanos;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.cname = randomToken(16);
        this.receiverSsrc = newSsrc(0);
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
        if (!mediaSeen && srtp == null && transceivers.isEmpty() && early.isEmpty()) {
            // A connection without media (data channels only, as most are) needs no SRTP session: the keys are kept
            // and the session is made when media first appears (a transceiver, or an SRTP packet). Making one
            // costs CPU (and, in a fresh JVM, the SRTP library's initialisation) right when SCTP is being set up.
            deferredKeys = keys;
            profile = keys.profile();
            LOG.debug("{}: SRTP keys kept ({}); the session is made with the first media", logId, profile);
            return;
        }
        deferredKeys = null;
        SrtpSession s = SrtpSession.create(keys);
        if (srtp == null) {
            srtp = new RekeyingSrtpSession(s);
            scheduler = new RtcpIntervalScheduler(RtcpIntervalScheduler.Config.webrtc(SESSION_BANDWIDTH_BPS), seed, now);
        } else {
            srtp.rekey(now, s);
        }
        profile = keys.profile();
        LOG.debug("{}: SRTP keys installed ({})", logId, profile);
        while (!early.isEmpty()) {
            byte[] p = early.poll();
            handleInput(now, ByteBuffer.wrap(p));
        }
    }

    /** Makes the SRTP session from keys kept by {@link #startSrtp}, if any. Loop only. */
    private void startDeferredSrtp(long now) {
        SrtpKeys k = deferredKeys;
        if (k != null && !closed) {
            deferredKeys = null;
            installSrtp(now, k, true);
        }
    }

    /** Whether the SRTP session exists (keys may be kept without one: {@link #startSrtp}). Loop only. */
    public boolean hasSrtpSession() {
        return srtp != null;
    }

    /** Whether SRTP keys are in place (any thread: reads volatile state). */
    public boolean hasKeys() {
        return profile != null && !closed;
    }

    /** The SRTP profile in use, or null. */
    public SrtpProfile profile() {
        return profile;
    }

    /** The W3C {@code srtpCipher} name of the profile in use, or null. */
    public String srtpCipher() {
        SrtpProfile p = profile;
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
        if (srtp == null && deferredKeys != null) {
            startDeferredSrtp(nowNanos);
        }
        if (srtp == null) {
            if (early.size() < MAX_EARLY_PACKETS && len <= MAX_DATAGRAM) {
                byte[] copy = new byte[len];
                datagram.duplicate().get(copy);
                early.add(copy);
            } else {
                droppedBeforeKeys++;
            }
            return;
        }
        if (len > MAX_DATAGRAM) {
            rtpMalformed++;
            return;
        }
        byte[] buf = scratch;
        datagram.duplicate().get(buf, 0, len);
        boolean outer = !inCall;
        inCall = true;
        try {
            if (RtpDemux.isRtcp(buf, 0, len)) {
                int n = srtp.unprotectRtcp(nowNanos, buf, 0, len);
                if (n >= 0) {
                    handleRtcp(nowNanos, buf, 0, n);
                }
            } else if (RtpDemux.isRtp(buf, 0, len)) {
                int n = srtp.unprotectRtp(nowNanos, buf, 0, len);
                if (n >= 0) {
                    handleRtp(nowNanos, buf, 0, n);
                }
            } else {
                rtpMalformed++;
            }
        } finally {
            if (outer) {
                inCall = false;
            }
        }
    }

    @Override
    public void handleTimeout(long nowNanos) {
        if (srtp == null || closed) {
            return;
        }
        boolean outer = !inCall;
        inCall = true;
        try {
            if (srtp.pollTimeout() <= nowNanos) {
                srtp.handleTimeout(nowNanos);
            }
            if (rtcpActive() && scheduler.pollTimeout() <= nowNanos && scheduler.handleTimeout(nowNanos)) {
                sendReports(nowNanos);
            }
            for (Transceiver t : transceivers) {
                for (InboundStream s : t.receiver.streams) {
                    NackGenerator g = s.nack;
                    if (g == null || g.pollTimeout() > nowNanos) {
                        continue;
                    }
                    List<Integer> lost = g.pollNack(nowNanos);
                    if (!lost.isEmpty()) {
                        sendFeedback(t, GenericNack.fromLost(receiverSsrc, s.ssrc, lost));
                        s.nackPacketsSent++;
                    }
                    if (g.keyFrameNeeded()) {
                        g.clearKeyFrameNeeded();
                        if (t.receiver.pliNegotiated() && (s.pliSent == 0 || nowNanos - s.lastPliNanos >= PLI_MIN_INTERVAL_NANOS)) {
                            sendKeyFrameRequest(t.receiver, s, s.ssrc);
                        }
                    }
                }
            }
        } finally {
            if (outer) {
                inCall = false;
            }
        }
    }

    @Override
    public Optional<ByteBuffer> pollTransmit() {
        return Optional.ofNullable(transmits.poll());
    }

    /** Like {@link #pollTransmit()} without the Optional: the next datagram or null. */
    public ByteBuffer pollTransmitOrNull() {
        return transmits.poll();
    }

    @Override
    public long pollTimeout() {
        if (srtp == null || closed) {
            return NO_TIMEOUT;
        }
        long t = srtp.pollTimeout();
        if (rtcpActive()) {
            t = Math.min(t, scheduler.pollTimeout());
        }
        for (Transceiver tr : transceivers) {
            for (InboundStream s : tr.receiver.streams) {
                if (s.nack != null && s.nack.missingCount() > 0) {
                    t = Math.min(t, s.nack.pollTimeout());
                }
            }
        }
        return t;
    }

    private boolean rtcpActive() {
        for (Transceiver t : transceivers) {
            Negotiated n = t.negotiated;
            if (n != null && n.direction() != Direction.INACTIVE) {
                return true;
            }
        }
        return false;
    }

    // =====================================================================================================
    // Receive RTP
    // =====================================================================================================

    private void handleRtp(long now, byte[] buf, int off, int len) {
        if (view.wrap(buf, off, len) != null) {
            rtpMalformed++;
            return;
        }
        long ssrc = view.ssrc();
        int r = route(ssrc);
        if (r < 0) {
            r = resolve(ssrc, view.payloadType());
            if (r < 0) {
                unroutable++;
                if (unroutable == 1 || LOG.isTraceEnabled()) {
                    LOG.debug("{}: no transceiver for RTP ssrc {} pt {} (first such packet; later ones are counted)", logId,
                            ssrc, view.payloadType());
                }
                return;
            }
        }
        InboundStream s = routeStream[r];
        LossHook hook = inboundLossHook;
        if (hook != null && !routeRtx[r]) {
            boolean first = !s.lossHookSawFirst;
            s.lossHookSawFirst = true;
            if (!first && hook.drop(ssrc, view.sequenceNumber())) {
                inboundLossHookDrops++;
                return;
            }
        }
        boolean retransmitted = false;
        if (routeRtx[r]) {
            int apt = s.transceiver.rtxApt[view.payloadType()];
            if (apt < 0) {
                unroutable++;
                return;
            }
            if (view.payloadLength() < 2) {
                s.paddingOnlyPackets++;
                return;
            }
            int osn = ((buf[view.payloadOffset()] & 0xFF) << 8) | (buf[view.payloadOffset() + 1] & 0xFF);
            int h = view.headerLength();
            // RFC 4588 section 4: drop the OSN, restoring the original header in front of the original payload.
            System.arraycopy(buf, off, buf, off + 2, h);
            off += 2;
            len -= 2;
            if (view.wrap(buf, off, len) != null) {
                rtpMalformed++;
                return;
            }
            view.setSequenceNumber(osn);
            view.setPayloadType(apt);
            view.setSsrc(s.ssrc);
            retransmitted = true;
        }
        deliver(now, s, retransmitted, buf);
    }

    private void deliver(long now, InboundStream s, boolean retransmitted, byte[] buf) {
        int seq = view.sequenceNumber();
        if (s.duplicate(seq)) {
            s.duplicatesDiscarded++;
            return;
        }
        int payloadLength = view.payloadLength();
        s.stats.onPacket(now, seq, view.timestamp(), payloadLength);
        s.lastPacketNanos = now;
        if (s.nack != null) {
            long before = s.nack.recovered();
            s.nack.onPacket(now, seq);
            // Without RTX a repair comes on the media SSRC: it is the packet that fills a gap being NACKed.
            retransmitted |= s.nack.recovered() != before;
        }
        if (retransmitted) {
            s.retransmittedPacketsReceived++;
            s.retransmittedBytesReceived += payloadLength;
        }
        Transceiver t = s.transceiver;
        int pt = view.payloadType();
        RtpCodec codec = t.receiveByPt[pt];
        if (codec == null) {
            s.unknownPayloadType++;
            return;
        }
        s.lastPayloadType = pt;
        if (payloadLength == 0) {
            s.paddingOnlyPackets++;
            return;
        }
        boolean key = false;
        if (t.kind == MediaKind.VIDEO) {
            if (view.marker()) {
                s.framesReceived++;
            }
            if (codec.matches("VP8") && Vp8PayloadDescriptor.isKeyFrameStart(buf, view.payloadOffset(), payloadLength)) {
                key = true;
                s.keyFramesReceived++;
            }
        }
        if (!t.receiving()) {
            notReceiving++;
            return;
        }
        Consumer<RtpPacketEvent> l = t.receiver.onRtp;
        if (l != null) {
            event.set(view, t.mid(), t.kind, codec, now, retransmitted, key);
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                listenerFailures++;
                if (listenerFailures == 1) {
                    LOG.warn("{}: onRtp listener of mid {} threw (later failures are logged at DEBUG)", logId, t.mid(), e);
                } else {
                    LOG.debug("{}: onRtp listener of mid {} threw: {}", logId, t.mid(), e.toString());
                }
            }
        }
    }

    private int route(long ssrc) {
        int last = lastRoute;
        if (last >= 0 && routeSsrc[last] == ssrc) {
            return last;
        }
        for (int i = 0; i < routes; i++) {
            if (routeSsrc[i] == ssrc) {
                lastRoute = i;
                return i;
            }
        }
        return -1;
    }

    /** RFC 9143 section 9.2: an SSRC seen for the first time is routed by a=ssrc, the mid extension, or payload type. */
    private int resolve(long ssrc, int pt) {
        if (routes >= MAX_ROUTES) {
            return -1;
        }
        Transceiver t = null;
        for (Transceiver x : transceivers) {
            Negotiated n = x.negotiated;
            if (n != null && n.remoteSsrcs().contains(ssrc)) {
                t = x;
                break;
            }
        }
        if (t == null) {
            t = byMidExtension();
        }
        if (t == null) {
            for (Transceiver x : transceivers) {
                if (x.negotiated != null && (x.receiveByPt[pt] != null || x.rtxApt[pt] >= 0)) {
                    if (t != null) {
                        return -1;
                    }
                    t = x;
                }
            }
        }
        if (t == null || t.negotiated == null) {
            return -1;
        }
        Negotiated n = t.negotiated;
        boolean rtx = t.rtxApt[pt] >= 0 || n.remoteRtxSsrcs().containsKey(ssrc);
        if (rtx) {
            Long primary = n.remoteRtxSsrcs().get(ssrc);
            InboundStream target = null;
            if (primary != null) {
                int pr = route(primary);
                target = pr >= 0 ? routeStream[pr] : null;
                if (target == null) {
                    target = newStream(primary, t);
                    if (target == null) {
                        return -1;
                    }
                }
            } else if (t.receiver.streams.size() == 1) {
                target = t.receiver.streams.get(0);
            }
            if (target == null) {
                return -1;
            }
            target.rtxSsrc = ssrc;
            return addRoute(ssrc, target, true);
        }
        InboundStream s = newStream(ssrc, t);
        return s == null ? -1 : route(ssrc);
    }

    private InboundStream newStream(long ssrc, Transceiver t) {
        if (routes >= MAX_ROUTES) {
            return null;
        }
        InboundStream s = new InboundStream(ssrc, t, t.receiveClockRate());
        t.receiver.configure(s);
        t.receiver.streams.add(s);
        addRoute(ssrc, s, false);
        LOG.debug("{}: new inbound stream ssrc {} on mid {}", logId, ssrc, t.mid());
        return s;
    }

    private int addRoute(long ssrc, InboundStream s, boolean rtx) {
        if (routes == routeSsrc.length) {
            routeSsrc = Arrays.copyOf(routeSsrc, routes * 2);
            routeStream = Arrays.copyOf(routeStream, routes * 2);
            routeRtx = Arrays.copyOf(routeRtx, routes * 2);
        }
        routeSsrc[routes] = ssrc;
        routeStream[routes] = s;
        routeRtx[routes] = rtx;
        return routes++;
    }

    /** The transceiver named by the packet's mid header extension (RFC 8843 section 15.2), or null. */
    private Transceiver byMidExtension() {
        int id = 0;
        for (Transceiver t : transceivers) {
            Negotiated n = t.negotiated;
            if (n != null && n.midExtensionId() > 0) {
                id = n.midExtensionId();
                break;
            }
        }
        if (id == 0) {
            return null;
        }
        int at = view.extensionValueOffset(id);
        if (at < 0) {
            return null;
        }
        int n = view.extensionValueLength(id);
        byte[] b = view.buffer();
        for (Transceiver t : transceivers) {
            String mid = t.mid();
            if (mid != null && mid.length() == n && t.negotiated != null) {
                boolean same = true;
                for (int i = 0; i < n && same; i++) {
                    same = (b[at + i] & 0xFF) == mid.charAt(i);
                }
                if (same) {
                    return t;
                }
            }
        }
        return null;
    }

    // =====================================================================================================
    // Receive RTCP
    // =====================================================================================================

    private void handleRtcp(long now, byte[] buf, int off, int len) {
        rtcpReceived++;
        if (scheduler != null) {
            scheduler.onRtcpReceived(len);
        }
        long ntpNow = ntp(now);
        cursor.reset(buf, off, len);
        while (cursor.next()) {
            int type = cursor.packetType();
            int fmt = cursor.count();
            try {
                switch (type) {
                    case 200 -> {
                        SenderReport sr = (SenderReport) cursor.decode();
                        InboundStream s = inbound(sr.ssrc());
                        if (s != null) {
                            s.stats.onSenderReport(now, sr.ntpTimestamp());
                            fireReceiver(s, sr);
                        }
                        reportBlocks(sr, sr.reportBlocks(), ntpNow);
                    }
                    case 201 -> {
                        ReceiverReport rr = (ReceiverReport) cursor.decode();
                        reportBlocks(rr, rr.reportBlocks(), ntpNow);
                    }
                    case 202, 203 -> {
                        InboundStream s = inbound(cursor.firstSsrc());
                        if (s != null) {
                            RtcpPacket p = cursor.decode();
                            if (p instanceof Goodbye) {
                                s.ended = true;
                            }
                            fireReceiver(s, p);
                        }
                    }
                    case 205 -> {
                        if (fmt == GenericNack.FMT) {
                            GenericNack nack = (GenericNack) cursor.decode();
                            Sender s = senderBySsrc(nack.mediaSsrc());
                            if (s != null) {
                                onNack(now, s, nack);
                            }
                        }
                    }
                    case 206 -> {
                        if (fmt == PictureLossIndication.FMT) {
                            PictureLossIndication pli = (PictureLossIndication) cursor.decode();
                            Sender s = senderBySsrc(pli.mediaSsrc());
                            if (s != null) {
                                s.plisReceived++;
                                fireKeyFrame(s, new KeyFrameRequest(KeyFrameRequest.Type.PLI, pli.senderSsrc(), pli.mediaSsrc()), pli);
                            }
                        } else if (fmt == FullIntraRequest.FMT) {
                            FullIntraRequest fir = (FullIntraRequest) cursor.decode();
                            for (FullIntraRequest.Entry e : fir.entries()) {
                                Sender s = senderBySsrc(e.ssrc());
                                if (s != null) {
                                    s.firsReceived++;
                                    fireKeyFrame(s, new KeyFrameRequest(KeyFrameRequest.Type.FIR, fir.senderSsrc(), e.ssrc()), fir);
                                }
                            }
                        } else if (fmt == ReceiverEstimatedMaxBitrate.FMT) {
                            RtcpPacket p = cursor.decode();
                            if (p instanceof ReceiverEstimatedMaxBitrate remb) {
                                for (long ssrc : remb.ssrcs()) {
                                    Sender s = senderBySsrc(ssrc);
                                    if (s != null) {
                                        fireSender(s, remb);
                                    }
                                }
                            }
                        }
                    }
                    default -> {
                        // XR, APP, transport-cc and others: not used.
                    }
                }
            } catch (ParseException | ClassCastException e) {
                rtcpMalformed++;
                LOG.debug("{}: malformed RTCP packet type {}: {}", logId, type, e.getMessage());
            }
        }
        if (cursor.error() != null) {
            rtcpMalformed++;
            LOG.debug("{}: malformed RTCP compound: {}", logId, cursor.errorMessage());
        }
    }

    private void reportBlocks(RtcpPacket carrier, List<ReportBlock> blocks, long ntpNow) {
        for (ReportBlock b : blocks) {
            Sender s = senderBySsrc(b.ssrc());
            if (s == null || s.stats == null) {
                continue;
            }
            long rtt = s.stats.onReportBlock(b, ntpNow);
            if (rtt >= 0) {
                for (Transceiver t : transceivers) {
                    for (InboundStream in : t.receiver.streams) {
                        if (in.nack != null) {
                            in.nack.setRtt(rtt);
                        }
                    }
                }
            }
            fireSender(s, carrier);
        }
    }

    private void onNack(long now, Sender s, GenericNack nack) {
        s.nacksReceived++;
        fireSender(s, nack);
        if (s.retransmissions == null || srtp == null) {
            return;
        }
        s.retransmissions.respond(nack, now, (b, o, l) -> retransmit(now, s, b, o, l));
    }

    private void retransmit(long now, Sender s, byte[] buf, int off, int len) {
        if (!s.storesPlaintext) {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            int header = rtpHeaderLength(copy, len);
            int payload = Math.max(0, len - header - profile.rtpTrailerLength());
            s.retransmittedPackets++;
            s.retransmittedBytes += payload;
            if (s.stats != null) {
                long ts = ((copy[4] & 0xFFL) << 24) | ((copy[5] & 0xFF) << 16) | ((copy[6] & 0xFF) << 8) | (copy[7] & 0xFF);
                s.stats.onPacketSent(now, ts, payload);
            }
            enqueue(copy, len);
            return;
        }
        if (retransmitView.wrap(buf, off, len) != null) {
            return;
        }
        Negotiated n = s.transceiver().negotiated;
        Integer rtxPt = n == null ? null : n.sendRtx().get(retransmitView.payloadType());
        if (rtxPt == null) {
            return;
        }
        int h = retransmitView.headerLength();
        int pl = retransmitView.payloadLength();
        int rlen = h + 2 + pl;
        byte[] out = new byte[rlen + profile.rtpTrailerLength()];
        System.arraycopy(buf, off, out, 0, h);
        out[0] &= (byte) ~0x20;
        out[1] = (byte) ((out[1] & 0x80) | rtxPt);
        int rseq = s.rtxSequence;
        s.rtxSequence = (rseq + 1) & 0xFFFF;
        out[2] = (byte) (rseq >>> 8);
        out[3] = (byte) rseq;
        long rtxSsrc = s.rtxSsrc();
        out[8] = (byte) (rtxSsrc >>> 24);
        out[9] = (byte) (rtxSsrc >>> 16);
        out[10] = (byte) (rtxSsrc >>> 8);
        out[11] = (byte) rtxSsrc;
        out[h] = buf[off + 2];
        out[h + 1] = buf[off + 3];
        System.arraycopy(buf, retransmitView.payloadOffset(), out, h + 2, pl);
        int p = srtp.protectRtp(out, 0, rlen);
        if (p < 0) {
            LOG.debug("{}: RTX protect failed ({})", logId, p);
            return;
        }
        s.retransmittedPackets++;
        s.retransmittedBytes += pl;
        enqueue(out, p);
    }

    private static int rtpHeaderLength(byte[] b, int len) {
        int h = 12 + 4 * (b[0] & 0x0F);
        if ((b[0] & 0x10) != 0 && h + 4 <= len) {
            h += 4 + 4 * (((b[h + 2] & 0xFF) << 8) | (b[h + 3] & 0xFF));
        }
        return Math.min(h, len);
    }

    private void fireKeyFrame(Sender s, KeyFrameRequest request, RtcpPacket packet) {
        fireSender(s, packet);
        Consumer<KeyFrameRequest> l = s.onKeyFrameRequest;
        if (l != null) {
            try {
                l.accept(request);
            } catch (RuntimeException e) {
                LOG.warn("{}: onKeyFrameRequest listener threw", logId, e);
            }
        }
    }

    private void fireSender(Sender s, RtcpPacket p) {
        Consumer<RtcpPacket> l = s.onRtcp;
        if (l != null) {
            try {
                l.accept(p);
            } catch (RuntimeException e) {
                LOG.warn("{}: sender onRtcp listener threw", logId, e);
            }
        }
    }

    private void fireReceiver(InboundStream s, RtcpPacket p) {
        Consumer<RtcpPacket> l = s.transceiver.receiver.onRtcp;
        if (l != null) {
            try {
                l.accept(p);
            } catch (RuntimeException e) {
                LOG.warn("{}: receiver onRtcp listener threw", logId, e);
            }
        }
    }

    private InboundStream inbound(long ssrc) {
        int r = route(ssrc);
        return r >= 0 && !routeRtx[r] ? routeStream[r] : null;
    }

    private Sender senderBySsrc(long ssrc) {
        for (Transceiver t : transceivers) {
            if (t.sender.ssrc() == ssrc) {
                return t.sender;
            }
        }
        return null;
    }

    // =====================================================================================================
    // Send
    // =====================================================================================================

    /** Encrypts, stores, counts and queues what {@code b} holds. Loop only; called by {@link Sender}. */
    boolean sendBuilt(Sender s, RtpPacketBuilder b, int payloadLength, long timestamp) {
        long now = host.nanoTime();
        int len = b.encodedLength();
        byte[] out = new byte[len + profile.rtpTrailerLength()];
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
        LossHook hook = s.lossHook;
        if (hook != null) {
            boolean first = !s.lossHookSawFirst;
            s.lossHookSawFirst = true;
            if (!first && hook.drop(s.ssrc(), seq)) {
                s.lossHookDrops++;
                return true;
            }
        }
        enqueue(out, n);
        if (!inCall) {
            host.wake();
        }
        return true;
    }

    private void enqueue(byte[] b, int len) {
        if (transmits.size() >= MAX_QUEUED_TRANSMITS) {
            queueOverflow++;
            if (queueOverflow == 1) {
                LOG.warn("{}: media transmit queue full ({} datagrams); dropping (counted)", logId, MAX_QUEUED_TRANSMITS);
            }
            return;
        }
        transmits.add(ByteBuffer.wrap(b, 0, len));
    }

    private void sendReports(long now) {
        List<ReportBlock> blocks = new ArrayList<>();
        List<Sender> sending = new ArrayList<>();
        for (Transceiver t : transceivers) {
            for (InboundStream s : t.receiver.streams) {
                if (s.stats.packetsReceived() > 0 && !s.ended) {
                    blocks.add(s.stats.reportBlock(now));
                }
            }
            if (t.sender.stats != null && t.sender.stats.hasSent()) {
                sending.add(t.sender);
            }
        }
        long ntp = ntp(now);
        List<RtcpPacket> packets = new ArrayList<>();
        int bi = 0;
        for (Sender s : sending) {
            int k = Math.min(31, blocks.size() - bi);
            packets.add(s.stats.senderReport(now, ntp, blocks.subList(bi, bi + k)));
            bi += k;
        }
        while (packets.isEmpty() || bi < blocks.size()) {
            int k = Math.min(31, blocks.size() - bi);
            packets.add(new ReceiverReport(receiverSsrc, blocks.subList(bi, bi + k)));
            bi += k;
        }
        List<SourceDescription.Chunk> chunks = new ArrayList<>();
        if (sending.isEmpty()) {
            chunks.add(new SourceDescription.Chunk(receiverSsrc, List.of(SourceDescription.Item.of(SourceDescription.CNAME, cname))));
        }
        for (Sender s : sending) {
            chunks.add(new SourceDescription.Chunk(s.ssrc(), List.of(SourceDescription.Item.of(SourceDescription.CNAME, cname))));
        }
        packets.add(new SourceDescription(chunks));
        int len = sendRtcp(packets);
        scheduler.setWeSent(!sending.isEmpty());
        scheduler.onRtcpSent(now, Math.max(len, 0));
    }

    /** Sends feedback: alone with reduced-size RTCP, else after an empty RR (RFC 3550 section 6.1). */
    private void sendFeedback(Transceiver t, RtcpPacket fb) {
        Negotiated n = t.negotiated;
        if (n != null && n.rtcpRsize()) {
            sendRtcp(List.of(fb));
        } else {
            sendRtcp(List.of(new ReceiverReport(receiverSsrc, List.of()), fb));
        }
    }

    /** PLI (or FIR) to the remote sender of {@code mediaSsrc}. Loop only. */
    boolean sendKeyFrameRequest(Receiver r, InboundStream s, long mediaSsrc) {
        if (srtp == null || closed) {
            return false;
        }
        Transceiver t = null;
        for (Transceiver x : transceivers) {
            if (x.receiver == r) {
                t = x;
            }
        }
        if (t == null) {
            return false;
        }
        if (r.pliNegotiated()) {
            sendFeedback(t, new PictureLossIndication(receiverSsrc, mediaSsrc));
            if (s != null) {
                s.pliSent++;
                s.lastPliNanos = host.nanoTime();
            }
        } else if (r.firNegotiated()) {
            int seq = s == null ? 0 : s.firSequence++;
            sendFeedback(t, new FullIntraRequest(receiverSsrc, List.of(new FullIntraRequest.Entry(mediaSsrc, seq))));
            if (s != null) {
                s.firSent++;
            }
        } else {
            return false;
        }
        if (!inCall) {
            host.wake();
        }
        return true;
    }

    private int sendRtcp(List<RtcpPacket> packets) {
        if (srtp == null || closed) {
            return -1;
        }
        int trailer = profile.rtcpTrailerLength();
        byte[] out = RtcpCompound.encode(packets, trailer);
        int len = out.length - trailer;
        int n = srtp.protectRtcp(out, 0, len);
        if (n < 0) {
            LOG.debug("{}: SRTCP protect failed ({})", logId, n);
            return -1;
        }
        rtcpSent++;
        enqueue(out, n);
        return len;
    }

    private long ntp(long now) {
        return NtpTime.fromUnixNanos(now + unixOffsetNanos);
    }

    // =====================================================================================================
    // Close, stats, helpers
    // =====================================================================================================

    /** Sends RTCP BYE for our sending SSRCs (RFC 3550 section 6.6) and closes SRTP. Idempotent. Loop only. */
    public void close(long now) {
        if (closed) {
            return;
        }
        if (srtp != null) {
            List<Long> ssrcs = new ArrayList<>();
            for (Transceiver t : transceivers) {
                if (t.sender.stats != null && t.sender.stats.hasSent()) {
                    ssrcs.add(t.sender.ssrc());
                }
            }
            if (!ssrcs.isEmpty()) {
                try {
                    sendRtcp(List.of(new ReceiverReport(ssrcs.get(0), List.of()), new Goodbye(ssrcs, null)));
                } catch (RuntimeException e) {
                    LOG.debug("{}: BYE not sent: {}", logId, e.toString());
                }
            }
        }
        closed = true;
        deferredKeys = null;
        if (srtp != null) {
            srtp.close();
        }
        early.clear();
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
        return new MediaStatsSnapshot(srtpCipher(), in, out, remote, srtp == null ? 0 : srtp.stats().inboundDroppedTotal(),
                unroutable, rtcpMalformed, droppedBeforeKeys, rtcpSent, rtcpReceived);
    }

    /**
     * Test seam (see {@link LossHook}): simulated loss of received media packets (not RTX), after SRTP and before
     * anything else sees them, so that NACKs ask the remote to repair them. Never set in production.
     */
    public void setInboundLossHook(LossHook hook) {
        inboundLossHook = hook;
    }

    /** Received packets the inbound {@link LossHook} dropped. */
    public long inboundLossHookDrops() {
        return inboundLossHookDrops;
    }

    /** RTP packets that failed RTP parsing after SRTP. */
    public long rtpMalformed() {
        return rtpMalformed;
    }

    /** Packets routed to a transceiver whose negotiated direction does not receive. */
    public long notReceiving() {
        return notReceiving;
    }

    /** Datagrams dropped because the transmit queue was full. */
    public long queueOverflow() {
        return queueOverflow;
    }

    /** The CNAME of our RTP sources (RFC 3550 section 6.5.1; RFC 7022 random form). */
    public String cname() {
        return cname;
    }

    /** The SSRC our receiver reports and feedback come from when no sender of ours is sending. */
    public long receiverSsrc() {
        return receiverSsrc;
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
        return "MediaEngine[" + logId + ", " + transceivers.size() + " transceivers, " + routes + " routes, srtp="
                + (profile == null ? "none" : profile) + "]";
    }
}
