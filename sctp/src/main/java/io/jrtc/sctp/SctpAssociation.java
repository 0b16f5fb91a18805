package io.jrtc.sctp;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Gather;
import io.jrtc.sctp.internal.Counters;
import io.jrtc.sctp.internal.socket.Connect;
import io.jrtc.sctp.internal.socket.DataPath;
import io.jrtc.sctp.internal.socket.Dispatcher;
import io.jrtc.sctp.internal.socket.SocketContext;
import io.jrtc.sctp.internal.socket.Shutdown;
import io.jrtc.sctp.internal.socket.StreamReset;
import io.jrtc.sctp.internal.socket.Tcb;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One SCTP association (RFC 9260) as WebRTC runs it over DTLS (RFC 8261), as a sans-IO core: SCTP packets (one
 * per DTLS record) and time go in through {@link #handleInput} and {@link #handleTimeout}; packets to send come
 * out of {@link #pollTransmit()} (or, without the user data copied into them, {@link #pollTransmitGather()}),
 * application events out of {@link #pollEvent()}, and the next wake-up time out
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

    // The façade: argument checks and the public API. The protocol lives in io.jrtc.sctp.internal.socket, one class
    // per concern (Connect, DataPath, Heartbeat, Shutdown, StreamReset, and the Dispatcher for input and timers), each
    // a set of functions over a SocketContext whose sealed State holds each state's own data; see the module README.
    private final SocketContext ctx;

    /** Creates an association with {@code config}; nothing happens until {@link #connect} or an INIT arrives. */
    public SctpAssociation(SctpConfig config) {
        this(config, "sctp");
    }

    /** As {@link #SctpAssociation(SctpConfig)}, with a name used in log lines. */
    public SctpAssociation(SctpConfig config, String name) {
        this.ctx = new SocketContext(config, name);
    }

    // =====================================================================================================
    // Public API
    // =====================================================================================================

    public SctpConfig config() {
        return ctx.config;
    }

    public SctpState state() {
        return ctx.publicState();
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
        if (port == ctx.config.remotePort()) {
            return;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SCTP port out of range: " + port);
        }
        if (ctx.portsInUse || state() != SctpState.CLOSED || ctx.terminated) {
            throw new IllegalStateException("the association already talks to port " + ctx.config.remotePort()
                    + "; it cannot change to " + port);
        }
        ctx.config = ctx.config.toBuilder().remotePort(port).build();
    }

    /** True once the association ended (closed or aborted); it then ignores input. */
    public boolean isTerminated() {
        return ctx.terminated;
    }

    /**
     * Starts the handshake by sending INIT (RFC 9260 §5.1). In WebRTC both ends call this; simultaneous INITs are
     * resolved by §5.2. Does nothing if the association is already being set up or established (for example
     * because the peer's INIT arrived first).
     *
     * @throws IllegalStateException if the association has terminated
     */
    public void connect(long nowNanos) {
        ctx.advanceClock(nowNanos);
        if (ctx.terminated) {
            throw new IllegalStateException("association terminated");
        }
        Connect.connect(ctx);
    }

    /**
     * Whether the INIT without Zero Checksum Acceptable was sent because the first one went unanswered or was
     * rejected (see {@link SctpConfig.Builder#initFallbackDelay}).
     */
    public boolean initFallbackSent() {
        return ctx.initFallbackSent;
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
        checkSend(nowNanos, streamId, message.remaining());
        byte[] data = new byte[message.remaining()];
        message.get(message.position(), data);
        DataPath.enqueue(ctx, streamId, ppid, data, options);
    }

    /**
     * Queues a message whose array the caller hands over: it is not copied, and the caller must never write to it
     * again (the association reads it until the last fragment is acknowledged or abandoned). Otherwise as
     * {@link #send(long, int, int, ByteBuffer, SendOptions)}, with the same exceptions.
     */
    public void sendOwned(long nowNanos, int streamId, int ppid, byte[] message, SendOptions options) {
        checkSend(nowNanos, streamId, message.length);
        DataPath.enqueue(ctx, streamId, ppid, message, options);
    }

    private void checkSend(long nowNanos, int streamId, int size) {
        ctx.advanceClock(nowNanos);
        SctpState state = state();
        if (state != SctpState.ESTABLISHED) {
            throw new IllegalStateException("cannot send: association is " + state + (ctx.terminated ? " (terminated)" : ""));
        }
        if (streamId < 0 || streamId >= ctx.outboundStreams) {
            throw new IllegalArgumentException("stream " + streamId + " outside the " + ctx.outboundStreams
                    + " negotiated outbound streams");
        }
        if (size == 0) {
            throw new IllegalArgumentException("SCTP cannot carry an empty message (RFC 9260 §6.2)");
        }
        long limit = maxMessageSize();
        if (size > limit) {
            throw new MessageTooLargeException(size, limit);
        }
        if (ctx.sendQueue.isClosing(streamId)) {
            throw new StreamClosingException(streamId);
        }
        long maxSendBuffer = ctx.config.maxSendBuffer();
        if (ctx.sendQueue.totalBuffered() + size > maxSendBuffer) {
            throw new SendBufferFullException(ctx.sendQueue.totalBuffered(), size, maxSendBuffer);
        }
    }

    /** The largest message {@link #send} accepts now: the local limit, capped by the peer's SDP limit if any. */
    public long maxMessageSize() {
        long local = ctx.config.maxMessageSize();
        return ctx.remoteMaxMessageSize > 0 ? Math.min(local, ctx.remoteMaxMessageSize) : local;
    }

    /** The peer's SDP {@code a=max-message-size} (RFC 8841); 0 means no limit. */
    public void setRemoteMaxMessageSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("max-message-size must not be negative");
        }
        ctx.remoteMaxMessageSize = bytes;
    }

    /** Bytes queued on {@code streamId} and not yet handed to the network (W3C {@code bufferedAmount}). */
    public long bufferedAmount(int streamId) {
        return ctx.sendQueue.bufferedAmount(streamId);
    }

    /**
     * True when nothing sent is still unacknowledged: no queued bytes, nothing in flight or waiting for
     * retransmission, and no FORWARD TSN waiting for the peer's acknowledgement.
     */
    public boolean allDataAcknowledged() {
        Tcb tcb = ctx.tcb();
        return !ctx.sendQueue.hasData() && (tcb == null || tcb.allAcked());
    }

    /** Bytes queued on all streams and not yet sent. */
    public long bufferedAmount() {
        return ctx.sendQueue.totalBuffered();
    }

    /** When {@code streamId}'s buffered amount falls from above {@code bytes} to at or below it, a {@link SctpEvent.BufferedAmountLow} is raised. */
    public void setBufferedAmountLowThreshold(int streamId, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
        ctx.sendQueue.setLowThreshold(streamId, bytes);
    }

    /**
     * Sets {@code streamId}'s weight in the send scheduler: weighted fair queueing between streams at message
     * boundaries (RFC 8260 §3.6, as RFC 8831 §6.4 asks for data channel priorities). A data channel's priority value is
     * its weight (very-low 128, low 256, medium 512, high 1024): backlogged streams share the sending in proportion.
     * Streams whose weight is never set weigh 256. May be called in any state; takes effect from the stream's next
     * message to be scheduled.
     *
     * @throws IllegalArgumentException if {@code streamId} is not 0..65534 or {@code weight} not 1..65535
     */
    public void setStreamPriority(int streamId, int weight) {
        if (streamId < 0 || streamId > 65534) {
            throw new IllegalArgumentException("stream id " + streamId + " outside 0..65534");
        }
        ctx.sendQueue.setWeight(streamId, weight);
    }

    /** {@code streamId}'s scheduler weight (see {@link #setStreamPriority}). */
    public int streamPriority(int streamId) {
        return ctx.sendQueue.weight(streamId);
    }

    public long bufferedAmountLowThreshold(int streamId) {
        return ctx.sendQueue.lowThreshold(streamId);
    }

    /** Number of outbound streams negotiated (0 before establishment). */
    public int outboundStreams() {
        return ctx.outboundStreams;
    }

    /** Number of inbound streams negotiated (0 before establishment). */
    public int inboundStreams() {
        return ctx.inboundStreams;
    }

    /** Whether the peer announced partial reliability (RFC 3758); without it partially reliable sends become reliable. */
    public boolean peerSupportsPartialReliability() {
        return ctx.peerForwardTsn;
    }

    /** Whether both ends agreed on RFC 9653 zero checksums, so our packets carry checksum 0. */
    public boolean zeroChecksumInUse() {
        return ctx.zeroChecksumTx;
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
        ctx.advanceClock(nowNanos);
        if (state() != SctpState.ESTABLISHED) {
            throw new IllegalStateException("cannot reset streams: association is " + state());
        }
        for (int id : streamIds) {
            if (id < 0 || id >= ctx.outboundStreams) {
                throw new IllegalArgumentException("stream " + id + " outside the negotiated outbound streams");
            }
        }
        StreamReset.resetStreams(ctx, streamIds);
    }

    /**
     * Starts a graceful close (RFC 9260 §9.2): queued data is sent and acknowledged, then SHUTDOWN. Before
     * establishment it just closes.
     */
    public void shutdown(long nowNanos) {
        ctx.advanceClock(nowNanos);
        Shutdown.shutdown(ctx);
    }

    /** Ends the association at once with an ABORT carrying a User-Initiated Abort cause (RFC 9260 §9.1). */
    public void abort(long nowNanos, String reason) {
        ctx.advanceClock(nowNanos);
        Shutdown.abort(ctx, reason);
    }

    public Optional<SctpEvent> pollEvent() {
        return Optional.ofNullable(ctx.pollEvent());
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
        ctx.heldBytes += bytes;
    }

    /**
     * Releases bytes held with {@link #holdReceived}. When that opens the window by a lot (RFC 9260 §6.2: from below
     * one MTU, or by a quarter of the window), the next {@link #pollTransmit()} carries a window-update SACK, so a peer
     * stalled on a zero window resumes without waiting for a probe.
     */
    public void releaseReceived(long bytes) {
        if (bytes < 0 || bytes > ctx.heldBytes) {
            throw new IllegalArgumentException("releasing " + bytes + " bytes, " + ctx.heldBytes + " held");
        }
        ctx.heldBytes -= bytes;
    }

    /** Bytes held with {@link #holdReceived} and not yet released. */
    public long heldReceivedBytes() {
        return ctx.heldBytes;
    }

    /** The last RTT measured by a HEARTBEAT, in nanoseconds, or -1. */
    public long lastHeartbeatRtt() {
        return ctx.lastHeartbeatRtt;
    }

    public SctpStats stats() {
        Counters c = ctx.counters;
        Tcb tcb = ctx.tcb();
        return new SctpStats(c.packetsSent, c.packetsReceived, c.bytesSent, c.bytesReceived, c.dataChunksSent,
                c.dataChunksReceived, c.controlChunksSent, c.controlChunksReceived, c.messagesSent, c.messagesReceived,
                c.userBytesSent, c.userBytesReceived, c.retransmittedChunks, c.fastRetransmits, c.t3Expiries,
                c.abandonedMessages, c.duplicateTsnsReceived, c.sacksSent, c.sacksReceived, c.forwardTsnsSent,
                c.forwardTsnsReceived, c.heartbeatsSent, c.heartbeatAcksReceived, c.dropsMalformed, c.dropsChecksum,
                c.dropsVerificationTag, c.dropsState, c.dropsReceiveWindow, c.dropsOther, ctx.rto.srtt(), ctx.rto.rto(),
                tcb == null ? ctx.config.initialCwnd() : tcb.cwnd(), tcb == null ? 0 : tcb.ssthresh(),
                tcb == null ? 0 : tcb.flightSize(), tcb == null ? 0 : tcb.peerRwnd(), ctx.localRwnd(),
                ctx.sendQueue.totalBuffered(), ctx.outboundStreams, ctx.inboundStreams,
                tcb == null ? 0 : tcb.jumpStartRate(), tcb == null ? 0 : tcb.jumpStartCwnd());
    }

    /** The verification tag our packets carry (the peer's Initiate Tag), 0 until known. For tests in this package. */
    long peerVerificationTag() {
        return ctx.peerVerificationTag();
    }

    @Override
    public String toString() {
        return "SctpAssociation[" + ctx.name + ", " + state() + (ctx.terminated ? ", terminated" : "") + "]";
    }

    // =====================================================================================================
    // DatagramCore
    // =====================================================================================================

    /** A packet from the lower layer, read during this call only: the caller may reuse the buffer afterwards. */
    @Override
    public void handleInput(long nowNanos, ByteBuffer datagram) {
        ctx.advanceClock(nowNanos);
        Dispatcher.handleInput(ctx, datagram, false);
    }

    /**
     * A packet whose buffer the caller hands over: the association may keep views of it (the fragments of a large
     * message wait for reassembly without a copy of their own, and are copied once, into the message), so the caller
     * must never write to it again. The DTLS layer's decrypted records qualify (a fresh array per record). What
     * reaches the application is unchanged: each {@link SctpEvent.MessageReceived} carries an array of its own.
     */
    public void handleOwnedInput(long nowNanos, ByteBuffer datagram) {
        ctx.advanceClock(nowNanos);
        Dispatcher.handleInput(ctx, datagram, true);
    }

    /**
     * The lower layer moved the association onto a new network path (e.g. ICE selected a new candidate pair after a
     * restart, because the old path died). RFC 9260 knows one path per address; here the address stays and the path
     * under it changes, so what was measured on the old one no longer holds: the RTO goes back to RTO.Initial (no
     * SRTT), and outstanding data is retransmitted at once instead of when the T3-rtx timer, backed off while the old
     * path was dead (up to 6.4 s after four expiries from 400 ms), fires. Counts like a T3 expiry.
     */
    public void pathChanged(long nowNanos) {
        ctx.advanceClock(nowNanos);
        DataPath.pathChanged(ctx);
    }

    @Override
    public void handleTimeout(long nowNanos) {
        ctx.advanceClock(nowNanos);
        Dispatcher.handleTimeout(ctx);
    }

    @Override
    public long pollTimeout() {
        return Dispatcher.pollTimeout(ctx);
    }

    /** {@inheritDoc} One contiguous buffer the caller owns: {@link #pollTransmitGather()} flattened. */
    @Override
    public Optional<ByteBuffer> pollTransmit() {
        Gather g = Dispatcher.pollTransmit(ctx);
        return g == null ? Optional.empty() : Optional.of(g.flatten());
    }

    /**
     * The next packet to send as a {@link Gather}, or null when nothing is queued: the packet {@link #pollTransmit()}
     * would return, not joined into one buffer. The common header, control chunks, and each DATA chunk's header and
     * padding are ranges of one small array made for this packet; each DATA chunk's user data is a range of the array
     * the association stored the message in at {@code send} (or was handed at {@code sendOwned}), not a copy. Those
     * stored bytes are never written after {@code send}, so a retransmission reads the same bytes again.
     *
     * <p>The ranges are the association's arrays, lent: the consumer only reads them (to encrypt, checksum or copy),
     * never writes them, and is done with the gather before it calls into this association again. Counted in
     * {@link #stats()} once, as a {@code pollTransmit()} is. Called on the owner's thread, like every other method.
     */
    public Gather pollTransmitGather() {
        return Dispatcher.pollTransmit(ctx);
    }
}
