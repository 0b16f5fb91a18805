package io.jrtc.srtp.rtp;

import java.util.SplittableRandom;

/**
 * When to send the next RTCP report: the interval of RFC 3550 section 6.3 and appendix A.7, with the timer
 * reconsideration of section 6.3.6, as a sans-IO timer.
 *
 * <p>The interval is {@code max(Tmin, n * avg_rtcp_size / rtcp_bw)}, where the RTCP bandwidth is 5% of the session
 * bandwidth split 25/75 between senders and receivers (A.7); it is then randomised over [0.5, 1.5] and divided by
 * {@code e - 3/2} to compensate for reconsideration. RFC 3550's Tmin is 5 s (halved before the first report);
 * WebRTC endpoints use RFC 4585's leeway to report more often, so {@link Config#webrtc(long)} takes a 1 s minimum,
 * as browsers do for video. With two members, as in a peer connection, the minimum dominates.
 *
 * <p>Use: {@link #pollTimeout()} gives the next report time; at that time call {@link #handleTimeout(long)}; when
 * it returns true, build and send the compound and call {@link #onRtcpSent(long, int)}. Randomness comes from a
 * seeded generator, so runs repeat. Time going backwards is ignored. Single-threaded by contract.
 */
public final class RtcpIntervalScheduler {

    /** A.7: the receivers' share of the RTCP bandwidth is 75%, the senders' 25%. */
    public static final double RTCP_SENDER_BW_FRACTION = 0.25;
    /** A.7: {@code e - 3/2}, compensating for timer reconsideration converging below the intended average. */
    public static final double COMPENSATION = Math.E - 1.5;
    /** Section 6.2: RTCP gets 5% of the session bandwidth. */
    public static final double RTCP_BANDWIDTH_FRACTION = 0.05;
    /** Bytes of IPv4 + UDP headers counted in the average RTCP packet size (section 6.2). */
    public static final int IP_UDP_OVERHEAD = 28;

    /**
     * Scheduler parameters.
     *
     * @param minIntervalNanos Tmin (RFC 3550: 5 s)
     * @param sessionBandwidthBps session bandwidth in bits per second; RTCP gets 5% of it
     * @param halveInitialInterval whether the first report uses Tmin / 2 (RFC 3550 section 6.2)
     */
    public record Config(long minIntervalNanos, long sessionBandwidthBps, boolean halveInitialInterval) {
        public Config {
            if (minIntervalNanos <= 0 || sessionBandwidthBps <= 0) {
                throw new IllegalArgumentException("interval and bandwidth must be positive");
            }
        }

        /** RFC 3550 as written: Tmin = 5 s, halved initially. */
        public static Config rfc3550(long sessionBandwidthBps) {
            return new Config(5_000_000_000L, sessionBandwidthBps, true);
        }

        /** WebRTC-style: Tmin = 1 s, not halved (browsers send the first report right after media starts). */
        public static Config webrtc(long sessionBandwidthBps) {
            return new Config(1_000_000_000L, sessionBandwidthBps, false);
        }
    }

    private final Config config;
    private final SplittableRandom random;
    private int members = 2;
    private int senders = 1;
    private boolean weSent;
    private double avgRtcpSize = 100;
    private boolean initial = true;
    private long tp;
    private long tn;
    private long lastNow;
    private long reportsSent;

    public RtcpIntervalScheduler(Config config, long seed, long nowNanos) {
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.lastNow = nowNanos;
        this.tp = nowNanos;
        this.tn = nowNanos + interval();
    }

    /** A.7 rtcp_interval, in nanoseconds, for the current membership. */
    long interval() {
        double minSeconds = config.minIntervalNanos() / 1e9;
        if (initial && config.halveInitialInterval()) {
            minSeconds /= 2;
        }
        double rtcpBw = config.sessionBandwidthBps() / 8.0 * RTCP_BANDWIDTH_FRACTION;
        int n = members;
        if (senders <= members * RTCP_SENDER_BW_FRACTION) {
            if (weSent) {
                rtcpBw *= RTCP_SENDER_BW_FRACTION;
                n = senders;
            } else {
                rtcpBw *= 1 - RTCP_SENDER_BW_FRACTION;
                n -= senders;
            }
        }
        double t = avgRtcpSize * n / rtcpBw;
        if (t < minSeconds) {
            t = minSeconds;
        }
        t = t * (random.nextDouble() + 0.5) / COMPENSATION;
        return (long) (t * 1e9);
    }

    /** When the next report is due. */
    public long pollTimeout() {
        return tn;
    }

    /**
     * Section 6.3.6: at the scheduled time, recompute the interval; if {@code tp + T} has passed, a report is due
     * (returns true), otherwise the timer moves to {@code tp + T} (returns false).
     */
    public boolean handleTimeout(long nowNanos) {
        long now = Math.max(nowNanos, lastNow);
        lastNow = now;
        if (now < tn) {
            return false;
        }
        long t = interval();
        if (tp + t <= now) {
            return true;
        }
        tn = tp + t;
        return false;
    }

    /** Records that a compound of {@code packetBytes} (without IP/UDP headers) was sent now; schedules the next. */
    public void onRtcpSent(long nowNanos, int packetBytes) {
        long now = Math.max(nowNanos, lastNow);
        lastNow = now;
        updateAverage(packetBytes);
        reportsSent++;
        initial = false;
        tp = now;
        tn = now + interval();
    }

    /** Records a received RTCP compound of {@code packetBytes}: it counts in the average size (section 6.3.3). */
    public void onRtcpReceived(int packetBytes) {
        updateAverage(packetBytes);
    }

    private void updateAverage(int packetBytes) {
        avgRtcpSize = (packetBytes + IP_UDP_OVERHEAD) / 16.0 + avgRtcpSize * 15.0 / 16.0;
    }

    /** Session members, ourselves included (2 in a peer connection). */
    public void setMembers(int members) {
        this.members = Math.max(1, members);
    }

    /** Members that sent RTP recently, ourselves included. */
    public void setSenders(int senders) {
        this.senders = Math.max(0, senders);
    }

    /** Whether we sent RTP since the report before last (section 6.3.8); selects the sender share. */
    public void setWeSent(boolean weSent) {
        this.weSent = weSent;
    }

    public double averageRtcpSize() {
        return avgRtcpSize;
    }

    public long reportsSent() {
        return reportsSent;
    }

    /** The time the last report went out (tp). */
    public long lastReportTime() {
        return tp;
    }
}
