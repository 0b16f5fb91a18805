package io.jrtc.sctp.internal.socket;

import static io.jrtc.sctp.internal.socket.SocketContext.LOG;

import io.jrtc.common.ErrorKind;
import io.jrtc.common.Gather;
import io.jrtc.sctp.SctpEvent;
import io.jrtc.sctp.SendOptions;
import io.jrtc.sctp.internal.OutMessage;
import io.jrtc.sctp.internal.RetransmissionQueue;
import io.jrtc.sctp.internal.Seq;
import io.jrtc.sctp.internal.TxChunk;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.CookieEchoChunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ErrorChunk;
import io.jrtc.sctp.packet.ForwardTsnChunk;
import io.jrtc.sctp.packet.InvalidStreamIdentifierCause;
import io.jrtc.sctp.packet.NoUserDataCause;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.ShutdownChunk;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The data path of an established association (RFC 9260 §6, RFC 3758): queueing a message, receiving DATA into the
 * TSN tracker and reassembly, SACK timing (delayed SACK, window updates), SACK and FORWARD TSN processing, T3-rtx,
 * and building outgoing packets (control chunks, SACK, FORWARD TSN, retransmissions, new DATA).
 *
 * <p>TSNs and SSNs stay primitive here (unwrapped {@code long}s, wire {@code int}s): this is the per-chunk hot path
 * (see the module README, "Value types and the hot path").
 */
public final class DataPath {

    /** Bytes of a DATA chunk before its user data. */
    private static final int DATA_HEADER = DataChunk.HEADER_LENGTH;

    private DataPath() {
    }

    /** Queues {@code data} (already copied and validated by the façade). */
    public static void enqueue(SocketContext ctx, int streamId, int ppid, byte[] data, SendOptions options) {
        long expiresAt = Long.MAX_VALUE;
        int maxRtx = options.maxRetransmits();
        if (ctx.peerForwardTsn) {
            if (options.lifetimeNanos() != SendOptions.UNLIMITED) {
                expiresAt = ctx.now + options.lifetimeNanos();
            }
        } else {
            maxRtx = SendOptions.UNLIMITED;
        }
        ctx.sendQueue.enqueue(new OutMessage(streamId, ppid, data, options.unordered(), expiresAt, maxRtx));
        ctx.counters.messagesSent++;
        ctx.counters.userBytesSent += data.length;
    }

    // ---------------------------------------------------------------------------------------------- receiving

    /** Returns true if the chunk counted as DATA received (new or duplicate). */
    static boolean handleData(SocketContext ctx, DataChunk d) {
        Tcb tcb = ctx.tcb();
        State state = ctx.state();
        if (tcb == null || !(state instanceof State.Established || state instanceof State.ShutdownPending
                || state instanceof State.ShutdownSent)) {
            ctx.counters.dropsState++;
            return false;
        }
        if (d.payloadLength() == 0) {
            // RFC 9260 §6.2: a DATA chunk without user data aborts the association.
            ctx.sendAbort(List.of(new NoUserDataCause(d.tsn())));
            ctx.terminate(new SctpEvent.Aborted(ErrorKind.PROTOCOL_VIOLATION, "DATA chunk without user data"), "no user data");
            return false;
        }
        long tsn = tcb.rx.unwrap(d.tsn());
        if (tcb.rx.isImplausible(tsn)) {
            ctx.counters.dropsOther++;
            return false;
        }
        ctx.counters.dataChunksReceived++;
        if (tcb.rx.isDuplicate(tsn)) {
            ctx.counters.duplicateTsnsReceived++;
            tcb.rx.addDuplicate(d.tsn());
            return true;
        }
        long held = tcb.reassembly.bufferedBytes() + ctx.eventBytes + ctx.heldBytes;
        if (held + d.payloadLength() > ctx.config.receiveWindow() && tsn > tcb.rx.highestReceived()) {
            // RFC 9260 §6.2: no room; drop new data beyond the highest TSN but keep filling holes.
            ctx.counters.dropsReceiveWindow++;
            tcb.rx.requestImmediateSack();
            return false;
        }
        tcb.rx.add(tsn);
        if (d.streamId() >= ctx.inboundStreams) {
            ctx.controlQueue.add(new ErrorChunk(List.of(new InvalidStreamIdentifierCause(d.streamId()))));
            return true;
        }
        tcb.reassembly.add(tsn, d);
        return true;
    }

