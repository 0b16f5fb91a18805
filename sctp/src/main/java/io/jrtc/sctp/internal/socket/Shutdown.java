package io.jrtc.sctp.internal.socket;

import static io.jrtc.sctp.internal.socket.SocketContext.LOG;

import io.jrtc.common.ErrorKind;
import io.jrtc.common.Timer;
import io.jrtc.sctp.SctpEvent;
import io.jrtc.sctp.internal.Seq;
import io.jrtc.sctp.packet.AbortChunk;
import io.jrtc.sctp.packet.ErrorCause;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.ShutdownAckChunk;
import io.jrtc.sctp.packet.ShutdownChunk;
import io.jrtc.sctp.packet.ShutdownCompleteChunk;
import io.jrtc.sctp.packet.UserInitiatedAbortCause;
import java.util.List;

/**
 * Ending an association (RFC 9260 §9): the graceful shutdown with its four states and T2-shutdown (all data
 * acknowledged first, both sides at once), ABORT both ways, and the out-of-the-blue SHUTDOWN ACK after termination
 * (§8.4).
 */
public final class Shutdown {

    // Shared timer specs: each timer holds only its own state (idle heap).
    private static final Timer.Spec T2_SHUTDOWN = new Timer.Spec("T2-shutdown", Timer.Backoff.EXPONENTIAL, Long.MAX_VALUE, Timer.UNLIMITED);

    private Shutdown() {
    }

    /** The application's graceful close (§9.2); before establishment it just closes. */
    public static void shutdown(SocketContext ctx) {
        switch (ctx.state()) {
            case State.Established e -> {
                ctx.setState(new State.ShutdownPending(e.tcb()));
                progress(ctx);
            }
            case State.CookieWait w -> ctx.terminate(new SctpEvent.Closed(), "shutdown before establishment");
            case State.CookieEchoed e -> ctx.terminate(new SctpEvent.Closed(), "shutdown before establishment");
            case State.Closed c -> {
                if (!ctx.terminated) {
                    ctx.terminate(new SctpEvent.Closed(), "shutdown before connect");
                }
            }
            default -> {
            }
        }
    }

    /** Ends the association at once with an ABORT carrying a User-Initiated Abort cause (§9.1). */
    public static void abort(SocketContext ctx, String reason) {
        if (ctx.terminated) {
            return;
        }
        if (ctx.peerTag != 0) {
            ctx.sendAbort(List.of(UserInitiatedAbortCause.of(reason == null ? "" : reason)));
        }
        ctx.terminate(new SctpEvent.Aborted(ErrorKind.LOCAL_CLOSE, reason == null ? "aborted" : reason),
                "local abort: " + reason);
    }

    private static Timer newT2() {
        return new Timer(T2_SHUTDOWN);
    }

    /** Moves SHUTDOWN-PENDING or SHUTDOWN-RECEIVED on once everything we sent is acknowledged. */
    static void progress(SocketContext ctx) {
        Tcb tcb = ctx.tcb();
        if (tcb == null) {
            return;
        }
        boolean drained = !ctx.sendQueue.hasData() && tcb.rtx.allAcked();
        if (!drained) {
            return;
        }
        if (ctx.state() instanceof State.ShutdownPending) {
            ctx.controlQueue.add(new ShutdownChunk(Seq.wire32(tcb.rx.cumulativeTsn())));
            Timer t2 = newT2();
            ctx.setState(new State.ShutdownSent(tcb, t2));
            t2.start(ctx.now, ctx.rto.rto());
            tcb.heartbeat.stop();
        } else if (ctx.state() instanceof State.ShutdownReceived) {
            ctx.controlQueue.add(new ShutdownAckChunk());
            Timer t2 = newT2();
            ctx.setState(new State.ShutdownAckSent(tcb, t2));
            t2.start(ctx.now, ctx.rto.rto());
            tcb.heartbeat.stop();
        }
    }

