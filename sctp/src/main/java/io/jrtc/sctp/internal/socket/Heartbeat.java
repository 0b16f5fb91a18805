package io.jrtc.sctp.internal.socket;

import io.jrtc.sctp.packet.HeartbeatAckChunk;
import io.jrtc.sctp.packet.HeartbeatInfoParameter;
import io.jrtc.sctp.packet.HeartbeatRequestChunk;
import java.nio.ByteBuffer;

/**
 * Path heartbeats (RFC 9260 §8.3): a HEARTBEAT on an idle path every {@code heartbeatInterval} plus RTO with jitter,
 * the RTT it measures, its timeout counted against Association.Max.Retrans, and answers to the peer's HEARTBEATs.
 * Its two timers live in the {@link Tcb}.
 */
public final class Heartbeat {

    /** Heartbeat Information: sent-at time (8) and a nonce (8). */
    private static final int HB_INFO_LENGTH = 16;

    private Heartbeat() {
    }

    /** Starts the interval timer (on establishment and after each HEARTBEAT). */
    static void arm(SocketContext ctx, Tcb tcb) {
        if (ctx.heartbeatIntervalNanos <= 0) {
            tcb.heartbeat.stop();
            return;
        }
        long r = ctx.rto.rto();
        long jitter = (long) ((ctx.config.random().nextDouble() - 0.5) * r);
        tcb.heartbeat.start(ctx.now, ctx.heartbeatIntervalNanos + r + jitter);
    }

    /** The HEARTBEAT timeout; returns true if it ended the association. */
    static boolean onTimeout(SocketContext ctx, Tcb tcb) {
        if (tcb.heartbeatTimeout.expired(ctx.now)) {
            tcb.heartbeatTimeout.stop();
            ctx.rto.backoff();
            if (ctx.incrementErrors("HEARTBEAT unanswered")) {
                return true;
            }
        }
        if (tcb.heartbeat.expired(ctx.now)) {
            onInterval(ctx, tcb);
        }
        return false;
    }

    private static void onInterval(SocketContext ctx, Tcb tcb) {
        if (!(ctx.state() instanceof State.Established)) {
            tcb.heartbeat.stop();
            return;
        }
        if (tcb.rtx.hasOutstanding()) {
            // Data in flight already probes the path (RFC 9260 §8.3 heartbeats idle paths).
            arm(ctx, tcb);
            return;
        }
        tcb.heartbeatNonce++;
        ByteBuffer info = ByteBuffer.allocate(HB_INFO_LENGTH);
        info.putLong(ctx.now).putLong(tcb.heartbeatNonce);
        ctx.controlQueue.add(new HeartbeatRequestChunk(new HeartbeatInfoParameter(info.array())));
        ctx.counters.heartbeatsSent++;
        tcb.heartbeatTimeout.start(ctx.now, ctx.rto.rto());
        arm(ctx, tcb);
    }

    static void handleHeartbeat(SocketContext ctx, HeartbeatRequestChunk h) {
        if (ctx.peerTag == 0) {
            ctx.counters.dropsState++;
            return;
        }
        ctx.controlQueue.add(new HeartbeatAckChunk(h.info()));
    }

    static void handleHeartbeatAck(SocketContext ctx, HeartbeatAckChunk a) {
        Tcb tcb = ctx.tcb();
        byte[] info = a.info().info();
        if (info.length != HB_INFO_LENGTH || tcb == null) {
            ctx.counters.dropsOther++;
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(info);
        long sentAt = b.getLong();
        long nonce = b.getLong();
        if (nonce != tcb.heartbeatNonce || !tcb.heartbeatTimeout.isRunning() || sentAt > ctx.now) {
            ctx.counters.dropsOther++;
            return;
        }
        ctx.counters.heartbeatAcksReceived++;
        tcb.heartbeatTimeout.stop();
        ctx.lastHeartbeatRtt = ctx.now - sentAt;
        ctx.rto.measure(ctx.lastHeartbeatRtt);
        tcb.errorCount = 0;
    }
}
