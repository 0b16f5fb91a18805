package io.jrtc.peer;

import io.jrtc.common.LogThrottle;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.common.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's side of {@link RtcLimits}: the checks, the connect timer, and the counting into its factory's
 * {@link LimitCounters}. Confined to the connection's event loop, except {@link #releaseSlot()} (idempotent, any
 * thread).
 */
final class ConnectionLimits {

    private static final Timer.Spec CONNECT_TIMER = new Timer.Spec("connect", Timer.Backoff.FIXED, Long.MAX_VALUE, 0);

    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    private final RtcLimits limits;
    private final LimitCounters counters;
    private final String logId;
    private final LogThrottle remoteChannelsRefused = new LogThrottle();
    private final java.util.concurrent.atomic.AtomicBoolean slotHeld = new java.util.concurrent.atomic.AtomicBoolean(true);
    /** The connect timeout as a deadline; the connection's one scheduled task ({@link PeerEdge}) folds it in. */
    private final Timer connectTimer = new Timer(CONNECT_TIMER);
    private boolean connectTimerStarted;
    private String trickleUfrag;
    private int trickled;

    ConnectionLimits(RtcLimits limits, LimitCounters counters, String logId) {
        this.limits = limits;
        this.counters = counters;
        this.logId = logId;
    }

    RtcLimits limits() {
        return limits;
    }

    /** Size and candidate count of a remote description, checked before it is parsed. */
    void checkRemoteDescription(RtcSessionDescription d) {
        String sdp = d.sdp();
        if (sdp == null || sdp.isEmpty()) {
            return;
        }
        int max = limits.maxRemoteDescriptionBytes();
        long bytes = sdp.length() > max ? -1 : utf8Length(sdp);
        if (bytes < 0 || bytes > max) {
            counters.remoteDescriptionsTooLarge.increment();
            throw new PeerConnectionException.InvalidDescription("the remote " + d.type().w3cName() + " is "
                    + (bytes < 0 ? "over " + sdp.length() : bytes) + " bytes; the limit is " + max
                    + " (RtcLimits.maxRemoteDescriptionBytes)");
        }
        int candidates = candidateLines(sdp, limits.maxRemoteCandidates() + 1);
        if (candidates > limits.maxRemoteCandidates()) {
            counters.remoteDescriptionsWithTooManyCandidates.increment();
            throw new PeerConnectionException.InvalidDescription("the remote " + d.type().w3cName()
                    + " has more than " + limits.maxRemoteCandidates() + " a=candidate lines; the limit is "
                    + limits.maxRemoteCandidates() + " (RtcLimits.maxRemoteCandidates)");
        }
    }

    /** A candidate before the remote description, with {@code queued} already held. */
    void checkQueuedCandidate(int queued) {
        if (queued >= limits.maxQueuedRemoteCandidates()) {
            counters.queuedRemoteCandidatesRefused.increment();
            throw new PeerConnectionException.LimitExceeded(RtcLimits.Limit.QUEUED_REMOTE_CANDIDATES,
                    "already " + queued + " candidates wait for the remote description; the limit is "
                            + limits.maxQueuedRemoteCandidates() + " (RtcLimits.maxQueuedRemoteCandidates)");
        }
    }

    /** A trickled candidate (not end-of-candidates) for the remote ICE generation {@code remoteUfrag}. */
    void checkTrickledCandidate(String remoteUfrag) {
        if (!remoteUfrag.equals(trickleUfrag)) {
            trickleUfrag = remoteUfrag;
            trickled = 0;
        }
        if (trickled >= limits.maxRemoteCandidates()) {
            counters.remoteCandidatesRefused.increment();
            throw new PeerConnectionException.LimitExceeded(RtcLimits.Limit.REMOTE_CANDIDATES,
                    "already " + trickled + " candidates trickled for remote ufrag " + remoteUfrag + "; the limit is "
                            + limits.maxRemoteCandidates() + " (RtcLimits.maxRemoteCandidates)");
        }
        trickled++;
    }

    /** {@code createDataChannel} with {@code live} channels already. */
    void checkLocalChannel(int live) {
        if (live >= limits.maxDataChannels()) {
            counters.localDataChannelsRefused.increment();
            throw new PeerConnectionException.LimitExceeded(RtcLimits.Limit.DATA_CHANNELS, "this connection has "
                    + live + " data channels; the limit is " + limits.maxDataChannels() + " (RtcLimits.maxDataChannels)");
        }
    }

    /**
     * Whether a channel the peer opened must be refused: {@code live} counts it. Counted, and logged at 1-3, 10, 100, ...
     * per connection; the caller resets its stream.
     */
    boolean refuseRemoteChannel(DataChannel ch, int live) {
        if (live <= limits.maxDataChannels()) {
            return false;
        }
        counters.remoteDataChannelsRefused.increment();
        if (remoteChannelsRefused.next()) {
            LOG.warn("{}: data channel '{}' (stream {}) opened by the peer refused and reset: the limit is {} channels"
                    + " (RtcLimits.maxDataChannels); {} refused on this connection (logged at 1-3, 10, 100, ...)", logId,
                    ch.label(), ch.id(), limits.maxDataChannels(), remoteChannelsRefused.count());
        }
        return true;
    }

    /** Starts the connect timer, once: at the first description set. */
    void startConnectTimer(long nowNanos) {
        if (connectTimerStarted) {
            return;
        }
        connectTimerStarted = true;
        long nanos = limits.connectTimeout().toNanos();
        if (nanos > 0) {
            connectTimer.start(nowNanos, nanos);
        }
    }

    /** When the connect timer expires, or {@code DatagramCore.NO_TIMEOUT}. */
    long connectDeadline() {
        return connectTimer.deadline();
    }

    /** Whether the connect timer ran out by {@code nowNanos}. */
    boolean connectTimerExpired(long nowNanos) {
        return connectTimer.expired(nowNanos);
    }

    /** Connected (or closed): the timer is not needed any more. */
    void cancelConnectTimer() {
        connectTimer.stop();
    }

    /** The connect timer expired and the connection failed because of it. */
    void connectTimedOut() {
        connectTimer.stop();
        counters.connectTimeouts.increment();
    }

    /** Gives the factory its connection slot back, once. */
    void releaseSlot() {
        if (slotHeld.compareAndSet(true, false)) {
            counters.release();
        }
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** {@code a=candidate} lines (at the start of a line), counting at most to {@code stopAt}. */
    static int candidateLines(String sdp, int stopAt) {
        int n = 0;
        for (int i = sdp.indexOf("a=candidate"); i >= 0 && n < stopAt; i = sdp.indexOf("a=candidate", i + 1)) {
            if (i == 0 || sdp.charAt(i - 1) == '\n' || sdp.charAt(i - 1) == '\r') {
                n++;
            }
        }
        return n;
    }
}
