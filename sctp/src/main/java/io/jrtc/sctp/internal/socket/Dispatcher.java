package io.jrtc.sctp.internal.socket;

import static io.jrtc.sctp.internal.socket.SocketContext.LOG;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Gather;
import io.jrtc.common.ParseException;
import io.jrtc.sctp.packet.AbortChunk;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.CookieAckChunk;
import io.jrtc.sctp.packet.CookieEchoChunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ErrorChunk;
import io.jrtc.sctp.packet.ForwardTsnChunk;
import io.jrtc.sctp.packet.HeartbeatAckChunk;
import io.jrtc.sctp.packet.HeartbeatRequestChunk;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.ReConfigChunk;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.ShutdownAckChunk;
import io.jrtc.sctp.packet.ShutdownChunk;
import io.jrtc.sctp.packet.ShutdownCompleteChunk;
import io.jrtc.sctp.packet.UnknownChunk;
import io.jrtc.sctp.packet.UnrecognizedChunkTypeCause;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The one entry for input and time: checks a packet (checksum, ports, verification tag, RFC 9260 §8.5), hands each
 * chunk to its concern, and runs the timers of the current state. Like the concerns, it is a set of functions over the
 * {@link SocketContext}: one association allocates no object per concern.
 */
public final class Dispatcher {

    private Dispatcher() {
    }

    /**
     * A datagram from the lower layer (the clock already advanced). Never throws. With {@code owned} the caller hands
     * the buffer over and fragments may keep views of it (see {@link SctpPacket#parse(ByteBuffer, boolean)}).
     */
    public static void handleInput(SocketContext ctx, ByteBuffer datagram, boolean owned) {
        ctx.counters.packetsReceived++;
        ctx.counters.bytesReceived += datagram.remaining();
        ByteBuffer buf = datagram.duplicate();
        if (buf.remaining() < SctpPacket.HEADER_LENGTH + 4) {
            ctx.counters.dropsMalformed++;
            LOG.debug("{}: dropped {}-byte packet: too short", ctx.name, buf.remaining());
            return;
        }
        boolean hasInit = (buf.get(buf.position() + SctpPacket.HEADER_LENGTH) & 0xFF) == ChunkTypes.INIT;
        long field = SctpPacket.checksumField(buf);
        boolean zeroOk = field == 0 && ctx.config.zeroChecksum() && !hasInit;
        if (!zeroOk && !SctpPacket.checksumMatches(buf, ctx.crc)) {
            ctx.counters.dropsChecksum++;
            LOG.debug("{}: dropped packet with a bad checksum", ctx.name);
            return;
        }
        SctpPacket packet;
        try {
            packet = SctpPacket.parse(buf, owned);
        } catch (ParseException e) {
            ctx.counters.dropsMalformed++;
            LOG.debug("{}: dropped malformed packet: {}", ctx.name, e.getMessage());
            return;
        }
        if (packet.destinationPort() != ctx.config.localPort() || packet.sourcePort() != ctx.config.remotePort()) {
            ctx.counters.dropsOther++;
            LOG.debug("{}: dropped packet for ports {}->{}", ctx.name, packet.sourcePort(), packet.destinationPort());
            return;
        }
        ctx.portsInUse = true;
        try {
            process(ctx, packet);
        } catch (RuntimeException e) {
            // A bug or an input combination we did not foresee: never let it escape the core.
            ctx.counters.dropsOther++;
            LOG.warn("{}: failed to process a packet in state {}; dropped", ctx.name, ctx.publicState(), e);
        }
    }