    /** After a packet's chunks: SACK timing (§6.2), a deferred stream reset, and §9.2's answer in SHUTDOWN-SENT. */
    static void afterData(SocketContext ctx, boolean hadData, boolean immediate, boolean hadGaps) {
        Tcb tcb = ctx.tcb();
        if (!hadData || tcb == null || ctx.terminated) {
            return;
        }
        long delay = Math.min(ctx.sackDelayNanos, ctx.rto.rto() / 2);
        boolean shutdownSent = ctx.state() instanceof State.ShutdownSent;
        tcb.rx.afterDataPacket(ctx.now, immediate || shutdownSent, hadGaps, delay, ctx.config.sackFrequency(),
                ctx.quickAckPackets, Math.max(ctx.rto.rto(), ctx.sackDelayNanos));
        StreamReset.completeDeferredReset(ctx);
        if (ctx.state() instanceof State.ShutdownSent s) {
            // RFC 9260 §9.2: answer DATA in SHUTDOWN-SENT with a SACK and a fresh SHUTDOWN, restarting T2.
            ctx.controlQueue.add(new ShutdownChunk(Seq.wire32(tcb.rx.cumulativeTsn())));
            s.t2().start(ctx.now, ctx.rto.rto());
        }
    }

    /** Reassembly's sink: a whole message becomes a {@link SctpEvent.MessageReceived}. */
    static void deliver(SocketContext ctx, int streamId, int ppid, List<ByteBuffer> fragments, boolean unordered) {
        SctpEvent.MessageReceived m = new SctpEvent.MessageReceived(streamId, ppid, fragments, unordered);
        int size = m.size();
        ctx.counters.messagesReceived++;
        ctx.counters.userBytesReceived += size;
        ctx.eventBytes += size;
        ctx.events.add(m);
    }

    /**
     * After the application drained or released messages, tell the peer if the window opened a lot (RFC 9260 §6.2:
     * from below one MTU to at least one, or by a quarter of the window), so a zero window cannot deadlock.
     */
    private static void maybeWindowUpdate(SocketContext ctx, Tcb tcb) {
        long rwnd = ctx.localRwnd();
        if ((tcb.lastAdvertisedRwnd < ctx.config.mtu() && rwnd >= ctx.config.mtu())
                || rwnd - tcb.lastAdvertisedRwnd >= ctx.config.receiveWindow() / 4) {
            tcb.rx.requestImmediateSack();
        }
    }

    static void handleSack(SocketContext ctx, SackChunk s) {
        Tcb tcb = ctx.tcb();
        if (tcb == null) {
            ctx.counters.dropsState++;
            return;
        }
        ctx.counters.sacksReceived++;
        RetransmissionQueue.SackResult r = tcb.rtx.onSack(ctx.now, s.cumulativeTsnAck(), s.advertisedReceiverWindowCredit(),
                s.gapAckBlocks());
        switch (r) {
            case NEW_DATA_ACKED -> tcb.errorCount = 0;
            case NO_NEW_DATA_ACKED -> {
                if (s.advertisedReceiverWindowCredit() < ctx.config.mtu()) {
                    // RFC 9260 §6.1 A: the peer's window is closed and it still answers; what we have outstanding are
                    // window probes, whose timeouts must not count towards the association's error threshold (a
                    // receiver may keep its window closed for as long as its application pauses).
                    tcb.errorCount = 0;
                }
            }
            case INVALID -> {
                ctx.counters.dropsOther++;
                LOG.debug("{}: SACK acknowledges TSN {} that was never sent", ctx.name, s.cumulativeTsnAck());
            }
            default -> {
            }
        }
        Shutdown.progress(ctx);
    }

    static void handleForwardTsn(SocketContext ctx, ForwardTsnChunk f) {
        Tcb tcb = ctx.tcb();
        if (tcb == null) {
            ctx.counters.dropsState++;
            return;
        }
        ctx.counters.forwardTsnsReceived++;
        long newCum = tcb.rx.unwrap(f.newCumulativeTsn());
        if (tcb.rx.isImplausible(newCum)) {
            ctx.counters.dropsOther++;
            return;
        }
        if (!tcb.rx.forwardTo(newCum)) {
            tcb.rx.requestImmediateSack();
        }
        // Stream skips apply even when every TSN up to newCum already arrived: the fragments of a message that was
        // abandoned before it was fully sent may all be here, and its SSN must still be skipped (RFC 3758 §3.6).
        tcb.reassembly.forwardTsn(newCum, f.skippedStreams());
        StreamReset.completeDeferredReset(ctx);
    }

    // ---------------------------------------------------------------------------------------------- timers

    /** The delayed-SACK and T3-rtx timers. */
    static void onTimeout(SocketContext ctx, Tcb tcb) {
        if (tcb.rx.delayedAckDeadline() <= ctx.now) {
            tcb.rx.onDelayedAckTimeout(ctx.now);
        }
        if (tcb.rtx.t3Expired(ctx.now)) {
            tcb.rtx.onT3Expiry(ctx.now);
            if (ctx.incrementErrors("T3-rtx expiry")) {
                return;
            }
            LOG.debug("{}: T3-rtx expired, rto now {} ms, errors {}", ctx.name, ctx.rto.rto() / 1_000_000, tcb.errorCount);
        }
    }

