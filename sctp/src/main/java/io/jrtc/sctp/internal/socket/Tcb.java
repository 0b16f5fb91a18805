package io.jrtc.sctp.internal.socket;

import io.jrtc.common.Timer;
import io.jrtc.sctp.internal.DataTracker;
import io.jrtc.sctp.internal.Reassembly;
import io.jrtc.sctp.internal.RetransmissionQueue;
import java.util.List;

/**
 * The Transmission Control Block of an association past its handshake (RFC 9260 §14): the data path both ways, the
 * error count, the heartbeat and the RE-CONFIG state, with their timers. It lives in the {@link State} records from
 * ESTABLISHED to SHUTDOWN-ACK-SENT and is replaced when the peer restarts the association (§5.2.4 case A).
 */
public final class Tcb {

    // Shared timer specs: each timer holds only its own state (idle heap).
    private static final Timer.Spec HEARTBEAT_INTERVAL = Timer.Spec.fixed("HEARTBEAT-interval");
    private static final Timer.Spec HEARTBEAT_TIMEOUT = Timer.Spec.fixed("HEARTBEAT-timeout");
    private static final Timer.Spec RE_CONFIG = Timer.Spec.fixed("RE-CONFIG");

    final RetransmissionQueue rtx;
    final DataTracker rx;
    final Reassembly reassembly;

    /** RFC 9260 §8.1: consecutive timeouts; past Association.Max.Retrans the association aborts. */
    int errorCount;
    /** The a_rwnd of our last SACK, to tell when a window update is due (§6.2). */
    long lastAdvertisedRwnd;

    // heartbeat (RFC 9260 §8.3): kept across a peer restart
    /** When the next HEARTBEAT goes out on an idle path. */
    final Timer heartbeat;
    /** How long the last HEARTBEAT may go unanswered. */
    final Timer heartbeatTimeout;
    long heartbeatNonce;

    // RE-CONFIG (RFC 6525)
    private static final int[] NO_STREAMS = new int[0];
    int[] pendingResets = NO_STREAMS;
    int pendingResetCount;
    ResetRequest currentReset;
    long nextRequestSeq;
    long lastPeerRequestSeq;
    long lastPeerRequestResult;
    /**
     * Retransmits our Outgoing SSN Reset Request, or retries it after "In progress"; created with the first request
     * ({@link #reconfigTimer()}), as most associations never reset a stream and an idle one should stay small.
     */
    private Timer reconfig;
    /** The last incoming reset that completed after being deferred, to recognise the peer's retry of it. */
    List<Integer> deferredDoneStreams;
    long deferredDoneLastTsn;

    /** Our outstanding Outgoing SSN Reset Request (RFC 6525 §5.1.2); {@code seq < 0} until (re)sent. */
    static final class ResetRequest {
        final int[] streams;
        long seq = -1;
        long lastTsn;

        ResetRequest(int[] streams) {
            this.streams = streams;
        }
    }

    /** A fresh TCB; {@code previous} (the TCB a peer restart replaces, or null) hands over the heartbeat. */
    Tcb(RetransmissionQueue rtx, DataTracker rx, Reassembly reassembly, Tcb previous) {
        this.rtx = rtx;
        this.rx = rx;
        this.reassembly = reassembly;
        if (previous != null) {
            heartbeat = previous.heartbeat;
            heartbeatTimeout = previous.heartbeatTimeout;
            heartbeatNonce = previous.heartbeatNonce;
            deferredDoneStreams = previous.deferredDoneStreams;
            deferredDoneLastTsn = previous.deferredDoneLastTsn;
        } else {
            heartbeat = new Timer(HEARTBEAT_INTERVAL);
            heartbeatTimeout = new Timer(HEARTBEAT_TIMEOUT);
        }
    }

    /** The RE-CONFIG timer, created on first use. */
    Timer reconfigTimer() {
        if (reconfig == null) {
            reconfig = new Timer(RE_CONFIG);
        }
        return reconfig;
    }

    /** Whether the RE-CONFIG timer runs and is due at {@code now}. */
    boolean reconfigExpired(long now) {
        return reconfig != null && reconfig.expired(now);
    }

    /** The earliest deadline of the TCB's timers (pacing is folded in by the owner, which knows the send queue). */
    long deadline() {
        long t = Math.min(rtx.t3Deadline(), rx.delayedAckDeadline());
        t = Math.min(t, Math.min(heartbeat.deadline(), heartbeatTimeout.deadline()));
        return reconfig == null ? t : Math.min(t, reconfig.deadline());
    }

    // views for SctpAssociation.stats() and allDataAcknowledged()

    public boolean allAcked() {
        return rtx.allAcked();
    }

    public long cwnd() {
        return rtx.cwnd();
    }

    public long ssthresh() {
        return rtx.ssthresh();
    }

    public long flightSize() {
        return rtx.flightSize();
    }

    public long peerRwnd() {
        return rtx.peerRwnd();
    }

    public long jumpStartRate() {
        return rtx.jumpStartRate();
    }

    public long jumpStartCwnd() {
        return rtx.jumpStartCwnd();
    }
}