    static void handleShutdown(SocketContext ctx, ShutdownChunk s) {
        switch (ctx.state()) {
            case State.Established e -> shutdownReceived(ctx, e.tcb(), s);
            case State.ShutdownPending p -> shutdownReceived(ctx, p.tcb(), s);
            case State.ShutdownReceived r -> shutdownReceived(ctx, r.tcb(), s);
            case State.ShutdownSent sent -> {
                // §9.2: both sides sent SHUTDOWN.
                ctx.controlQueue.add(new ShutdownAckChunk());
                ctx.setState(new State.ShutdownAckSent(sent.tcb(), sent.t2()));
                sent.t2().start(ctx.now, ctx.rto.rto());
            }
            default -> ctx.counters.dropsState++;
        }
    }

    private static void shutdownReceived(SocketContext ctx, Tcb tcb, ShutdownChunk s) {
        tcb.rtx.onSack(ctx.now, s.cumulativeTsnAck(), tcb.rtx.peerRwnd() + tcb.rtx.flightSize(), List.of());
        if (!(ctx.state() instanceof State.ShutdownReceived)) {
            ctx.setState(new State.ShutdownReceived(tcb));
        }
        progress(ctx);
    }

    static void handleShutdownAck(SocketContext ctx) {
        State state = ctx.state();
        if (state instanceof State.ShutdownSent || state instanceof State.ShutdownAckSent) {
            ctx.controlQueue.add(new ShutdownCompleteChunk(false));
            LOG.debug("{}: shutdown complete", ctx.name);
            ctx.terminate(new SctpEvent.Closed(), "shutdown");
        } else if (state instanceof State.CookieWait || state instanceof State.CookieEchoed) {
            // §9.2 / §8.4: a SHUTDOWN ACK for an association we do not have yet
            ctx.readyPackets.add(ctx.encode(new SctpPacket(ctx.config.localPort(), ctx.config.remotePort(), ctx.localTag,
                    List.of(new ShutdownCompleteChunk(true)))));
        } else {
            ctx.counters.dropsState++;
        }
    }

    static void handleShutdownComplete(SocketContext ctx) {
        if (ctx.state() instanceof State.ShutdownAckSent) {
            LOG.debug("{}: shutdown complete", ctx.name);
            ctx.terminate(new SctpEvent.Closed(), "shutdown");
        } else {
            ctx.counters.dropsState++;
        }
    }

    /** T2-shutdown: SHUTDOWN or SHUTDOWN ACK again, counted against Association.Max.Retrans. */
    static void onTimeout(SocketContext ctx) {
        Timer t2 = switch (ctx.state()) {
            case State.ShutdownSent s -> s.t2();
            case State.ShutdownAckSent s -> s.t2();
            default -> null;
        };
        if (t2 == null || !t2.expired(ctx.now)) {
            return;
        }
        if (ctx.incrementErrors("T2-shutdown expiry")) {
            return;
        }
        ctx.rto.backoff();
        t2.start(ctx.now, ctx.rto.rto());
        if (ctx.state() instanceof State.ShutdownSent) {
            ctx.controlQueue.add(new ShutdownChunk(Seq.wire32(ctx.tcb().rx.cumulativeTsn())));
        } else {
            ctx.controlQueue.add(new ShutdownAckChunk());
        }
    }

    static void handleAbort(SocketContext ctx, AbortChunk a) {
        String reason = ErrorCause.describe(a.causes());
        if (Connect.handleAbortDuringSetup(ctx, reason)) {
            return;
        }
        LOG.info("{}: peer aborted: {}", ctx.name, reason);
        ctx.terminate(new SctpEvent.Aborted(ErrorKind.PEER_ABORTED, reason), "peer abort");
    }

    /** Out-of-the-blue packets after termination (RFC 9260 §8.4). */
    static void handleOutOfTheBlue(SocketContext ctx, SctpPacket p) {
        ctx.counters.dropsState++;
        if (p.chunks().get(0) instanceof ShutdownAckChunk) {
            // §8.4 rule 5: our SHUTDOWN COMPLETE was lost; answer again, reflecting the tag.
            ctx.readyPackets.add(ctx.encode(new SctpPacket(ctx.config.localPort(), ctx.config.remotePort(),
                    p.verificationTag(), List.of(new ShutdownCompleteChunk(true)))));
        }
    }
}