    /** When pacing lets the next DATA packet go, if pacing is what holds it back. */
    static long pacingDeadline(SocketContext ctx, Tcb tcb) {
        return ctx.dataAllowed() ? tcb.rtx.pacingDeadline(ctx.now, ctx.sendQueue.hasData()) : Long.MAX_VALUE;
    }

    /** See {@code SctpAssociation.pathChanged}. */
    public static void pathChanged(SocketContext ctx) {
        Tcb tcb = ctx.tcb();
        if (ctx.terminated || tcb == null) {
            return;
        }
        ctx.rto.reset(ctx.rtoInitialNanos);
        if (tcb.rtx.hasOutstanding()) {
            tcb.rtx.expireT3At(ctx.now);
        }
        LOG.debug("{}: path changed; RTO reset to {} ms, outstanding data retransmitted now: {}", ctx.name,
                ctx.rto.rto() / 1_000_000, tcb.rtx.hasOutstanding());
    }

    // ---------------------------------------------------------------------------------------------- sending

    /**
     * Builds the next packet: control chunks, SACK, FORWARD TSN, then retransmissions and new DATA; or null. The
     * packet is a {@link Gather}: the headers (common header, control chunks, each DATA chunk's header and padding) in
     * one array of their own, each DATA chunk's user data a range of its message's stored array (not copied; see
     * {@link PacketWriter}).
     */
    static Gather buildPacket(SocketContext ctx) {
        if (ctx.peerTag == 0) {
            return null;
        }
        Tcb tcb = ctx.tcb();
        if (tcb != null) {
            maybeWindowUpdate(ctx, tcb);
        }
        StreamReset.tryStartReset(ctx);
        tcb = ctx.tcb();
        if (tcb != null) {
            tcb.rtx.startPacket();
        }
        long now = ctx.now;
        int mtu = ctx.config.mtu();
        boolean wantSack = tcb != null && tcb.rx.sackDue(now);
        boolean wantForward = tcb != null && tcb.rtx.forwardTsnDue();
        boolean mayData = ctx.dataAllowed() && (tcb.rtx.hasRetransmissionsPending()
                || (ctx.sendQueue.hasData() && tcb.rtx.newDataAllowance(now, mtu) > 0));
        if (!wantSack && !wantForward && !mayData && ctx.controlQueue.isEmpty()) {
            return null;
        }
        PacketWriter w = PacketWriter.start(mtu);
        ByteBuffer b = w.headers();
        boolean hasCookieEcho = false;
        Chunk c;
        while ((c = ctx.controlQueue.peek()) != null && c.encodedLength() <= b.remaining()) {
            ctx.controlQueue.poll();
            c.writeTo(b);
            ctx.counters.controlChunksSent++;
            hasCookieEcho |= c instanceof CookieEchoChunk;
        }
        if (wantSack && b.remaining() >= SackChunk.FIXED_LENGTH) {
            long rwnd = ctx.localRwnd();
            tcb.rx.buildSack(rwnd, b.remaining()).writeTo(b);
            tcb.lastAdvertisedRwnd = rwnd;
            ctx.counters.sacksSent++;
            ctx.counters.controlChunksSent++;
        }
        if (wantForward) {
            ForwardTsnChunk f = tcb.rtx.makeForwardTsn(now);
            if (f.encodedLength() <= b.remaining()) {
                f.writeTo(b);
                ctx.counters.forwardTsnsSent++;
                ctx.counters.controlChunksSent++;
            } else {
                ctx.controlQueue.add(f);
            }
        }
        if (ctx.dataAllowed()) {
            writeData(ctx, tcb.rtx, w);
        }
        if (w.headerLength() == SctpPacket.HEADER_LENGTH) {
            w.discard();
            return null;
        }
        return w.finish(ctx.config.localPort(), ctx.config.remotePort(), ctx.peerTag,
                !ctx.zeroChecksumTx || hasCookieEcho ? ctx.crc : null);
    }

    private static void writeData(SocketContext ctx, RetransmissionQueue rtx, PacketWriter w) {
        ByteBuffer b = w.headers(); // remaining(): the room left in the packet, user data included
        long now = ctx.now;
        rtx.beforeSending(now);
        while (b.remaining() > DATA_HEADER) {
            TxChunk c = rtx.nextRetransmission(now, b.remaining());
            if (c != null) {
                putData(ctx, w, c);
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
            c = ctx.sendQueue.produce(now, rtx.nextTsn(), allowance);
            if (c == null) {
                return;
            }
            rtx.sentNew(c, now);
            putData(ctx, w, c);
        }
    }

    private static void putData(SocketContext ctx, PacketWriter w, TxChunk c) {
        OutMessage m = c.msg;
        w.data(c.flags, Seq.wire32(c.tsn), m.streamId, c.ssn, m.ppid, m.data, c.offset, c.length);
        ctx.counters.dataChunksSent++;
    }
}
