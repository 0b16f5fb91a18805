package io.jrtc.sctp.internal.socket;

import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SctpEvent;
import io.jrtc.sctp.SctpState;
import io.jrtc.sctp.internal.Counters;
import io.jrtc.sctp.internal.OutMessage;
import io.jrtc.sctp.internal.RtoEstimator;
import io.jrtc.sctp.internal.SendQueue;
import io.jrtc.sctp.packet.AbortChunk;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.ErrorCause;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.ShutdownCompleteChunk;
import io.jrtc.sctp.packet.UserInitiatedAbortCause;
import io.jrtc.common.ErrorKind;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every concern of one association shares (dcsctp's socket context): configuration, clock, counters, the
 * {@link State}, the verification tags and negotiated capabilities, the send queue, and the three output queues
 * (control chunks, ready packets, events). The concerns ({@link Connect}, {@link DataPath}, {@link Heartbeat},
 * {@link Shutdown}, {@link StreamReset}) and the {@link Dispatcher} are functions over it (static methods taking the
 * context), so an association holds no object per concern. Single-threaded.
 */
public final class SocketContext {

    static final Logger LOG = LoggerFactory.getLogger("io.jrtc.sctp.SctpAssociation");

    public SctpConfig config;
    /** Whether a packet was accepted (a stateless INIT ACK leaves the state CLOSED): from then on the ports are fixed. */
    public boolean portsInUse;
    public final String name;
    final long rtoInitialNanos;
    final long rtoMaxNanos;
    final long heartbeatIntervalNanos;
    final long sackDelayNanos;
    final long cookieLifetimeNanos;
    /** Packets acknowledged one by one after start or idle: half the receive window in full packets. */
    final long quickAckPackets;
    public final Counters counters = new Counters();
    public final RtoEstimator rto;
    final CRC32C crc = new CRC32C();
    final byte[] cookieSecret = new byte[32];

    private State state = State.Closed.INSTANCE;
    /** {@code state.tcb()}, kept in a field because the data path reads it on every chunk. */
    private Tcb tcb;
    public boolean terminated;
    boolean connectedOnce;
    long now;
    private boolean clockStarted;

    long localTag;
    long localInitialTsn;
    long peerTag;
    long peerInitialTsn;

    /** Whether the INIT without the newer optional parameters was sent (see {@link Connect#fallBackInit}). */
    public boolean initFallbackSent;
    /** Whether an ABORT in COOKIE-WAIT was taken as the rejection of the first INIT. */
    boolean firstInitAborted;

    // negotiated with the peer (INIT / INIT ACK / cookie)
    public boolean peerForwardTsn;
    boolean peerReconfig;
    public boolean zeroChecksumTx;
    long peerArwndAtSetup;
    public int outboundStreams;
    public int inboundStreams;
    public long remoteMaxMessageSize;

    public final SendQueue sendQueue;

    final ArrayDeque<Chunk> controlQueue = new ArrayDeque<>(4);
    final ArrayDeque<ByteBuffer> readyPackets = new ArrayDeque<>(2);
    final ArrayDeque<SctpEvent> events = new ArrayDeque<>(8);
    /** Bytes of messages delivered but not yet polled. */
    long eventBytes;
    /** Bytes of polled messages that the application holds unconsumed ({@code holdReceived}). */
    public long heldBytes;
    /** The last RTT measured by a HEARTBEAT, in nanoseconds, or -1. */
    public long lastHeartbeatRtt = -1;

    public SocketContext(SctpConfig config, String name) {
        this.config = config;
        this.name = name;
        this.rtoInitialNanos = config.rtoInitial().toNanos();
        this.rtoMaxNanos = config.rtoMax().toNanos();
        this.heartbeatIntervalNanos = config.heartbeatInterval().toNanos();
        this.sackDelayNanos = config.sackDelay().toNanos();
        this.cookieLifetimeNanos = config.cookieLifetime().toNanos();
        this.quickAckPackets = config.quickAck() ? config.receiveWindow() / (2L * config.mtu()) : 0;
        this.rto = new RtoEstimator(rtoInitialNanos, config.rtoMin().toNanos(), rtoMaxNanos);
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

    /** The next application event, or null; a polled message stops counting as unpolled. */
    public SctpEvent pollEvent() {
        SctpEvent e = events.poll();
        if (e instanceof SctpEvent.MessageReceived m) {
            eventBytes -= m.size(); // a window update, if this opened the window, goes in pollTransmit
        }
        return e;
    }

    long randomTag() {
        long t;
        do {
            t = config.random().nextInt() & 0xFFFF_FFFFL;
        } while (t == 0);
        return t;
    }

    public State state() {
        return state;
    }

    public SctpState publicState() {
        return state.publicState();
    }

    /** The TCB, or null before establishment and after termination. */
    public Tcb tcb() {
        return tcb;
    }

    void setState(State s) {
        if (s.publicState() != state.publicState()) {
            LOG.trace("{}: {} -> {}", name, state.publicState(), s.publicState());
        }
        state = s;
        tcb = s.tcb();
    }

    /** The verification tag our packets carry (the peer's Initiate Tag), 0 until known. */
    public long peerVerificationTag() {
        return peerTag;
    }

    public long now() {
        return now;
    }

    public void advanceClock(long nowNanos) {
        if (!clockStarted) {
            clockStarted = true;
            now = nowNanos;
        } else if (nowNanos > now) {
            now = nowNanos;
        }
    }

    /** Handshake and out-of-the-blue packets always carry a real CRC32c (RFC 9653 §5.2). */
    ByteBuffer encode(SctpPacket p) {
        return p.encode(false);
    }

    void sendAbort(List<ErrorCause> causes) {
        if (peerTag == 0) {
            return;
        }
        readyPackets.add(encode(new SctpPacket(config.localPort(), config.remotePort(), peerTag,
                List.of(new AbortChunk(false, causes)))));
    }

    /** Whether new and retransmitted DATA may go out in the current state. */
    boolean dataAllowed() {
        return tcb != null && (state instanceof State.Established || state instanceof State.ShutdownPending
                || state instanceof State.ShutdownReceived);
    }

    /** Our receive window: what reassembly, unpolled messages and held bytes leave of {@code receiveWindow}. */
    public long localRwnd() {
        long held = (tcb == null ? 0 : tcb.reassembly.bufferedBytes()) + eventBytes + heldBytes;
        return Math.max(0, config.receiveWindow() - held);
    }

    /** RFC 9260 §8.1: counts a timeout; aborts past Association.Max.Retrans. Returns true if it aborted. */
    boolean incrementErrors(String what) {
        Tcb t = tcb;
        if (t == null) {
            return false;
        }
        t.errorCount++;
        if (t.errorCount > config.maxRetransmits()) {
            LOG.info("{}: {}: {} consecutive timeouts, peer unreachable; aborting", name, what, t.errorCount);
            sendAbort(List.of(UserInitiatedAbortCause.of("peer unreachable: retransmission limit reached")));
            terminate(new SctpEvent.Aborted(ErrorKind.TIMEOUT, "retransmission limit reached (" + what + ")"), what);
            return true;
        }
        return false;
    }

    /** Ends the association: every timer stops with its state, the TCB goes, and {@code event} is the last event. */
    void terminate(SctpEvent event, String why) {
        if (terminated) {
            return;
        }
        terminated = true;
        setState(State.Closed.INSTANCE);
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
        LOG.debug("{}: terminated ({})", name, why);
        events.add(event);
    }
}