    private static void process(SocketContext ctx, SctpPacket p) {
        List<Chunk> chunks = p.chunks();
        Chunk first = chunks.get(0);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if ((c instanceof InitChunk || c instanceof InitAckChunk || c instanceof ShutdownCompleteChunk) && chunks.size() > 1) {
                ctx.counters.dropsMalformed++;
                LOG.debug("{}: dropped packet bundling {} with other chunks", ctx.name, ChunkTypes.name(c.type()));
                return;
            }
        }
        if (first instanceof InitChunk init) {
            if (p.verificationTag() != 0) {
                ctx.counters.dropsVerificationTag++;
                return;
            }
            ctx.counters.controlChunksReceived++;
            Connect.handleInit(ctx, init);
            return;
        }
        if (ctx.terminated) {
            Shutdown.handleOutOfTheBlue(ctx, p);
            return;
        }
        if (!verificationTagOk(ctx, p, first)) {
            ctx.counters.dropsVerificationTag++;
            LOG.debug("{}: dropped packet with verification tag {} in state {}", ctx.name, p.verificationTag(),
                    ctx.publicState());
            return;
        }
        boolean hadData = false;
        boolean immediate = false;
        Tcb tcb = ctx.tcb();
        boolean hadGaps = tcb != null && tcb.rx.hasGaps();
        for (Chunk c : chunks) {
            if (ctx.terminated) {
                return;
            }
            if (c instanceof DataChunk d) {
                if (DataPath.handleData(ctx, d)) {
                    hadData = true;
                    immediate |= d.immediate();
                }
                continue;
            }
            ctx.counters.controlChunksReceived++;
            switch (c) {
                case SackChunk s -> DataPath.handleSack(ctx, s);
                case HeartbeatRequestChunk h -> Heartbeat.handleHeartbeat(ctx, h);
                case HeartbeatAckChunk h -> Heartbeat.handleHeartbeatAck(ctx, h);
                case AbortChunk a -> Shutdown.handleAbort(ctx, a);
                case ShutdownChunk s -> Shutdown.handleShutdown(ctx, s);
                case ShutdownAckChunk s -> Shutdown.handleShutdownAck(ctx);
                case ShutdownCompleteChunk s -> Shutdown.handleShutdownComplete(ctx);
                case ErrorChunk e -> Connect.handleError(ctx, e);
                case CookieEchoChunk e -> Connect.handleCookieEcho(ctx, e, p.verificationTag());
                case CookieAckChunk a -> Connect.handleCookieAck(ctx);
                case ForwardTsnChunk f -> DataPath.handleForwardTsn(ctx, f);
                case ReConfigChunk r -> StreamReset.handleReconfig(ctx, r);
                case InitAckChunk a -> Connect.handleInitAck(ctx, a);
                case UnknownChunk u -> {
                    Chunk.UnrecognizedAction action = u.action();
                    if (action == Chunk.UnrecognizedAction.STOP_AND_REPORT || action == Chunk.UnrecognizedAction.SKIP_AND_REPORT) {
                        if (ctx.peerTag != 0) {
                            ctx.controlQueue.add(new ErrorChunk(List.of(new UnrecognizedChunkTypeCause(u.rawBytes()))));
                        }
                    }
                    if (action == Chunk.UnrecognizedAction.STOP || action == Chunk.UnrecognizedAction.STOP_AND_REPORT) {
                        ctx.counters.dropsOther++;
                        DataPath.afterData(ctx, hadData, immediate, hadGaps);
                        return;
                    }
                }
                case InitChunk i -> ctx.counters.dropsMalformed++;
                case DataChunk d -> throw new AssertionError("handled above");
            }
        }
        DataPath.afterData(ctx, hadData, immediate, hadGaps);
    }

    /** RFC 9260 §8.5 and §8.5.1. */
    private static boolean verificationTagOk(SocketContext ctx, SctpPacket p, Chunk first) {
        long vtag = p.verificationTag();
        if (first instanceof AbortChunk a) {
            return a.tagReflected() ? (ctx.peerTag != 0 && vtag == ctx.peerTag) : vtag == ctx.localTag;
        }
        if (first instanceof ShutdownCompleteChunk s) {
            return s.tagReflected() ? (ctx.peerTag != 0 && vtag == ctx.peerTag) : vtag == ctx.localTag;
        }
        if (first instanceof CookieEchoChunk) {
            return true; // checked against the cookie's own tag once the cookie is authenticated
        }
        return vtag == ctx.localTag && (!(ctx.state() instanceof State.Closed) || first instanceof InitAckChunk);
    }

    /** Runs every expired timer of the current state (the clock already advanced). */
    public static void handleTimeout(SocketContext ctx) {
        if (ctx.terminated) {
            return;
        }
        Connect.onTimeout(ctx);
        if (ctx.terminated) {
            return;
        }
        Tcb tcb = ctx.tcb();
        if (tcb != null) {
            DataPath.onTimeout(ctx, tcb);
            if (ctx.terminated) {
                return;
            }
        }
        Shutdown.onTimeout(ctx);
        if (ctx.terminated) {
            return;
        }
        tcb = ctx.tcb();
        if (tcb != null) {
            if (Heartbeat.onTimeout(ctx, tcb) || ctx.terminated) {
                return;
            }
            StreamReset.onTimeout(ctx, tcb);
        }
    }

    /** The earliest deadline of every running timer, pacing included. */
    public static long pollTimeout(SocketContext ctx) {
        if (ctx.terminated) {
            return DatagramCore.NO_TIMEOUT;
        }
        long t = ctx.state().deadline();
        Tcb tcb = ctx.tcb();
        if (tcb != null) {
            t = Math.min(t, Math.min(tcb.deadline(), DataPath.pacingDeadline(ctx, tcb)));
        }
        return t;
    }

    /**
     * The next packet to send, or null: a pre-built one (handshake, ABORT, SHUTDOWN COMPLETE: one range of its own
     * buffer) or one {@link DataPath#buildPacket} lays out now. Counted as sent here, once.
     */
    public static Gather pollTransmit(SocketContext ctx) {
        ByteBuffer ready = ctx.readyPackets.poll();
        Gather g = ready != null ? Gather.of(ready) : ctx.terminated ? null : DataPath.buildPacket(ctx);
        if (g != null) {
            ctx.counters.packetsSent++;
            ctx.counters.bytesSent += g.length();
        }
        return g;
    }
}
