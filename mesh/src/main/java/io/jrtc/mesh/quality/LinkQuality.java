package io.jrtc.mesh.quality;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.internal.wire.Frame;
import io.jrtc.mesh.internal.wire.PingFrame;
import io.jrtc.mesh.internal.wire.PongFrame;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * The quality tracker of one mesh link, sans-IO: samples and time in; PING frames to send, mode changes and the
 * next timeout out. The link edge creates one per link and feeds it:
 * <ul>
 *   <li>{@link #handleInput}: every message received on the link's control channel first; it consumes the PONGs
 *       answering its own PINGs (returns true) and leaves everything else to the overlay core (which answers PINGs);</li>
 *   <li>{@link #rttSample}: RTTs from {@code getStats} (the selected candidate pair's {@code currentRoundTripTime},
 *       the SCTP transport's {@code smoothedRoundTripTime});</li>
 *   <li>{@link #counters}: the cumulative packet and byte counters from {@code getStats} (SCTP packets sent and
 *       retransmitted chunks as the loss estimate; transport bytes). Deltas are taken here; a counter that goes
 *       backwards (a rebuilt PeerConnection) starts a new baseline;</li>
 *   <li>{@link #handleTimeout} at {@link #pollTimeout()}; then {@link #pollTransmit()} (PING frames for the control
 *       channel) and {@link #pollEvent()} (mode changes, for {@code OverlayCore.linkMode} and the audit log).</li>
 * </ul>
 *
 * <p>Every evaluation interval (2 s by default) it computes the smoothed RTT (an EWMA of every sample, as RFC 6298's
 * SRTT), the loss over the window (lost packets and pings over packets sent and pings resolved; unknown below
 * {@link QualityConfig#minLossSamples}), and the throughput each way. From these and the current mode it derives the
 * mode the link calls for, with the thresholds of {@link QualityConfig}. The mode changes only after
 * {@link QualityConfig#downgradeAfter} (or {@link QualityConfig#upgradeAfter}) consecutive evaluations call for a
 * worse (better) mode, and then to the mode nearest the current one that every evaluation of the streak called for.
 * Throughput is reported but does not rate the link: an idle link is not a bad one.
 *
 * <p>Single-threaded; never reads a clock. Time that goes backwards is ignored.
 */
public final class LinkQuality {

    /** A mode change: the edge passes it to {@code OverlayCore.linkMode} and records it in the audit log. */
    public record ModeChange(long linkId, AgentId remote, long atNanos, LinkMode from, LinkMode to, String reason) {
    }

    /**
     * The figures of the last evaluation.
     *
     * @param mode                 current mode
     * @param smoothedRttNanos     smoothed RTT, or -1 before any sample
     * @param loss                 loss fraction over the last window, NaN when it had too few samples
     * @param sendBitsPerSecond    bytes sent over the last window, as bits per second
     * @param receiveBitsPerSecond bytes received over the last window, as bits per second
     * @param pingsSent            PINGs queued since the start
     * @param pingsLost            PINGs that timed out since the start
     * @param modeChanges          mode changes since the start
     * @param evaluations          evaluations since the start
     */
    public record Snapshot(LinkMode mode, long smoothedRttNanos, double loss, double sendBitsPerSecond,
                           double receiveBitsPerSecond, long pingsSent, long pingsLost, long modeChanges,
                           long evaluations) {
    }

    private static final int MAX_OUTSTANDING = 32;

    private final QualityConfig config;
    private final long linkId;
    private final AgentId remote;
    private long now;
    private LinkMode mode;
    private long srtt = -1;
    private long nextEvaluation;
    private long nextPing;
    private long windowStart;
    private int pingSequence;
    private final ArrayDeque<long[]> outstanding = new ArrayDeque<>(); // {sequence, sentAt}
    private final ArrayDeque<byte[]> transmits = new ArrayDeque<>();
    private final ArrayDeque<ModeChange> events = new ArrayDeque<>();
    // cumulative counters last seen, -1 before the first report
    private long lastPacketsSent = -1;
    private long lastPacketsLost;
    private long lastBytesSent;
    private long lastBytesReceived;
    // the current window
    private long winPacketsSent;
    private long winPacketsLost;
    private long winBytesSent;
    private long winBytesReceived;
    private long winPingsResolved;
    private long winPingsLost;
    private boolean winRttSample;
    // hysteresis: the streak of evaluations calling for a change in one direction
    private int streakDirection;
    private int streak;
    private LinkMode streakTarget;
    private Snapshot snapshot;
    private long pingsSent;
    private long pingsLost;
    private long modeChanges;
    private long evaluations;

    /** A tracker for link {@code linkId} to {@code remote}, created at {@code nowNanos}: the first PING is due now. */
    public LinkQuality(QualityConfig config, long linkId, AgentId remote, long nowNanos) {
        this.config = config;
        this.linkId = linkId;
        this.remote = remote;
        this.now = nowNanos;
        this.mode = config.initialMode();
        this.nextEvaluation = nowNanos + config.intervalNanos();
        this.nextPing = nowNanos;
        this.windowStart = nowNanos;
        this.snapshot = new Snapshot(mode, -1, Double.NaN, 0, 0, 0, 0, 0, 0);
    }

    public long linkId() {
        return linkId;
    }

    public AgentId remote() {
        return remote;
    }

    public LinkMode mode() {
        return mode;
    }

    /** The figures of the last evaluation (the smoothed RTT and counts are current). */
    public Snapshot snapshot() {
        return new Snapshot(mode, srtt, snapshot.loss(), snapshot.sendBitsPerSecond(),
                snapshot.receiveBitsPerSecond(), pingsSent, pingsLost, modeChanges, evaluations);
    }

    private void advance(long t) {
        if (t > now) {
            now = t;
        }
    }

    /** One RTT measurement (from {@code getStats} or elsewhere), in nanoseconds; non-positive values are ignored. */
    public void rttSample(long nowNanos, long rttNanos) {
        advance(nowNanos);
        if (rttNanos > 0) {
            addRtt(rttNanos);
        }
    }

    private void addRtt(long sample) {
        srtt = srtt < 0 ? sample : Math.round(srtt + config.rttGain() * (sample - srtt));
        winRttSample = true;
    }

    /**
     * The link's cumulative counters from {@code getStats}: packets sent, packets lost (or retransmitted, as the
     * loss estimate of a reliable transport), bytes sent and received.
     */
    public void counters(long nowNanos, long packetsSent, long packetsLost, long bytesSent, long bytesReceived) {
        advance(nowNanos);
        if (lastPacketsSent >= 0 && packetsSent >= lastPacketsSent && packetsLost >= lastPacketsLost
                && bytesSent >= lastBytesSent && bytesReceived >= lastBytesReceived) {
            winPacketsSent += packetsSent - lastPacketsSent;
            winPacketsLost += packetsLost - lastPacketsLost;
            winBytesSent += bytesSent - lastBytesSent;
            winBytesReceived += bytesReceived - lastBytesReceived;
        }
        lastPacketsSent = packetsSent;
        lastPacketsLost = packetsLost;
        lastBytesSent = bytesSent;
        lastBytesReceived = bytesReceived;
    }

    /**
     * A message received on the link's control channel. Returns true when it was a PONG (consumed here: an answer to
     * one of this tracker's PINGs gives an RTT sample; a late or unknown one is ignored); false otherwise, and the
     * buffer is untouched for the overlay core.
     */
    public boolean handleInput(long nowNanos, ByteBuffer message) {
        if (message.remaining() != PongFrame.LENGTH || (message.get(message.position()) & 0xff) != Frame.PONG) {
            return false;
        }
        advance(nowNanos);
        PongFrame pong;
        try {
            pong = (PongFrame) Frame.parse(message.duplicate());
        } catch (ParseException e) {
            return false; // cannot happen for 13 bytes starting with PONG; let the core count it
        }
        for (var it = outstanding.iterator(); it.hasNext(); ) {
            long[] p = it.next();
            if ((int) p[0] == pong.sequence() && p[1] == pong.timestamp()) {
                it.remove();
                winPingsResolved++;
                addRtt(Math.max(1, now - p[1]));
                break;
            }
        }
        message.position(message.limit());
        return true;
    }

    public void handleTimeout(long nowNanos) {
        advance(nowNanos);
        expirePings();
        if (now >= nextPing) {
            queuePing();
            nextPing = Math.max(nextPing + config.pingIntervalNanos(), now + 1);
        }
        if (now >= nextEvaluation) {
            evaluate();
            nextEvaluation = Math.max(nextEvaluation + config.intervalNanos(), now + 1);
        }
    }

    /** When to call {@link #handleTimeout} next. */
    public long pollTimeout() {
        long t = Math.min(nextEvaluation, nextPing);
        if (!outstanding.isEmpty()) {
            t = Math.min(t, outstanding.peek()[1] + config.pingTimeoutNanos());
        }
        return t == Long.MAX_VALUE ? DatagramCore.NO_TIMEOUT : t;
    }

    /** The next PING frame to send on the link's control channel, or null. */
    public byte[] pollTransmit() {
        return transmits.poll();
    }

    /** The next mode change, or null. */
    public ModeChange pollEvent() {
        return events.poll();
    }

    private void queuePing() {
        if (outstanding.size() >= MAX_OUTSTANDING) {
            return; // every earlier PING is still pending: the timeouts will say enough
        }
        int seq = pingSequence++;
        outstanding.add(new long[] {seq, now});
        transmits.add(new PingFrame(seq, now).toBytes());
        pingsSent++;
    }

    private void expirePings() {
        while (!outstanding.isEmpty() && now - outstanding.peek()[1] >= config.pingTimeoutNanos()) {
            long[] p = outstanding.poll();
            pingsLost++;
            winPingsLost++;
            winPingsResolved++;
            addRtt(now - p[1]); // at least the timeout: a silent link is a slow one
        }
    }

    private void evaluate() {
        evaluations++;
        long window = Math.max(1, now - windowStart);
        long samples = winPacketsSent + winPingsResolved;
        double loss = samples >= config.minLossSamples()
                ? Math.min(1.0, (double) (winPacketsLost + winPingsLost) / samples) : Double.NaN;
        double send = winBytesSent * 8e9 / window;
        double receive = winBytesReceived * 8e9 / window;
        boolean evidence = winRttSample || !Double.isNaN(loss);
        long rtt = srtt;
        LinkMode target = evidence ? target(rtt, loss) : mode;
        int direction = Integer.signum(target.compareTo(mode));
        if (direction == 0) {
            streak = 0;
            streakDirection = 0;
            streakTarget = null;
        } else {
            if (direction != streakDirection) {
                streak = 0;
                streakTarget = target;
            }
            streakDirection = direction;
            streak++;
            // the mode nearest the current one among those the streak called for
            if (direction < 0 ? target.compareTo(streakTarget) > 0 : target.compareTo(streakTarget) < 0) {
                streakTarget = target;
            }
            int needed = direction < 0 ? config.downgradeAfter() : config.upgradeAfter();
            if (streak >= needed) {
                LinkMode from = mode;
                mode = streakTarget;
                modeChanges++;
                events.add(new ModeChange(linkId, remote, now, from, mode, reason(from, mode, rtt, loss, streak)));
                streak = 0;
                streakDirection = 0;
                streakTarget = null;
            }
        }
        snapshot = new Snapshot(mode, srtt, loss, send, receive, pingsSent, pingsLost, modeChanges, evaluations);
        windowStart = now;
        winPacketsSent = winPacketsLost = winBytesSent = winBytesReceived = winPingsResolved = winPingsLost = 0;
        winRttSample = false;
    }

    /** The mode these figures call for, given the current mode (hysteresis: see {@link QualityConfig}). */
    private LinkMode target(long rtt, double loss) {
        QualityConfig c = config;
        return switch (mode) {
            case HIGH -> c.lowEnter().worse(rtt, loss) ? LinkMode.LOW
                    : c.highExit().worse(rtt, loss) ? LinkMode.MEDIUM : LinkMode.HIGH;
            case MEDIUM -> c.lowEnter().worse(rtt, loss) ? LinkMode.LOW
                    : c.highEnter().within(rtt, loss) ? LinkMode.HIGH : LinkMode.MEDIUM;
            case LOW -> c.highEnter().within(rtt, loss) ? LinkMode.HIGH
                    : c.lowExit().within(rtt, loss) ? LinkMode.MEDIUM : LinkMode.LOW;
        };
    }

    private String reason(LinkMode from, LinkMode to, long rtt, double loss, int evaluationsHeld) {
        QualityConfig c = config;
        String rule;
        if (to.compareTo(from) < 0) {
            rule = to == LinkMode.LOW ? "worse than " + c.lowEnter() : "worse than " + c.highExit();
        } else {
            rule = to == LinkMode.HIGH ? "within " + c.highEnter() : "within " + c.lowExit();
        }
        String l = Double.isNaN(loss) ? "unknown" : String.format(Locale.ROOT, "%.1f%%", loss * 100);
        String r = rtt < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f ms", rtt / 1e6);
        return from + " -> " + to + ": srtt " + r + ", loss " + l + "; " + rule + " for " + evaluationsHeld
                + " consecutive evaluations";
    }
}
