package io.jrtc.sctp.internal.socket;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Timer;
import io.jrtc.sctp.SctpState;
import io.jrtc.sctp.packet.ErrorChunk;
import io.jrtc.sctp.packet.InitChunk;

/**
 * The association's state (RFC 9260 §4), each record holding only the data that state has: the handshake states
 * their T1 timer and what they retransmit, the data-carrying states the {@link Tcb}, the shutdown states that wait
 * for an answer their T2 timer. {@link #publicState()} is the RFC's name, as {@code SctpAssociation.state()} reports
 * it. Records are replaced on every transition; the timers and the TCB inside them are mutable and move along.
 */
public sealed interface State {

    /** The RFC 9260 state this record stands for. */
    SctpState publicState();

    /** The TCB of an association that got past the handshake, or null. */
    default Tcb tcb() {
        return null;
    }

    /** The earliest deadline of this state's own timers (the TCB's are folded in by the owner). */
    default long deadline() {
        return DatagramCore.NO_TIMEOUT;
    }

    /** Not yet opened, or terminated (see {@code SocketContext.terminated}). */
    record Closed() implements State {
        public static final Closed INSTANCE = new Closed();

        @Override
        public SctpState publicState() {
            return SctpState.CLOSED;
        }
    }

    /**
     * INIT sent (RFC 9260 §5.1 A). {@code t1} is T1-init; {@code fallback} sends {@code init} again without Zero
     * Checksum Acceptable (see {@code Connect.fallBackInit}).
     */
    record CookieWait(Timer t1, Timer fallback, InitChunk init) implements State {
        @Override
        public SctpState publicState() {
            return SctpState.COOKIE_WAIT;
        }

        @Override
        public long deadline() {
            return Math.min(t1.deadline(), fallback.deadline());
        }
    }

    /**
     * COOKIE ECHO sent (RFC 9260 §5.1 C). {@code t1} is T1-cookie (the same timer as in COOKIE-WAIT, so the backoff
     * carries on); {@code cookie} is echoed on every expiry, followed by {@code errorWithEcho} (unrecognized INIT ACK
     * parameters) when not null.
     */
    record CookieEchoed(Timer t1, byte[] cookie, ErrorChunk errorWithEcho) implements State {
        @Override
        public SctpState publicState() {
            return SctpState.COOKIE_ECHOED;
        }

        @Override
        public long deadline() {
            return t1.deadline();
        }
    }

    /** Data flows both ways. */
    record Established(Tcb tcb) implements State {
        @Override
        public SctpState publicState() {
            return SctpState.ESTABLISHED;
        }
    }

    /** The application asked to shut down; queued data is still being sent and acknowledged (RFC 9260 §9.2). */
    record ShutdownPending(Tcb tcb) implements State {
        @Override
        public SctpState publicState() {
            return SctpState.SHUTDOWN_PENDING;
        }
    }

    /** SHUTDOWN sent, waiting for SHUTDOWN ACK under T2-shutdown. */
    record ShutdownSent(Tcb tcb, Timer t2) implements State {
        @Override
        public SctpState publicState() {
            return SctpState.SHUTDOWN_SENT;
        }

        @Override
        public long deadline() {
            return t2.deadline();
        }
    }

    /** The peer sent SHUTDOWN; our queued data is still being sent and acknowledged. */
    record ShutdownReceived(Tcb tcb) implements State {
        @Override
        public SctpState publicState() {
            return SctpState.SHUTDOWN_RECEIVED;
        }
    }

    /** SHUTDOWN ACK sent, waiting for SHUTDOWN COMPLETE under T2-shutdown. */
    record ShutdownAckSent(Tcb tcb, Timer t2) implements State {
        @Override
        public SctpState publicState() {
            return SctpState.SHUTDOWN_ACK_SENT;
        }

        @Override
        public long deadline() {
            return t2.deadline();
        }
    }
}
