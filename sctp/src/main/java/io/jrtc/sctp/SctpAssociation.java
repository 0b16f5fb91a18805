package io.jrtc.sctp;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ErrorKind;
import io.jrtc.common.ParseException;
import io.jrtc.common.Timer;
import io.jrtc.sctp.internal.Counters;
import io.jrtc.sctp.internal.DataTracker;
import io.jrtc.sctp.internal.OutMessage;
import io.jrtc.sctp.internal.Reassembly;
import io.jrtc.sctp.internal.RetransmissionQueue;
import io.jrtc.sctp.internal.RtoEstimator;
import io.jrtc.sctp.internal.SendQueue;
import io.jrtc.sctp.internal.Seq;
import io.jrtc.sctp.internal.StateCookie;
import io.jrtc.sctp.internal.TxChunk;
import io.jrtc.sctp.packet.AbortChunk;
import io.jrtc.sctp.packet.AddIncomingStreamsRequestParameter;
import io.jrtc.sctp.packet.AddOutgoingStreamsRequestParameter;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.CookieAckChunk;
import io.jrtc.sctp.packet.CookieEchoChunk;
import io.jrtc.sctp.packet.CookiePreservativeParameter;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ErrorCause;
import io.jrtc.sctp.packet.ErrorChunk;
import io.jrtc.sctp.packet.ForwardTsnChunk;
import io.jrtc.sctp.packet.ForwardTsnSupportedParameter;
import io.jrtc.sctp.packet.HeartbeatAckChunk;
import io.jrtc.sctp.packet.HeartbeatInfoParameter;
import io.jrtc.sctp.packet.HeartbeatRequestChunk;
import io.jrtc.sctp.packet.IncomingSsnResetRequestParameter;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.InvalidStreamIdentifierCause;
import io.jrtc.sctp.packet.NoUserDataCause;
import io.jrtc.sctp.packet.OutgoingSsnResetRequestParameter;
import io.jrtc.sctp.packet.Parameter;
import io.jrtc.sctp.packet.ReConfigChunk;
import io.jrtc.sctp.packet.ReconfigurationResponseParameter;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.ShutdownAckChunk;
import io.jrtc.sctp.packet.ShutdownChunk;
import io.jrtc.sctp.packet.ShutdownCompleteChunk;
import io.jrtc.sctp.packet.SsnTsnResetRequestParameter;
import io.jrtc.sctp.packet.StaleCookieCause;
import io.jrtc.sctp.packet.StateCookieParameter;
import io.jrtc.sctp.packet.SupportedExtensionsParameter;
import io.jrtc.sctp.packet.UnknownChunk;
import io.jrtc.sctp.packet.UnknownParameter;
import io.jrtc.sctp.packet.UnrecognizedChunkTypeCause;
import io.jrtc.sctp.packet.UnrecognizedParameter;
import io.jrtc.sctp.packet.UnrecognizedParametersCause;
import io.jrtc.sctp.packet.UserInitiatedAbortCause;
import io.jrtc.sctp.packet.ZeroChecksumAcceptableParameter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SCTP association (RFC 9260) as WebRTC runs it over DTLS (RFC 8261), as a sans-IO core: SCTP packets (one
 * per DTLS record) and time go in through {@link #handleInput} and {@link #handleTimeout}; packets to send come
 * out of {@link #pollTransmit()}, application events out of {@link #pollEvent()}, and the next wake-up time out
 * of {@link #pollTimeout()}.
 *
 * <p>Implemented: the four-way handshake with an HMAC-signed cookie and its lifetime, simultaneous INIT and the
 * collision cases of RFC 9260 §5.2, graceful shutdown and ABORT, heartbeats with RTT measurement, delayed SACK,
 * gap reports and duplicate TSNs, T3-rtx with RFC 6298-style RTO, fast retransmit and fast recovery, slow start,
 * congestion avoidance, cwnd validation and Max.Burst, flow control, multiple streams with ordered and unordered
 * delivery, fragmentation and reassembly, partial reliability with FORWARD TSN (RFC 3758), stream reset
 * (RFC 6525) and zero checksum (RFC 9653).
 *
 * <p><b>Threading.</b> Single-threaded by contract: the owner calls every method from one thread (for jrtc, the
 * peer's event loop). The core never blocks, locks, starts threads or reads a clock; {@code now} arguments are
 * its only time source, and time that goes backwards is ignored. Outputs queue up, so several mutating calls may
 * be made before draining.
 *
 * <p><b>Errors.</b> Malformed or unexpected input never throws: it is counted in {@link #stats()} and dropped, or
 * ends the association with an {@link SctpEvent.Aborted} event. API misuse throws at once:
 * {@link MessageTooLargeException}, {@link SendBufferFullException}, {@link StreamClosingException},
 * {@link IllegalStateException} when not established, {@link IllegalArgumentException} for bad arguments.
 */
public final class SctpAssociation implements DatagramCore {

    private static final Logger LOG = LoggerFactory.getLogger(SctpAssociation.class);

    /** Bytes of a DATA chunk before its user data. */
    private static final int DATA_HEADER = DataChunk.HEADER_LENGTH;
    /** Chunk types we announce in Supported Extensions. */
    private static final List<Integer> SUPPORTED_EXTENSIONS = List.of(ChunkTypes.RE_CONFIG, ChunkTypes.FORWARD_TSN);
    /** Heartbeat Information: sent-at time (8) and a nonce (8). */
    private static final int HB_INFO_LENGTH = 16;

    private SctpConfig config;
    /** Whether a packet was accepted (a stateless INIT ACK leaves the state CLOSED): from then on the ports are fixed. */
    private boolean portsInUse;
    private final String name;
    private final long rtoInitialNanos;
    private final long rtoMaxNanos;
    private final long heartbeatIntervalNanos;
    private final long sackDelayNanos;
    private final long cookieLifetimeNanos;
    /** Packets acknowledged one by one after start or idle: half the receive window in full packets. */
    private final long quickAckPackets;
    private final Counters counters = new Counters();
    private final RtoEstimator rto;
    private final CRC32C crc = new CRC32C();
    private final byte[] cookieSecret = new byte[32];

    private SctpState state = SctpState.CLOSED;
    private boolean terminated;
    private boolean connectedOnce;
    private long now;
    private boolean clockStarted;

    private long localTag;
    private long localInitialTsn;
    private long peerTag;
    private long peerInitialTsn;

    private InitChunk ourInit;
    private byte[] cookieToEcho;
    private ErrorChunk errorWithCookieEcho;
    /** T1-init and T1-cookie; backs off up to RTO.Max without resetting its restart count (RFC 9260 §5.1 C). */
    private final Timer t1;
    private final Timer t2 = new Timer("T2-shutdown", Timer.Backoff.EXPONENTIAL, Long.MAX_VALUE, Timer.UNLIMITED);
    /** When the INIT without Zero Checksum Acceptable goes out if the first INIT is still unanswered (see connect). */
    private final Timer initFallbackTimer = new Timer("INIT-fallback", Timer.Backoff.FIXED, Long.MAX_VALUE, Timer.UNLIMITED);
    /** Whether the INIT without the newer optional parameters was sent (see {@link #fallBackInit}). */
    private boolean initFallbackSent;
    /** Whether an ABORT in COOKIE-WAIT was taken as the rejection of the first INIT. */
    private boolean firstInitAborted;

    private boolean peerForwardTsn;
    private boolean peerReconfig;
    private boolean zeroChecksumTx;
    private long peerArwndAtSetup;
    private int outboundStreams;
    private int inboundStreams;
    private long remoteMaxMessageSize;

    private final SendQueue sendQueue;
    private RetransmissionQueue rtx;
    private DataTracker rx;
    private Reassembly reassembly;

    private final ArrayDeque<Chunk> controlQueue = new ArrayDeque<>(4);
    private final ArrayDeque<ByteBuffer> readyPackets = new ArrayDeque<>(2);
    private final ArrayDeque<SctpEvent> events = new ArrayDeque<>(8);
    private long eventBytes;
    /** Bytes of polled messages that the application holds unconsumed ({@link #holdReceived}). */
    private long heldBytes;
    private long lastAdvertisedRwnd;

    private int errorCount;

    private final Timer heartbeatTimer = new Timer("HEARTBEAT-interval", Timer.Backoff.FIXED, Long.MAX_VALUE, Timer.UNLIMITED);
    private final Timer heartbeatTimeoutTimer = new Timer("HEARTBEAT-timeout", Timer.Backoff.FIXED, Long.MAX_VALUE, Timer.UNLIMITED);
    private long heartbeatNonce;
    private long lastHeartbeatRtt = -1;

    // RFC 6525 state
    private int[] pendingResets = new int[0];
    private int pendingResetCount;
    private ResetRequest currentReset;
    private long nextRequestSeq;
    private long lastPeerRequestSeq;
    private long lastPeerRequestResult;
    private final Timer reconfigTimer = new Timer("RE-CONFIG", Timer.Backoff.FIXED, Long.MAX_VALUE, Timer.UNLIMITED);
    /** The last incoming reset that completed after being deferred, to recognise the peer's retry of it. */
    private List<Integer> deferredDoneStreams;
    private long deferredDoneLastTsn;

    /** Our outstanding Outgoing SSN Reset Request (RFC 6525 §5.1.2); {@code seq < 0} until (re)sent. */
    private static final class ResetRequest {
        final int[] streams;
        long seq = -1;
        long lastTsn;

        ResetRequest(int[] streams) {
            this.streams = streams;
        }
    }

    /** Creates an association with {@code config}; nothing happens until {@link #connect} or an INIT arrives. */
    public SctpAssociation(SctpConfig config) {
        this(config, "sctp");
    }

    /** As {@link #SctpAssociation(SctpConfig)}, with a name used in log lines. */
    public SctpAssociation(SctpConfig config, String name) {
        this.config = config;
        this.name = name;
        this.rtoInitialNanos = config.rtoInitial().toNanos();
        this.rtoMaxNanos = config.rtoMax().toNanos();
        this.heartbeatIntervalNanos = config.heartbeatInterval().toNanos();
        this.sackDelayNanos = config.sackDelay().toNanos();
        this.cookieLifetimeNanos = config.cookieLifetime().toNanos();
        this.quickAckPackets = config.quickAck() ? config.receiveWindow() / (2L * config.mtu()) : 0;
        this.rto = new RtoEstimator(rtoInitialNanos, config.rtoMin().toNanos(), rtoMaxNanos);
        this.t1 = new Timer("T1", Timer.Backoff.EXPONENTIAL, rtoMaxNanos, Timer.UNLIMITED);
        config.random().nextBytes(cookieSecret);
        this.localTag = randomTag();
        this.localInitialTsn = config.random().nextLong() & 0xFFFF_FFFFL;
        this.sendQueue = new SendQueue(new SendQueue.Listener() {
            @Override
            public void bufferedAmountLow(int streamId) {
                events.add(new SctpEvent.BufferedAmountLow(streamId));
            }

            @Override
            public void expiredUnsent(OutMessage m) {
                counters.abandonedMessages++;
                events.add(new SctpEvent.MessageAbandoned(m.streamId, m.ppid, m.size(), m.unordered));
            }
        });
    }

    private long randomTag() {
        long t;
        do {
            t = config.random().nextInt() & 0xFFFF_FFFFL;
        } while (t == 0);
        return t;
    }

    // =====================================================================================================
    // Public API
    // =====================================================================================================

    public SctpConfig config() {
        return config;
    }

    public SctpState state() {
        return state;
    }

    /**
     * Sets the peer's SCTP port (the {@code a=sctp-port} or {@code a=sctpmap} number of its description; RFC 8841
     * section 5.1) before the association has sent or accepted any packet. Setting the port it already has is always
     * allowed.
     *
     * @throws IllegalArgumentException if {@code port} is not 1..65535
     * @throws IllegalStateException    if packets were already exchanged with another port
     */
    public void setRemotePort(int port) {
        if (port == config.remotePort()) {
            return;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SCTP port out of range: " + port);
        }
        if (portsInUse || state != SctpState.CLOSED || terminated) {
            throw new IllegalStateException("the association already talks to port " + config.remotePort()
                    + "; it cannot change to " + port);
        }
        config = config.toBuilder().remotePort(port).build();
    }

    /** True once the association ended (closed or aborted); it then ignores input. */
    public boolean isTerminated() {
        return terminated;
    }

    /**
     * Starts the handshake by sending INIT (RFC 9260 §5.1). In WebRTC both ends call this; simultaneous INITs are
     * resolved by §5.2. Does nothing if the association is already being set up or established (for example
     * because the peer's INIT arrived first).
     *
     * @throws IllegalStateException if the association has terminated
     */
    public void connect(long nowNanos) {
        advanceClock(nowNanos);
        if (terminated) {
            throw new IllegalStateException("association terminated");
        }
        if (state != SctpState.CLOSED) {
            return;
        }
        List<Parameter> params = new ArrayList<>(ourCapabilities(config.zeroChecksum()));
        ourInit = new InitChunk(localTag, config.receiveWindow(), config.numOutboundStreams(), config.maxInboundStreams(),
                localInitialTsn, params);
        sendInit();
        t1.start(now, rtoInitialNanos);
        if (config.zeroChecksum() && config.initFallbackDelay() != null) {
            initFallbackTimer.start(now, config.initFallbackDelay().toNanos());
        }
        setState(SctpState.COOKIE_WAIT);
    }

    /**
     * The parameters of our INIT or INIT ACK. Supported Extensions (RFC 5061) and Forward-TSN-Supported (RFC 3758)
     * are known to every stack that runs data channels; Zero Checksum Acceptable (RFC 9653, 2024) is not, and some
     * stacks drop a whole INIT or INIT ACK for a parameter they do not know.
     */
    private List<Parameter> ourCapabilities(boolean withZeroChecksum) {
        List<Parameter> p = new ArrayList<>(3);
        p.add(new SupportedExtensionsParameter(SUPPORTED_EXTENSIONS));
        p.add(new ForwardTsnSupportedParameter());
        if (withZeroChecksum && config.zeroChecksum()) {
            p.add(new ZeroChecksumAcceptableParameter(ZeroChecksumAcceptableParameter.EDMID_SCTP_OVER_DTLS));
        }
        return p;
    }

    /**
     * Sends the INIT again without Zero Checksum Acceptable, for peers that drop or abort an INIT with a parameter they
     * do not know (RFC 9260 §3.2.1 says to skip it; pion/sctp before 2024 does not). Later retransmissions repeat
     * this INIT. Whichever INIT the peer answers first wins, so a peer that accepts zero checksums keeps them.
     */
    private void fallBackInit(String why, boolean send) {
        initFallbackTimer.stop();
        if (state != SctpState.COOKIE_WAIT || initFallbackSent || !config.zeroChecksum()) {
            return;
        }
        initFallbackSent = true;
        LOG.debug("{}: {}; sending an INIT without Zero Checksum Acceptable", name, why);
        List<Parameter> params = new ArrayList<>(ourCapabilities(false));
        for (Parameter p : ourInit.parameters()) {
            if (p instanceof CookiePreservativeParameter) {
                params.add(p);
            }
        }
        ourInit = new InitChunk(localTag, config.receiveWindow(), config.numOutboundStreams(), config.maxInboundStreams(),
                localInitialTsn, params);
        if (send) {
            sendInit();
        }
    }

    /**
     * Whether the INIT without Zero Checksum Acceptable was sent because the first one went unanswered or was
     * rejected (see {@link SctpConfig.Builder#initFallbackDelay}).
     */
    public boolean initFallbackSent() {
        return initFallbackSent;
    }

    private void sendInit() {
        readyPackets.add(encode(new SctpPacket(config.localPort(), config.remotePort(), 0, List.of(ourInit))));
    }

    /**
     * Queues a message (RFC 9260 §6, §10.1 SEND). The bytes between {@code message}'s position and limit are copied;
     * its position is not moved.
     *
     * @param ppid    payload protocol identifier (RFC 8831 §8 for WebRTC)
     * @param options ordered or not, reliable or partially reliable
     * @throws IllegalStateException     unless ESTABLISHED (not before, not while shutting down)
     * @throws IllegalArgumentException  for a stream outside the negotiated range or an empty message
     * @throws MessageTooLargeException  over the maximum message size (local and the peer's SDP limit)
     * @throws StreamClosingException    the stream's outgoing side is being reset
     * @throws SendBufferFullException   the unsent bytes would exceed {@link SctpConfig#maxSendBuffer()}
     */
    public void send(long nowNanos, int streamId, int ppid, ByteBuffer message, SendOptions options) {
        advanceClock(nowNanos);
        if (state != SctpState.ESTABLISHED) {
            throw new IllegalStateException("cannot send: association is " + state + (terminated ? " (terminated)" : ""));
        }
        if (streamId < 0 || streamId >= outboundStreams) {
            throw new IllegalArgumentException("stream " + streamId + " outside the " + outboundStreams + " negotiated outbound streams");
        }
        int size = message.remaining();
        if (size == 0) {
            throw new IllegalArgumentException("SCTP cannot carry an empty message (RFC 9260 §6.2)");
        }
        long limit = maxMessageSize();
        if (size > limit) {
            throw new MessageTooLargeException(size, limit);
        }
        if (sendQueue.isClosing(streamId)) {
            throw new StreamClosingException(streamId);
        }
        if (sendQueue.totalBuffered() + size > config.maxSendBuffer()) {
            throw new SendBufferFullException(sendQueue.totalBuffered(), size, config.maxSendBuffer());
        }
        byte[] data = new byte[size];
        message.duplicate().get(data);
        long expiresAt = Long.MAX_VALUE;
        int maxRtx = options.maxRetransmits();
        if (peerForwardTsn) {
            if (options.lifetimeNanos() != SendOptions.UNLIMITED) {
                expiresAt = now + options.lifetimeNanos();
            }
        } else {
            maxRtx = SendOptions.UNLIMITED;
        }
        sendQueue.enqueue(new OutMessage(streamId, ppid, data, options.unordered(), expiresAt, maxRtx));
        counters.messagesSent++;
        counters.userBytesSent += size;
    }

    /** The largest message {@link #send} accepts now: the local limit, capped by the peer's SDP limit if any. */
    public long maxMessageSize() {
        long local = config.maxMessageSize();
        return remoteMaxMessageSize > 0 ? Math.min(local, remoteMaxMessageSize) : local;
    }

    /** The peer's SDP {@code a=max-message-size} (RFC 8841); 0 means no limit. */
    public void setRemoteMaxMessageSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("max-message-size must not be negative");
        }
        this.remoteMaxMessageSize = bytes;
    }

    /** Bytes queued on {@code streamId} and not yet handed to the network (W3C {@code bufferedAmount}). */
    public long bufferedAmount(int streamId) {
        return sendQueue.bufferedAmount(streamId);
    }

    /**
     * True when nothing sent is still unacknowledged: no queued bytes, nothing in flight or waiting for
     * retransmission, and no FORWARD TSN waiting for the peer's acknowledgement.
     */
    public boolean allDataAcknowledged() {
        return !sendQueue.hasData() && (rtx == null || rtx.allAcked());
    }

    /** Bytes queued on all streams and not yet sent. */
    public long bufferedAmount() {
        return sendQueue.totalBuffered();
    }

    /** When {@code streamId}'s buffered amount falls from above {@code bytes} to at or below it, a {@link SctpEvent.BufferedAmountLow} is raised. */
    public void setBufferedAmountLowThreshold(int streamId, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
        sendQueue.setLowThreshold(streamId, bytes);
    }

    public long bufferedAmountLowThreshold(int streamId) {
        return sendQueue.lowThreshold(streamId);
    }

    /** Number of outbound streams negotiated (0 before establishment). */
    public int outboundStreams() {
        return outboundStreams;
    }

    /** Number of inbound streams negotiated (0 before establishment). */
    public int inboundStreams() {
        return inboundStreams;
    }

    /** Whether the peer announced partial reliability (RFC 3758); without it partially reliable sends become reliable. */
    public boolean peerSupportsPartialReliability() {
        return peerForwardTsn;
    }

    /** Whether both ends agreed on RFC 9653 zero checksums, so our packets carry checksum 0. */
    public boolean zeroChecksumInUse() {
        return zeroChecksumTx;
    }

    /**
     * Resets the outgoing side of {@code streamIds} (RFC 6525 §5.1.2), which is how a data channel closes
     * (RFC 8831 §6.7). Messages already queued on them are still sent first; new sends throw
     * {@link StreamClosingException}. Completion is reported by {@link SctpEvent.OutgoingStreamsReset}, refusal by
     * {@link SctpEvent.StreamResetFailed}.
     *
     * @throws IllegalStateException unless ESTABLISHED
     */
    public void resetStreams(long nowNanos, int... streamIds) {
        advanceClock(nowNanos);
        if (state != SctpState.ESTABLISHED) {
            throw new IllegalStateException("cannot reset streams: association is " + state);
        }
        for (int id : streamIds) {
            if (id < 0 || id >= outboundStreams) {
                throw new IllegalArgumentException("stream " + id + " outside the negotiated outbound streams");
            }
        }
        if (!peerReconfig) {
            events.add(new SctpEvent.StreamResetFailed(streamIds.clone(), "peer does not support RE-CONFIG (RFC 6525)"));
            return;
        }
        for (int id : streamIds) {
            if (sendQueue.isClosing(id)) {
                continue;
            }
            sendQueue.markClosing(id);
            if (pendingResetCount == pendingResets.length) {
                pendingResets = Arrays.copyOf(pendingResets, Math.max(8, pendingResetCount * 2));
            }
            pendingResets[pendingResetCount++] = id;
        }
        tryStartReset();
    }

    /**
     * Starts a graceful close (RFC 9260 §9.2): queued data is sent and acknowledged, then SHUTDOWN. Before
     * establishment it just closes.
     */
    public void shutdown(long nowNanos) {
        advanceClock(nowNanos);
        switch (state) {
            case ESTABLISHED -> {
                setState(SctpState.SHUTDOWN_PENDING);
                progressShutdown();
            }
            case COOKIE_WAIT, COOKIE_ECHOED -> terminate(new SctpEvent.Closed(), "shutdown before establishment");
            case CLOSED -> {
                if (!terminated) {
                    terminate(new SctpEvent.Closed(), "shutdown before connect");
                }
            }
            default -> {
            }
        }
    }

    /** Ends the association at once with an ABORT carrying a User-Initiated Abort cause (RFC 9260 §9.1). */
    public void abort(long nowNanos, String reason) {
        advanceClock(nowNanos);
        if (terminated) {
            return;
        }
        if (peerTag != 0) {
            sendAbort(List.of(UserInitiatedAbortCause.of(reason == null ? "" : reason)));
        }
        terminate(new SctpEvent.Aborted(ErrorKind.LOCAL_CLOSE, reason == null ? "aborted" : reason), "local abort: " + reason);
    }

    public Optional<SctpEvent> pollEvent() {
        SctpEvent e = events.poll();
        if (e == null) {
            return Optional.empty();
        }
        if (e instanceof SctpEvent.MessageReceived m) {
            eventBytes -= m.data().remaining(); // a window update, if this opened the window, goes in pollTransmit
        }
        return Optional.of(e);
    }

    /**
     * Keeps {@code bytes} of messages already polled charged against our receive window (a_rwnd), as if they were still
     * unpolled: an application that pauses delivery holds them, so the peer's sender is throttled by SCTP's window as
     * TCP's is. Release them with {@link #releaseReceived} once the application consumed them.
     */
    public void holdReceived(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative");
        }
        heldBytes += bytes;
    }

    /**
     * Releases bytes held with {@link #holdReceived}. When that opens the window by a lot (RFC 9260 §6.2: from below
     * one MTU, or by a quarter of the window), the next {@link #pollTransmit()} carries a window-update SACK, so a peer
     * stalled on a zero window resumes without waiting for a probe.
     */
    public void releaseReceived(long bytes) {
        if (bytes < 0 || bytes > heldBytes) {
            throw new IllegalArgumentException("releasing " + bytes + " bytes, " + heldBytes + " held");
        }
        heldBytes -= bytes;
    }

    /** Bytes held with {@link #holdReceived} and not yet released. */
    public long heldReceivedBytes() {
        return heldBytes;
    }

    /** The last RTT measured by a HEARTBEAT, in nanoseconds, or -1. */
    public long lastHeartbeatRtt() {
        return lastHeartbeatRtt;
    }

    public SctpStats stats() {
        Counters c = counters;
        return new SctpStats(c.packetsSent, c.packetsReceived, c.bytesSent, c.bytesReceived, c.dataChunksSent,
                c.dataChunksReceived, c.controlChunksSent, c.controlChunksReceived, c.messagesSent, c.messagesReceived,
                c.userBytesSent, c.userBytesReceived, c.retransmittedChunks, c.fastRetransmits, c.t3Expiries,
                c.abandonedMessages, c.duplicateTsnsReceived, c.sacksSent, c.sacksReceived, c.forwardTsnsSent,
                c.forwardTsnsReceived, c.heartbeatsSent, c.heartbeatAcksReceived, c.dropsMalformed, c.dropsChecksum,
                c.dropsVerificationTag, c.dropsState, c.dropsReceiveWindow, c.dropsOther, rto.srtt(), rto.rto(),
                rtx == null ? config.initialCwnd() : rtx.cwnd(), rtx == null ? 0 : rtx.ssthresh(),
                rtx == null ? 0 : rtx.flightSize(), rtx == null ? 0 : rtx.peerRwnd(), localRwnd(),
                sendQueue.totalBuffered(), outboundStreams, inboundStreams, rtx == null ? 0 : rtx.jumpStartRate(),
                rtx == null ? 0 : rtx.jumpStartCwnd());
    }

    @Override
    public String toString() {
        return "SctpAssociation[" + name + ", " + state + (terminated ? ", terminated" : "") + "]";
    }

    // =====================================================================================================
    // DatagramCore
    // =====================================================================================================

    @Override
    public void handleInput(long nowNanos, ByteBuffer datagram) {
        advanceClock(nowNanos);
        counters.packetsReceived++;
        counters.bytesReceived += datagram.remaining();
        ByteBuffer buf = datagram.duplicate();
        if (buf.remaining() < SctpPacket.HEADER_LENGTH + 4) {
            counters.dropsMalformed++;
            LOG.debug("{}: dropped {}-byte packet: too short", name, buf.remaining());
            return;
        }
        boolean hasInit = (buf.get(buf.position() + SctpPacket.HEADER_LENGTH) & 0xFF) == ChunkTypes.INIT;
        long field = SctpPacket.checksumField(buf);
        boolean zeroOk = field == 0 && config.zeroChecksum() && !hasInit;
        if (!zeroOk && !SctpPacket.checksumMatches(buf, crc)) {
            counters.dropsChecksum++;
            LOG.debug("{}: dropped packet with a bad checksum", name);
            return;
        }
        SctpPacket packet;
        try {
            packet = SctpPacket.parse(buf);
        } catch (ParseException e) {
            counters.dropsMalformed++;
            LOG.debug("{}: dropped malformed packet: {}", name, e.getMessage());
            return;
        }
        if (packet.destinationPort() != config.localPort() || packet.sourcePort() != config.remotePort()) {
            counters.dropsOther++;
            LOG.debug("{}: dropped packet for ports {}->{}", name, packet.sourcePort(), packet.destinationPort());
            return;
        }
        portsInUse = true;
        try {
            process(packet);
        } catch (RuntimeException e) {
            // A bug or an input combination we did not foresee: never let it escape the core.
            counters.dropsOther++;
            LOG.warn("{}: failed to process a packet in state {}; dropped", name, state, e);
        }
    }

    /**
     * The lower layer moved the association onto a new network path (e.g. ICE selected a new candidate pair after a
     * restart, because the old path died). RFC 9260 knows one path per address; here the address stays and the path
     * under it changes, so what was measured on the old one no longer holds: the RTO goes back to RTO.Initial (no
     * SRTT), and outstanding data is retransmitted at once instead of when the T3-rtx timer, backed off while the old
     * path was dead (up to 6.4 s after four expiries from 400 ms), fires. Counts like a T3 expiry.
     */
    public void pathChanged(long nowNanos) {
        advanceClock(nowNanos);
        if (terminated || rtx == null) {
            return;
        }
        rto.reset(rtoInitialNanos);
        if (rtx.hasOutstanding()) {
            rtx.expireT3At(now);
        }
        LOG.debug("{}: path changed; RTO reset to {} ms, outstanding data retransmitted now: {}", name,
                rto.rto() / 1_000_000, rtx.hasOutstanding());
    }

    @Override
    public void handleTimeout(long nowNanos) {
        advanceClock(nowNanos);
        if (terminated) {
            return;
        }
        if (initFallbackTimer.expired(now)) {
            // when T1 expires at the same moment, its retransmission carries the fallback INIT
            fallBackInit("no answer to the INIT within " + config.initFallbackDelay().toMillis() + " ms", !t1.expired(now));
        }
        if (t1.expired(now)) {
            onT1Expiry();
        }
        if (terminated) {
            return;
        }
        if (rx != null && rx.delayedAckDeadline() <= now) {
            rx.onDelayedAckTimeout(now);
        }
        if (rtx != null && rtx.t3Expired(now)) {
            onT3Expiry();
            if (terminated) {
                return;
            }
        }
        if (t2.expired(now)) {
            onT2Expiry();
            if (terminated) {
                return;
            }
        }
        if (heartbeatTimeoutTimer.expired(now)) {
            onHeartbeatTimeout();
            if (terminated) {
                return;
            }
        }
        if (heartbeatTimer.expired(now)) {
            onHeartbeatInterval();
        }
        if (reconfigTimer.expired(now)) {
            onReconfigTimeout();
        }
    }

    @Override
    public long pollTimeout() {
        if (terminated) {
            return NO_TIMEOUT;
        }
        long t = Math.min(Math.min(t1.deadline(), t2.deadline()), initFallbackTimer.deadline());
        if (rtx != null) {
            t = Math.min(t, rtx.t3Deadline());
            if (dataAllowed()) {
                t = Math.min(t, rtx.pacingDeadline(now, sendQueue.hasData()));
            }
        }
        if (rx != null) {
            t = Math.min(t, rx.delayedAckDeadline());
        }
        t = Math.min(t, Math.min(heartbeatTimer.deadline(), heartbeatTimeoutTimer.deadline()));
        return Math.min(t, reconfigTimer.deadline());
    }

    @Override
    public Optional<ByteBuffer> pollTransmit() {
        ByteBuffer ready = readyPackets.poll();
        if (ready == null && !terminated) {
            maybeWindowUpdate();
            ready = buildPacket();
        }
        if (ready == null) {
            return Optional.empty();
        }
        counters.packetsSent++;
        counters.bytesSent += ready.remaining();
        return Optional.of(ready);
    }

    private void advanceClock(long nowNanos) {
        if (!clockStarted) {
            clockStarted = true;
            now = nowNanos;
        } else if (nowNanos > now) {
            now = nowNanos;
        }
    }

    // =====================================================================================================
    // Receiving
    // =====================================================================================================

    private void process(SctpPacket p) {
        List<Chunk> chunks = p.chunks();
        Chunk first = chunks.get(0);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if ((c instanceof InitChunk || c instanceof InitAckChunk || c instanceof ShutdownCompleteChunk) && chunks.size() > 1) {
                counters.dropsMalformed++;
                LOG.debug("{}: dropped packet bundling {} with other chunks", name, ChunkTypes.name(c.type()));
                return;
            }
        }
        if (first instanceof InitChunk init) {
            if (p.verificationTag() != 0) {
                counters.dropsVerificationTag++;
                return;
            }
            counters.controlChunksReceived++;
            handleInit(init);
            return;
        }
        if (terminated) {
            handleOutOfTheBlue(p, first);
            return;
        }
        if (!verificationTagOk(p, first)) {
            counters.dropsVerificationTag++;
            LOG.debug("{}: dropped packet with verification tag {} in state {}", name, p.verificationTag(), state);
            return;
        }
        boolean hadData = false;
        boolean immediate = false;
        boolean hadGaps = rx != null && rx.hasGaps();
        for (Chunk c : chunks) {
            if (terminated) {
                return;
            }
            if (c instanceof DataChunk d) {
                if (handleData(d)) {
                    hadData = true;
                    immediate |= d.immediate();
                }
                continue;
            }
            counters.controlChunksReceived++;
            switch (c) {
                case SackChunk s -> handleSack(s);
                case HeartbeatRequestChunk h -> handleHeartbeat(h);
                case HeartbeatAckChunk h -> handleHeartbeatAck(h);
                case AbortChunk a -> handleAbort(a);
                case ShutdownChunk s -> handleShutdown(s);
                case ShutdownAckChunk s -> handleShutdownAck();
                case ShutdownCompleteChunk s -> handleShutdownComplete();
                case ErrorChunk e -> handleError(e);
                case CookieEchoChunk e -> handleCookieEcho(e, p.verificationTag());
                case CookieAckChunk a -> handleCookieAck();
                case ForwardTsnChunk f -> handleForwardTsn(f);
                case ReConfigChunk r -> handleReconfig(r);
                case InitAckChunk a -> handleInitAck(a);
                case UnknownChunk u -> {
                    Chunk.UnrecognizedAction action = u.action();
                    if (action == Chunk.UnrecognizedAction.STOP_AND_REPORT || action == Chunk.UnrecognizedAction.SKIP_AND_REPORT) {
                        if (peerTag != 0) {
                            controlQueue.add(new ErrorChunk(List.of(new UnrecognizedChunkTypeCause(u.rawBytes()))));
                        }
                    }
                    if (action == Chunk.UnrecognizedAction.STOP || action == Chunk.UnrecognizedAction.STOP_AND_REPORT) {
                        counters.dropsOther++;
                        afterData(hadData, immediate, hadGaps);
                        return;
                    }
                }
                case InitChunk i -> counters.dropsMalformed++;
                case DataChunk d -> throw new AssertionError("handled above");
            }
        }
        afterData(hadData, immediate, hadGaps);
    }

    private void afterData(boolean hadData, boolean immediate, boolean hadGaps) {
        if (!hadData || rx == null || terminated) {
            return;
        }
        long delay = Math.min(sackDelayNanos, rto.rto() / 2);
        boolean now1 = immediate || state == SctpState.SHUTDOWN_SENT;
        rx.afterDataPacket(now, now1, hadGaps, delay, config.sackFrequency(), quickAckPackets,
                Math.max(rto.rto(), sackDelayNanos));
        completeDeferredReset();
        if (state == SctpState.SHUTDOWN_SENT) {
            // RFC 9260 §9.2: answer DATA in SHUTDOWN-SENT with a SACK and a fresh SHUTDOWN, restarting T2.
            controlQueue.add(new ShutdownChunk(Seq.wire32(rx.cumulativeTsn())));
            t2.start(now, rto.rto());
        }
    }

    /** RFC 9260 §8.5 and §8.5.1. */
    private boolean verificationTagOk(SctpPacket p, Chunk first) {
        long vtag = p.verificationTag();
        if (first instanceof AbortChunk a) {
            return a.tagReflected() ? (peerTag != 0 && vtag == peerTag) : vtag == localTag;
        }
        if (first instanceof ShutdownCompleteChunk s) {
            return s.tagReflected() ? (peerTag != 0 && vtag == peerTag) : vtag == localTag;
        }
        if (first instanceof CookieEchoChunk) {
            return true; // checked against the cookie's own tag once the cookie is authenticated
        }
        return vtag == localTag && (state != SctpState.CLOSED || first instanceof InitAckChunk);
    }

    /** Out-of-the-blue packets after termination (RFC 9260 §8.4). */
    private void handleOutOfTheBlue(SctpPacket p, Chunk first) {
        counters.dropsState++;
        if (first instanceof ShutdownAckChunk) {
            // §8.4 rule 5: our SHUTDOWN COMPLETE was lost; answer again, reflecting the tag.
            readyPackets.add(encode(new SctpPacket(config.localPort(), config.remotePort(), p.verificationTag(),
                    List.of(new ShutdownCompleteChunk(true)))));
        }
    }

    // ---------------------------------------------------------------------------------------------- handshake

    private void handleInit(InitChunk init) {
        switch (state) {
            case CLOSED -> {
                if (terminated) {
                    counters.dropsState++;
                    return;
                }
                sendInitAck(init, localTag, localInitialTsn, 0, 0);
            }
            // RFC 9260 §5.2.1: answer with our original tag and TSN; tie-tags only once the peer's tag is known.
            case COOKIE_WAIT -> sendInitAck(init, localTag, localInitialTsn, 0, 0);
            case COOKIE_ECHOED -> sendInitAck(init, localTag, localInitialTsn, localTag, peerTag);
            case SHUTDOWN_ACK_SENT -> counters.dropsState++;
            default -> {
                // §5.2.2: an unexpected INIT (e.g. the peer restarted): new tag, tie-tags carry the current ones.
                long newTag = randomTag();
                long newTsn = config.random().nextLong() & 0xFFFF_FFFFL;
                sendInitAck(init, newTag, newTsn, localTag, peerTag);
            }
        }
    }

    private void sendInitAck(InitChunk init, long tag, long initialTsn, long tieLocal, long tiePeer) {
        Caps caps = new Caps();
        List<Parameter> unrecognized = new ArrayList<>(0);
        readCapabilities(init.parameters(), caps, unrecognized);
        StateCookie cookie = new StateCookie(now, tag, initialTsn, init.initiateTag(), init.advertisedReceiverWindowCredit(),
                init.outboundStreams(), init.inboundStreams(), init.initialTsn(), tieLocal, tiePeer, caps.forwardTsn,
                caps.reconfig, caps.zeroChecksum, (int) Math.min(caps.lifetimeExtensionMillis, MAX_COOKIE_EXTENSION_MS));
        List<Parameter> params = new ArrayList<>(4 + unrecognized.size());
        params.add(new StateCookieParameter(cookie.encode(cookieSecret)));
        // Zero Checksum Acceptable only to a peer that announced it: a stack that does not know the parameter may
        // drop the whole INIT ACK (pion/sctp before 2024 does), and one that does not announce it gains nothing.
        params.addAll(ourCapabilities(caps.zeroChecksum));
        for (Parameter u : unrecognized) {
            ByteBuffer raw = ByteBuffer.allocate(u.encodedLength());
            u.writeTo(raw);
            params.add(new UnrecognizedParameter(Arrays.copyOf(raw.array(), u.length())));
        }
        InitAckChunk ack = new InitAckChunk(tag, config.receiveWindow(), config.numOutboundStreams(), config.maxInboundStreams(),
                initialTsn, params);
        readyPackets.add(encode(new SctpPacket(config.localPort(), config.remotePort(), init.initiateTag(), List.of(ack))));
        counters.controlChunksSent++;
    }

    /** Peer capabilities read from INIT / INIT ACK parameters. */
    private static final class Caps {
        boolean forwardTsn;
        boolean reconfig;
        boolean zeroChecksum;
        byte[] cookie;
        long lifetimeExtensionMillis;
    }

    /** Largest cookie lifetime extension granted for a Cookie Preservative (RFC 9260 §5.2.6), in milliseconds. */
    private static final long MAX_COOKIE_EXTENSION_MS = 60_000;

    /** Applies RFC 9260 §3.2.1's handling of unrecognized parameters while reading the peer's capabilities. */
    private static void readCapabilities(List<Parameter> params, Caps caps, List<Parameter> toReport) {
        for (Parameter p : params) {
            switch (p) {
                case ForwardTsnSupportedParameter f -> caps.forwardTsn = true;
                case SupportedExtensionsParameter s -> {
                    caps.reconfig |= s.supports(ChunkTypes.RE_CONFIG);
                    caps.forwardTsn |= s.supports(ChunkTypes.FORWARD_TSN);
                }
                case ZeroChecksumAcceptableParameter z ->
                        caps.zeroChecksum |= z.errorDetectionMethod() == ZeroChecksumAcceptableParameter.EDMID_SCTP_OVER_DTLS;
                case StateCookieParameter s -> caps.cookie = s.cookie();
                case CookiePreservativeParameter c -> caps.lifetimeExtensionMillis = c.lifeSpanIncrementMillis();
                case UnknownParameter u -> {
                    switch (u.action()) {
                        case STOP -> {
                            return;
                        }
                        case STOP_AND_REPORT -> {
                            toReport.add(u);
                            return;
                        }
                        case SKIP -> {
                        }
                        case SKIP_AND_REPORT -> toReport.add(u);
                    }
                }
                default -> {
                    // addresses, cookie preservative, address types: meaningless over DTLS
                }
            }
        }
    }

    private void handleInitAck(InitAckChunk ack) {
        if (state != SctpState.COOKIE_WAIT) {
            counters.dropsState++;
            return;
        }
        Caps caps = new Caps();
        List<Parameter> unrecognized = new ArrayList<>(0);
        readCapabilities(ack.parameters(), caps, unrecognized);
        if (caps.cookie == null) {
            counters.dropsMalformed++;
            LOG.debug("{}: INIT ACK without a State Cookie ignored", name);
            return;
        }
        peerTag = ack.initiateTag();
        peerInitialTsn = ack.initialTsn();
        applyPeer(ack.advertisedReceiverWindowCredit(), ack.outboundStreams(), ack.inboundStreams(), caps.forwardTsn,
                caps.reconfig, caps.zeroChecksum);
        cookieToEcho = caps.cookie;
        errorWithCookieEcho = null;
        initFallbackTimer.stop();
        if (!unrecognized.isEmpty()) {
            int total = Parameter.encodedLength(unrecognized);
            ByteBuffer raw = ByteBuffer.allocate(total);
            Parameter.writeAll(unrecognized, raw);
            errorWithCookieEcho = new ErrorChunk(List.of(new UnrecognizedParametersCause(raw.array())));
        }
        setState(SctpState.COOKIE_ECHOED);
        t1.start(now, rtoInitialNanos);
        queueCookieEcho();
    }

    private void queueCookieEcho() {
        controlQueue.addFirst(new CookieEchoChunk(cookieToEcho));
        if (errorWithCookieEcho != null) {
            // the ERROR goes right after the COOKIE ECHO (RFC 9260 §5.1 step C)
            Chunk echo = controlQueue.pollFirst();
            controlQueue.addFirst(errorWithCookieEcho);
            controlQueue.addFirst(echo);
        }
    }

    private void applyPeer(long arwnd, int peerOs, int peerMis, boolean fwd, boolean reconfig, boolean zc) {
        peerForwardTsn = fwd;
        peerReconfig = reconfig;
        zeroChecksumTx = zc && config.zeroChecksum();
        outboundStreams = Math.min(config.numOutboundStreams(), peerMis);
        inboundStreams = Math.min(config.maxInboundStreams(), peerOs);
        peerArwndAtSetup = arwnd;
    }

    private void handleCookieEcho(CookieEchoChunk echo, long packetTag) {
        StateCookie c = StateCookie.decode(echo.cookie(), cookieSecret);
        if (c == null) {
            counters.dropsMalformed++;
            LOG.debug("{}: COOKIE ECHO with an invalid cookie ignored", name);
            return;
        }
        if (packetTag != c.localTag()) {
            counters.dropsVerificationTag++;
            return;
        }
        long age = now - c.createdAt();
        long lifetime = cookieLifetimeNanos + c.lifetimeExtensionMillis() * 1_000_000L;
        if (age > lifetime) {
            long staleMicros = Math.min(0xFFFF_FFFFL, (age - lifetime) / 1000);
            readyPackets.add(encode(new SctpPacket(config.localPort(), config.remotePort(), c.peerTag(),
                    List.of(new ErrorChunk(List.of(new StaleCookieCause(staleMicros)))))));
            counters.dropsState++;
            LOG.debug("{}: stale cookie ({} us past its lifetime)", name, staleMicros);
            return;
        }
        if (state == SctpState.CLOSED) {
            adoptCookie(c);
            establish();
            controlQueue.add(new CookieAckChunk());
            return;
        }
        boolean localMatch = c.localTag() == localTag;
        boolean peerMatch = c.peerTag() == peerTag;
        if (!localMatch && !peerMatch && c.localTieTag() == localTag && c.peerTieTag() == peerTag && c.localTieTag() != 0) {
            // Case A: the peer restarted.
            if (state == SctpState.SHUTDOWN_ACK_SENT) {
                controlQueue.add(new ShutdownAckChunk());
                return;
            }
            LOG.info("{}: peer restarted the association", name);
            adoptCookie(c);
            resetDataPath();
            events.add(new SctpEvent.Restarted());
            controlQueue.add(new CookieAckChunk());
            return;
        }
        if (localMatch && !peerMatch) {
            // Case B: setup collision; the peer's INIT crossed ours.
            adoptCookie(c);
            if (state == SctpState.COOKIE_WAIT || state == SctpState.COOKIE_ECHOED) {
                establish();
            }
            controlQueue.add(new CookieAckChunk());
            return;
        }
        if (!localMatch && peerMatch && c.localTieTag() == 0 && c.peerTieTag() == 0) {
            counters.dropsState++; // Case C: a late INIT, silently discarded
            return;
        }
        if (localMatch) {
            // Case D: both tags match.
            if (state == SctpState.COOKIE_WAIT || state == SctpState.COOKIE_ECHOED) {
                adoptCookie(c);
                establish();
            }
            controlQueue.add(new CookieAckChunk());
            return;
        }
        counters.dropsState++;
    }

    private void adoptCookie(StateCookie c) {
        localTag = c.localTag();
        localInitialTsn = c.localInitialTsn();
        peerTag = c.peerTag();
        peerInitialTsn = c.peerInitialTsn();
        applyPeer(c.peerArwnd(), c.peerOutboundStreams(), c.peerInboundStreams(), c.peerForwardTsn(), c.peerReconfig(),
                c.peerZeroChecksum());
    }

    private void handleCookieAck() {
        if (state == SctpState.COOKIE_ECHOED) {
            establish();
        }
    }

    private void establish() {
        t1.stop();
        initFallbackTimer.stop();
        cookieToEcho = null;
        controlQueue.removeIf(c -> c instanceof CookieEchoChunk || c == errorWithCookieEcho);
        if (rtx == null) {
            createDataPath();
        }
        setState(SctpState.ESTABLISHED);
        armHeartbeat();
        if (!connectedOnce) {
            connectedOnce = true;
            LOG.debug("{}: established (streams out={} in={}, PR={}, RE-CONFIG={}, zero checksum={}, fallback INIT sent={})",
                    name, outboundStreams, inboundStreams, peerForwardTsn, peerReconfig, zeroChecksumTx, initFallbackSent);
            events.add(new SctpEvent.Connected());
        }
    }

    private void createDataPath() {
        rtx = new RetransmissionQueue(config.mtu(), config.maxBurst(), config.slowStartIncreaseMtus(), config.initialCwnd(),
                localInitialTsn, peerArwndAtSetup, peerForwardTsn, config.hystart(), config.jumpStart(), config.pacing(), rto, counters,
                this::onAbandoned);
        rx = new DataTracker(peerInitialTsn);
        reassembly = new Reassembly(this::deliver);
        lastAdvertisedRwnd = config.receiveWindow();
        nextRequestSeq = localInitialTsn;
        lastPeerRequestSeq = peerInitialTsn - 1;
        lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED;
    }

    private void resetDataPath() {
        createDataPath();
        pendingResetCount = 0;
        currentReset = null;
        reconfigTimer.stop();
        errorCount = 0;
    }

    private void onAbandoned(OutMessage m) {
        events.add(new SctpEvent.MessageAbandoned(m.streamId, m.ppid, m.size(), m.unordered));
    }

    private void onT1Expiry() {
        if (!t1.restartAfterExpiry(now) || t1.restarts() > config.maxInitRetransmits()) {
            t1.stop();
            String what = state == SctpState.COOKIE_WAIT ? "INIT" : "COOKIE ECHO";
            String why = what + " unanswered after " + config.maxInitRetransmits() + " retransmissions"
                    + (initFallbackSent ? " (also without Zero Checksum Acceptable)" : "");
            // The owner logs the Aborted event once, with its context.
            LOG.debug("{}: {}; giving up", name, why);
            terminate(new SctpEvent.Aborted(ErrorKind.TIMEOUT, why), "T1 expiry");
            return;
        }
        if (state == SctpState.COOKIE_WAIT) {
            sendInit();
        } else if (state == SctpState.COOKIE_ECHOED) {
            controlQueue.removeIf(c -> c instanceof CookieEchoChunk || c == errorWithCookieEcho);
            queueCookieEcho();
        }
    }

    // ---------------------------------------------------------------------------------------------- data

    /** Returns true if the chunk counted as DATA received (new or duplicate). */
    private boolean handleData(DataChunk d) {
        if (rx == null || (state != SctpState.ESTABLISHED && state != SctpState.SHUTDOWN_PENDING
                && state != SctpState.SHUTDOWN_SENT)) {
            counters.dropsState++;
            return false;
        }
        if (d.payload().length == 0) {
            // RFC 9260 §6.2: a DATA chunk without user data aborts the association.
            sendAbort(List.of(new NoUserDataCause(d.tsn())));
            terminate(new SctpEvent.Aborted(ErrorKind.PROTOCOL_VIOLATION, "DATA chunk without user data"), "no user data");
            return false;
        }
        long tsn = rx.unwrap(d.tsn());
        if (rx.isImplausible(tsn)) {
            counters.dropsOther++;
            return false;
        }
        counters.dataChunksReceived++;
        if (rx.isDuplicate(tsn)) {
            counters.duplicateTsnsReceived++;
            rx.addDuplicate(d.tsn());
            return true;
        }
        long held = reassembly.bufferedBytes() + eventBytes + heldBytes;
        if (held + d.payload().length > config.receiveWindow() && tsn > rx.highestReceived()) {
            // RFC 9260 §6.2: no room; drop new data beyond the highest TSN but keep filling holes.
            counters.dropsReceiveWindow++;
            rx.requestImmediateSack();
            return false;
        }
        rx.add(tsn);
        if (d.streamId() >= inboundStreams) {
            controlQueue.add(new ErrorChunk(List.of(new InvalidStreamIdentifierCause(d.streamId()))));
            return true;
        }
        reassembly.add(tsn, d);
        return true;
    }

    private void deliver(int streamId, int ppid, byte[] data, boolean unordered) {
        counters.messagesReceived++;
        counters.userBytesReceived += data.length;
        eventBytes += data.length;
        events.add(new SctpEvent.MessageReceived(streamId, ppid, ByteBuffer.wrap(data), unordered));
    }

    private long localRwnd() {
        long held = (reassembly == null ? 0 : reassembly.bufferedBytes()) + eventBytes + heldBytes;
        return Math.max(0, config.receiveWindow() - held);
    }

    /**
     * After the application drained or released messages, tell the peer if the window opened a lot (RFC 9260 §6.2:
     * from below one MTU to at least one, or by a quarter of the window), so a zero window cannot deadlock.
     */
    private void maybeWindowUpdate() {
        if (rx == null) {
            return;
        }
        long rwnd = localRwnd();
        if ((lastAdvertisedRwnd < config.mtu() && rwnd >= config.mtu())
                || rwnd - lastAdvertisedRwnd >= config.receiveWindow() / 4) {
            rx.requestImmediateSack();
        }
    }

    private void handleSack(SackChunk s) {
        if (rtx == null) {
            counters.dropsState++;
            return;
        }
        counters.sacksReceived++;
        RetransmissionQueue.SackResult r = rtx.onSack(now, s.cumulativeTsnAck(), s.advertisedReceiverWindowCredit(),
                s.gapAckBlocks());
        switch (r) {
            case NEW_DATA_ACKED -> errorCount = 0;
            case NO_NEW_DATA_ACKED -> {
                if (s.advertisedReceiverWindowCredit() < config.mtu()) {
                    // RFC 9260 §6.1 A: the peer's window is closed and it still answers; what we have outstanding are
                    // window probes, whose timeouts must not count towards the association's error threshold (a
                    // receiver may keep its window closed for as long as its application pauses).
                    errorCount = 0;
                }
            }
            case INVALID -> {
                counters.dropsOther++;
                LOG.debug("{}: SACK acknowledges TSN {} that was never sent", name, s.cumulativeTsnAck());
            }
            default -> {
            }
        }
        progressShutdown();
    }

    private void handleForwardTsn(ForwardTsnChunk f) {
        if (rx == null) {
            counters.dropsState++;
            return;
        }
        counters.forwardTsnsReceived++;
        long newCum = rx.unwrap(f.newCumulativeTsn());
        if (rx.isImplausible(newCum)) {
            counters.dropsOther++;
            return;
        }
        if (!rx.forwardTo(newCum)) {
            rx.requestImmediateSack();
        }
        // Stream skips apply even when every TSN up to newCum already arrived: the fragments of a message that was
        // abandoned before it was fully sent may all be here, and its SSN must still be skipped (RFC 3758 §3.6).
        reassembly.forwardTsn(newCum, f.skippedStreams());
        completeDeferredReset();
    }

    // ---------------------------------------------------------------------------------------------- timers

    private void onT3Expiry() {
        rtx.onT3Expiry(now);
        if (incrementErrors("T3-rtx expiry")) {
            return;
        }
        LOG.debug("{}: T3-rtx expired, rto now {} ms, errors {}", name, rto.rto() / 1_000_000, errorCount);
    }

    /** RFC 9260 §8.1: counts a timeout; aborts past Association.Max.Retrans. Returns true if it aborted. */
    private boolean incrementErrors(String what) {
        errorCount++;
        if (errorCount > config.maxRetransmits()) {
            LOG.info("{}: {}: {} consecutive timeouts, peer unreachable; aborting", name, what, errorCount);
            sendAbort(List.of(UserInitiatedAbortCause.of("peer unreachable: retransmission limit reached")));
            terminate(new SctpEvent.Aborted(ErrorKind.TIMEOUT, "retransmission limit reached (" + what + ")"), what);
            return true;
        }
        return false;
    }

    private void armHeartbeat() {
        if (heartbeatIntervalNanos <= 0) {
            heartbeatTimer.stop();
            return;
        }
        long r = rto.rto();
        long jitter = (long) ((config.random().nextDouble() - 0.5) * r);
        heartbeatTimer.start(now, heartbeatIntervalNanos + r + jitter);
    }

    private void onHeartbeatInterval() {
        if (state != SctpState.ESTABLISHED) {
            heartbeatTimer.stop();
            return;
        }
        if (rtx != null && rtx.hasOutstanding()) {
            // Data in flight already probes the path (RFC 9260 §8.3 heartbeats idle paths).
            armHeartbeat();
            return;
        }
        heartbeatNonce++;
        ByteBuffer info = ByteBuffer.allocate(HB_INFO_LENGTH);
        info.putLong(now).putLong(heartbeatNonce);
        controlQueue.add(new HeartbeatRequestChunk(new HeartbeatInfoParameter(info.array())));
        counters.heartbeatsSent++;
        heartbeatTimeoutTimer.start(now, rto.rto());
        armHeartbeat();
    }

    private void onHeartbeatTimeout() {
        heartbeatTimeoutTimer.stop();
        rto.backoff();
        incrementErrors("HEARTBEAT unanswered");
    }

    private void handleHeartbeat(HeartbeatRequestChunk h) {
        if (peerTag == 0) {
            counters.dropsState++;
            return;
        }
        controlQueue.add(new HeartbeatAckChunk(h.info()));
    }

    private void handleHeartbeatAck(HeartbeatAckChunk a) {
        byte[] info = a.info().info();
        if (info.length != HB_INFO_LENGTH) {
            counters.dropsOther++;
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(info);
        long sentAt = b.getLong();
        long nonce = b.getLong();
        if (nonce != heartbeatNonce || !heartbeatTimeoutTimer.isRunning() || sentAt > now) {
            counters.dropsOther++;
            return;
        }
        counters.heartbeatAcksReceived++;
        heartbeatTimeoutTimer.stop();
        lastHeartbeatRtt = now - sentAt;
        rto.measure(lastHeartbeatRtt);
        errorCount = 0;
    }

    // ---------------------------------------------------------------------------------------------- shutdown & abort

    private void progressShutdown() {
        if (rtx == null) {
            return;
        }
        boolean drained = !sendQueue.hasData() && rtx.allAcked();
        if (state == SctpState.SHUTDOWN_PENDING && drained) {
            controlQueue.add(new ShutdownChunk(Seq.wire32(rx.cumulativeTsn())));
            setState(SctpState.SHUTDOWN_SENT);
            t2.start(now, rto.rto());
            heartbeatTimer.stop();
        } else if (state == SctpState.SHUTDOWN_RECEIVED && drained) {
            controlQueue.add(new ShutdownAckChunk());
            setState(SctpState.SHUTDOWN_ACK_SENT);
            t2.start(now, rto.rto());
            heartbeatTimer.stop();
        }
    }

    private void handleShutdown(ShutdownChunk s) {
        switch (state) {
            case ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_RECEIVED -> {
                rtx.onSack(now, s.cumulativeTsnAck(), rtx.peerRwnd() + rtx.flightSize(), List.of());
                if (state != SctpState.SHUTDOWN_RECEIVED) {
                    setState(SctpState.SHUTDOWN_RECEIVED);
                }
                progressShutdown();
            }
            case SHUTDOWN_SENT -> {
                // §9.2: both sides sent SHUTDOWN.
                controlQueue.add(new ShutdownAckChunk());
                setState(SctpState.SHUTDOWN_ACK_SENT);
                t2.start(now, rto.rto());
            }
            default -> counters.dropsState++;
        }
    }

    private void handleShutdownAck() {
        if (state == SctpState.SHUTDOWN_SENT || state == SctpState.SHUTDOWN_ACK_SENT) {
            controlQueue.add(new ShutdownCompleteChunk(false));
            LOG.debug("{}: shutdown complete", name);
            terminate(new SctpEvent.Closed(), "shutdown");
        } else if (state == SctpState.COOKIE_WAIT || state == SctpState.COOKIE_ECHOED) {
            // §9.2 / §8.4: a SHUTDOWN ACK for an association we do not have yet
            readyPackets.add(encode(new SctpPacket(config.localPort(), config.remotePort(), localTag,
                    List.of(new ShutdownCompleteChunk(true)))));
        } else {
            counters.dropsState++;
        }
    }

    private void handleShutdownComplete() {
        if (state == SctpState.SHUTDOWN_ACK_SENT) {
            LOG.debug("{}: shutdown complete", name);
            terminate(new SctpEvent.Closed(), "shutdown");
        } else {
            counters.dropsState++;
        }
    }

    private void onT2Expiry() {
        if (incrementErrors("T2-shutdown expiry")) {
            return;
        }
        rto.backoff();
        t2.start(now, rto.rto());
        if (state == SctpState.SHUTDOWN_SENT) {
            controlQueue.add(new ShutdownChunk(Seq.wire32(rx.cumulativeTsn())));
        } else if (state == SctpState.SHUTDOWN_ACK_SENT) {
            controlQueue.add(new ShutdownAckChunk());
        } else {
            t2.stop();
        }
    }

    private void handleAbort(AbortChunk a) {
        String reason = ErrorCause.describe(a.causes());
        if (state == SctpState.COOKIE_WAIT && config.zeroChecksum() && config.initFallbackDelay() != null && !firstInitAborted) {
            // The first ABORT in COOKIE-WAIT may be a stack rejecting the first INIT for its Zero Checksum Acceptable
            // parameter: try the INIT without it before giving up (a second ABORT ends the association).
            firstInitAborted = true;
            LOG.info("{}: peer aborted our INIT ({}); retrying without Zero Checksum Acceptable", name, reason);
            if (initFallbackSent) {
                return; // the ABORT may answer the first INIT, sent before the fallback one: wait for the latter
            }
            fallBackInit("peer aborted the INIT", true);
            return;
        }
        LOG.info("{}: peer aborted: {}", name, reason);
        terminate(new SctpEvent.Aborted(ErrorKind.PEER_ABORTED, reason), "peer abort");
    }

    private void handleError(ErrorChunk e) {
        if (state == SctpState.COOKIE_WAIT && config.initFallbackDelay() != null) {
            // An ERROR before any INIT ACK can only be about our INIT (RFC 9260 §3.2.1 reports unknown parameters in
            // the INIT ACK instead): a stack that objects to a parameter. Try the INIT without the newer one.
            LOG.debug("{}: peer reported {} in answer to our INIT", name, ErrorCause.describe(e.causes()));
            fallBackInit("peer reported an error about the INIT", true);
            return;
        }
        for (ErrorCause c : e.causes()) {
            if (c instanceof StaleCookieCause s && state == SctpState.COOKIE_ECHOED) {
                // RFC 9260 §5.2.6: start over with INIT, asking for a longer cookie life.
                long extraMs = Math.max(1, s.stalenessMicros() / 1000) * 2;
                List<Parameter> params = new ArrayList<>(ourCapabilities(!initFallbackSent));
                params.add(new CookiePreservativeParameter(Math.min(extraMs, 0xFFFF_FFFFL)));
                ourInit = new InitChunk(localTag, config.receiveWindow(), config.numOutboundStreams(),
                        config.maxInboundStreams(), localInitialTsn, params);
                controlQueue.removeIf(ch -> ch instanceof CookieEchoChunk || ch == errorWithCookieEcho);
                peerTag = 0;
                setState(SctpState.COOKIE_WAIT);
                if (!t1.restartAfterExpiry(now) || t1.restarts() > config.maxInitRetransmits()) {
                    terminate(new SctpEvent.Aborted(ErrorKind.TIMEOUT, "stale cookies"), "stale cookie");
                    return;
                }
                sendInit();
                return;
            }
            LOG.debug("{}: peer reported error: {}", name, c);
        }
    }

    private void sendAbort(List<ErrorCause> causes) {
        if (peerTag == 0) {
            return;
        }
        readyPackets.add(encode(new SctpPacket(config.localPort(), config.remotePort(), peerTag,
                List.of(new AbortChunk(false, causes)))));
    }

    private void terminate(SctpEvent event, String why) {
        if (terminated) {
            return;
        }
        terminated = true;
        setState(SctpState.CLOSED);
        t1.stop();
        initFallbackTimer.stop();
        t2.stop();
        heartbeatTimer.stop();
        heartbeatTimeoutTimer.stop();
        reconfigTimer.stop();
        // Flush any final control chunk (SHUTDOWN COMPLETE) while the peer tag is still known.
        if (!controlQueue.isEmpty() && peerTag != 0) {
            List<Chunk> last = new ArrayList<>();
            for (Chunk c : controlQueue) {
                if (c instanceof ShutdownCompleteChunk) {
                    last.add(c);
                }
            }
            if (!last.isEmpty()) {
                readyPackets.add(encode(new SctpPacket(config.localPort(), config.remotePort(), peerTag, last)));
            }
        }
        controlQueue.clear();
        rtx = null;
        rx = null;
        reassembly = null;
        LOG.debug("{}: terminated ({})", name, why);
        events.add(event);
    }

    private void setState(SctpState s) {
        if (s != state) {
            LOG.trace("{}: {} -> {}", name, state, s);
            state = s;
        }
    }

    // ---------------------------------------------------------------------------------------------- RE-CONFIG

    /** Sends the next Outgoing SSN Reset Request once a closing stream has nothing unsent (RFC 6525 §5.1.2). */
    private void tryStartReset() {
        if (currentReset != null || pendingResetCount == 0 || rtx == null) {
            return;
        }
        int maxIds = (config.mtu() - SctpPacket.HEADER_LENGTH - 4 - 16) / 2;
        int[] ready = new int[Math.min(pendingResetCount, maxIds)];
        int n = 0;
        int keep = 0;
        for (int i = 0; i < pendingResetCount; i++) {
            int id = pendingResets[i];
            if (n < ready.length && sendQueue.readyForReset(id)) {
                ready[n++] = id;
            } else {
                pendingResets[keep++] = id;
            }
        }
        pendingResetCount = keep;
        if (n == 0) {
            return;
        }
        currentReset = new ResetRequest(Arrays.copyOf(ready, n));
        sendResetRequest();
    }

    private void sendResetRequest() {
        ResetRequest r = currentReset;
        if (r.seq < 0) {
            r.seq = nextRequestSeq;
            nextRequestSeq = (nextRequestSeq + 1) & 0xFFFF_FFFFL;
            r.lastTsn = Seq.wire32(rtx.lastAssignedTsn());
        }
        List<Integer> ids = new ArrayList<>(r.streams.length);
        for (int id : r.streams) {
            ids.add(id);
        }
        controlQueue.add(new ReConfigChunk(List.of(new OutgoingSsnResetRequestParameter(r.seq,
                Seq.wire32(lastPeerRequestSeq), r.lastTsn, ids))));
        reconfigTimer.start(now, rto.rto());
    }

    private void onReconfigTimeout() {
        reconfigTimer.stop();
        if (currentReset == null || rtx == null) {
            return;
        }
        if (currentReset.seq >= 0) {
            if (incrementErrors("RE-CONFIG unanswered")) {
                return;
            }
        }
        sendResetRequest();
    }

    private void handleReconfig(ReConfigChunk chunk) {
        if (rx == null) {
            counters.dropsState++;
            return;
        }
        List<Parameter> ps = chunk.parameters();
        if (!validReconfig(ps)) {
            counters.dropsMalformed++;
            LOG.debug("{}: RE-CONFIG with an invalid parameter combination ignored: {}", name, ps);
            return;
        }
        List<Parameter> responses = new ArrayList<>(2);
        for (Parameter p : ps) {
            switch (p) {
                case OutgoingSsnResetRequestParameter req -> handleOutgoingResetRequest(req, responses);
                case IncomingSsnResetRequestParameter req -> denyRequest(req.requestSequenceNumber(), responses);
                case SsnTsnResetRequestParameter req -> denyRequest(req.requestSequenceNumber(), responses);
                case AddOutgoingStreamsRequestParameter req -> denyRequest(req.requestSequenceNumber(), responses);
                case AddIncomingStreamsRequestParameter req -> denyRequest(req.requestSequenceNumber(), responses);
                case ReconfigurationResponseParameter resp -> handleReconfigResponse(resp);
                default -> {
                }
            }
        }
        if (!responses.isEmpty()) {
            controlQueue.add(new ReConfigChunk(responses));
        }
    }

    /** The parameter combinations RFC 6525 §3.1 allows. */
    private static boolean validReconfig(List<Parameter> ps) {
        if (ps.size() == 1) {
            return ps.get(0) instanceof OutgoingSsnResetRequestParameter || ps.get(0) instanceof IncomingSsnResetRequestParameter
                    || ps.get(0) instanceof SsnTsnResetRequestParameter || ps.get(0) instanceof AddOutgoingStreamsRequestParameter
                    || ps.get(0) instanceof AddIncomingStreamsRequestParameter
                    || ps.get(0) instanceof ReconfigurationResponseParameter;
        }
        Parameter a = ps.get(0);
        Parameter b = ps.get(1);
        return pair(a, b, OutgoingSsnResetRequestParameter.class, IncomingSsnResetRequestParameter.class)
                || pair(a, b, AddOutgoingStreamsRequestParameter.class, AddIncomingStreamsRequestParameter.class)
                || pair(a, b, ReconfigurationResponseParameter.class, OutgoingSsnResetRequestParameter.class)
                || pair(a, b, ReconfigurationResponseParameter.class, ReconfigurationResponseParameter.class);
    }

    private static boolean pair(Parameter a, Parameter b, Class<?> x, Class<?> y) {
        return (x.isInstance(a) && y.isInstance(b)) || (y.isInstance(a) && x.isInstance(b));
    }

    /** RFC 6525 §5.2.1: checks a request sequence number; adds the response for a retransmission or a bad one. */
    private boolean acceptRequestSeq(long wireSeq, List<Parameter> responses) {
        long seq = Seq.unwrap32(lastPeerRequestSeq, wireSeq);
        if (seq == lastPeerRequestSeq) {
            responses.add(ReconfigurationResponseParameter.of(wireSeq, lastPeerRequestResult));
            return false;
        }
        if (seq != lastPeerRequestSeq + 1) {
            responses.add(ReconfigurationResponseParameter.of(wireSeq,
                    ReconfigurationResponseParameter.RESULT_ERROR_BAD_SEQUENCE_NUMBER));
            return false;
        }
        lastPeerRequestSeq = seq;
        return true;
    }

    private void denyRequest(long wireSeq, List<Parameter> responses) {
        if (acceptRequestSeq(wireSeq, responses)) {
            lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_DENIED;
            responses.add(ReconfigurationResponseParameter.of(wireSeq, lastPeerRequestResult));
        }
    }

    private void handleOutgoingResetRequest(OutgoingSsnResetRequestParameter req, List<Parameter> responses) {
        if (!acceptRequestSeq(req.requestSequenceNumber(), responses)) {
            return;
        }
        long lastTsn = rx.unwrap(req.senderLastAssignedTsn());
        List<Integer> done = deferredDoneStreams;
        deferredDoneStreams = null;
        if (done != null && done.equals(req.streamIds()) && deferredDoneLastTsn == lastTsn) {
            // The peer answered our "In progress" by asking again under a new sequence number (as dcsctp does);
            // the reset was performed meanwhile, so only confirm it.
            lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED;
            responses.add(ReconfigurationResponseParameter.of(req.requestSequenceNumber(), lastPeerRequestResult));
            return;
        }
        if (reassembly.inDeferredReset()) {
            lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_IN_PROGRESS;
            responses.add(ReconfigurationResponseParameter.of(req.requestSequenceNumber(), lastPeerRequestResult));
            return;
        }
        if (lastTsn > rx.cumulativeTsn()) {
            // §5.2.2 E2: wait for the data sent before the reset.
            reassembly.enterDeferredReset(lastTsn, req.streamIds());
            lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_IN_PROGRESS;
        } else {
            reassembly.resetStreams(req.streamIds());
            events.add(new SctpEvent.IncomingStreamsReset(toArray(req.streamIds())));
            lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED;
        }
        responses.add(ReconfigurationResponseParameter.of(req.requestSequenceNumber(), lastPeerRequestResult));
    }

    private void completeDeferredReset() {
        if (reassembly == null || !reassembly.inDeferredReset()) {
            return;
        }
        long lastTsn = reassembly.deferredLastTsn();
        List<Integer> ids = reassembly.completeDeferredReset(rx.cumulativeTsn());
        if (ids != null) {
            deferredDoneStreams = ids;
            deferredDoneLastTsn = lastTsn;
            lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED;
            events.add(new SctpEvent.IncomingStreamsReset(toArray(ids)));
        }
    }

    private void handleReconfigResponse(ReconfigurationResponseParameter resp) {
        ResetRequest r = currentReset;
        if (r == null || r.seq < 0 || resp.responseSequenceNumber() != r.seq) {
            counters.dropsState++;
            return;
        }
        reconfigTimer.stop();
        long result = resp.result();
        if (result == ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED
                || result == ReconfigurationResponseParameter.RESULT_SUCCESS_NOTHING_TO_DO) {
            for (int id : r.streams) {
                sendQueue.commitReset(id);
            }
            currentReset = null;
            events.add(new SctpEvent.OutgoingStreamsReset(r.streams.clone()));
            tryStartReset();
        } else if (result == ReconfigurationResponseParameter.RESULT_IN_PROGRESS) {
            // Try again after an RTO with a new request sequence number (as dcsctp does).
            r.seq = -1;
            reconfigTimer.start(now, rto.rto());
        } else {
            for (int id : r.streams) {
                sendQueue.rollbackReset(id);
            }
            currentReset = null;
            String why = ReconfigurationResponseParameter.resultName(result);
            LOG.debug("{}: stream reset {} refused: {}", name, Arrays.toString(r.streams), why);
            events.add(new SctpEvent.StreamResetFailed(r.streams.clone(), why));
            tryStartReset();
        }
    }

    private static int[] toArray(List<Integer> ids) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    // =====================================================================================================
    // Sending
    // =====================================================================================================

    private ByteBuffer encode(SctpPacket p) {
        // Handshake and out-of-the-blue packets always carry a real CRC32c (RFC 9653 §5.2).
        return p.encode(false);
    }

    private boolean dataAllowed() {
        return rtx != null && (state == SctpState.ESTABLISHED || state == SctpState.SHUTDOWN_PENDING
                || state == SctpState.SHUTDOWN_RECEIVED);
    }

    /** Builds the next packet: control chunks, SACK, FORWARD TSN, then retransmissions and new DATA. */
    private ByteBuffer buildPacket() {
        if (peerTag == 0) {
            return null;
        }
        tryStartReset();
        if (rtx != null) {
            rtx.startPacket();
        }
        boolean wantSack = rx != null && rx.sackDue(now);
        boolean wantForward = rtx != null && rtx.forwardTsnDue();
        boolean mayData = dataAllowed() && (rtx.hasRetransmissionsPending()
                || (sendQueue.hasData() && rtx.newDataAllowance(now, config.mtu()) > 0));
        if (!wantSack && !wantForward && !mayData && controlQueue.isEmpty()) {
            return null;
        }
        int mtu = config.mtu();
        byte[] arr = new byte[mtu];
        ByteBuffer b = ByteBuffer.wrap(arr);
        b.position(SctpPacket.HEADER_LENGTH);
        boolean hasCookieEcho = false;
        Chunk c;
        while ((c = controlQueue.peek()) != null && c.encodedLength() <= b.remaining()) {
            controlQueue.poll();
            c.writeTo(b);
            counters.controlChunksSent++;
            hasCookieEcho |= c instanceof CookieEchoChunk;
        }
        if (wantSack && b.remaining() >= SackChunk.FIXED_LENGTH) {
            long rwnd = localRwnd();
            rx.buildSack(rwnd, b.remaining()).writeTo(b);
            lastAdvertisedRwnd = rwnd;
            counters.sacksSent++;
            counters.controlChunksSent++;
        }
        if (wantForward) {
            ForwardTsnChunk f = rtx.makeForwardTsn(now);
            if (f.encodedLength() <= b.remaining()) {
                f.writeTo(b);
                counters.forwardTsnsSent++;
                counters.controlChunksSent++;
            } else {
                controlQueue.add(f);
            }
        }
        if (dataAllowed()) {
            writeData(b);
        }
        int len = b.position();
        if (len == SctpPacket.HEADER_LENGTH) {
            return null;
        }
        b.putShort(0, (short) config.localPort());
        b.putShort(2, (short) config.remotePort());
        b.putInt(4, (int) peerTag);
        if (!zeroChecksumTx || hasCookieEcho) {
            crc.reset();
            crc.update(arr, 0, len);
            SctpPacket.putChecksum(b, 0, crc.getValue());
        }
        return ByteBuffer.wrap(arr, 0, len).slice();
    }

    private void writeData(ByteBuffer b) {
        rtx.beforeSending(now);
        while (b.remaining() > DATA_HEADER) {
            TxChunk c = rtx.nextRetransmission(now, b.remaining());
            if (c != null) {
                putData(b, c);
                rtx.retransmitted(c, now);
                continue;
            }
            if (rtx.hasRetransmissionsPending()) {
                return;
            }
            int allowance = rtx.newDataAllowance(now, b.remaining() - DATA_HEADER);
            if (allowance <= 0) {
                return;
            }
            c = sendQueue.produce(now, rtx.nextTsn(), allowance);
            if (c == null) {
                return;
            }
            rtx.sentNew(c, now);
            putData(b, c);
        }
    }

    private void putData(ByteBuffer b, TxChunk c) {
        OutMessage m = c.msg;
        DataChunk.write(b, c.flags, Seq.wire32(c.tsn), m.streamId, c.ssn, m.ppid, m.data, c.offset, c.length);
        counters.dataChunksSent++;
    }
}
