package io.jrtc.srtp.rtp;

/**
 * Reception statistics for one remote SSRC, per RFC 3550 appendix A: sequence-number tracking with wrap-around and
 * resynchronisation (A.1), cumulative and fractional loss (A.3), interarrival jitter (A.8), and the LSR/DLSR of the
 * last sender report, producing the {@link ReportBlock} of our next SR/RR. These are also the inputs of
 * {@code getStats()}'s {@code inbound-rtp} (packetsReceived, bytesReceived, packetsLost, jitter).
 *
 * <p>Sans-IO: arrival times are the caller's {@code nowNanos} (a monotonic clock); the RTP timestamp clock rate is
 * the codec's (90,000 for video, 48,000 for Opus). Packets should be fed after SRTP authentication, so by default
 * there is no probation period (A.1's MIN_SEQUENTIAL); pass {@code probation = 2} for the RFC's behaviour on
 * unauthenticated streams. Single-threaded by contract.
 */
public final class RtpReceiverStats {

    /** A.1: sequential packets required before a source counts as valid, when probation is on. */
    public static final int MIN_SEQUENTIAL = 2;
    /** A.1: a jump forward of at most this many is accepted as loss. */
    public static final int MAX_DROPOUT = 3000;
    /** A.1: a jump backward of at most this many is accepted as reordering or duplication. */
    public static final int MAX_MISORDER = 100;
    /** A.1: sequence numbers are modulo 2^16. */
    public static final int RTP_SEQ_MOD = 1 << 16;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ssrc;
    private final int clockRate;
    private final int probationLength;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long bytesReceived;

    private boolean haveTransit;
    private int transit;
    private double jitter;

    private long lastSrCompact;
    private long lastSrArrivalNanos;
    private boolean haveSr;
    private int lastFractionLost;
    private long lastPacketNanos;

    /** Statistics without probation. */
    public RtpReceiverStats(long ssrc, int clockRate) {
        this(ssrc, clockRate, 0);
    }

    /**
     * Statistics for one remote SSRC.
     *
     * @param probation sequential packets required before counting (0 = count from the first; RFC uses 2)
     */
    public RtpReceiverStats(long ssrc, int clockRate, int probation) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        if (probation < 0) {
            throw new IllegalArgumentException("probation must not be negative");
        }
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        this.clockRate = clockRate;
        this.probationLength = probation;
    }

    public long ssrc() {
        return ssrc;
    }

    public int clockRate() {
        return clockRate;
    }

    /**
     * Records one received RTP packet.
     *
     * @param nowNanos arrival time
     * @param sequenceNumber the packet's 16-bit sequence number
     * @param rtpTimestamp the packet's 32-bit RTP timestamp
     * @param payloadBytes payload length, counted in {@link #bytesReceived()}
     * @return whether the packet was counted (false during probation or for a jump A.1 treats as a restart)
     */
    public boolean onPacket(long nowNanos, int sequenceNumber, long rtpTimestamp, int payloadBytes) {
        int seq = sequenceNumber & 0xFFFF;
        boolean counted;
        if (!started) {
            started = true;
            if (probationLength == 0) {
                initSeq(seq);
                received = 1;
                counted = true;
            } else {
                initSeq(seq);
                maxSeq = (seq - 1) & 0xFFFF;
                probation = probationLength;
                counted = updateSeq(seq);
            }
        } else {
            counted = updateSeq(seq);
        }
        if (counted) {
            bytesReceived += payloadBytes;
            lastPacketNanos = nowNanos;
            updateJitter(nowNanos, rtpTimestamp);
        }
        return counted;
    }

    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = RTP_SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /** RFC 3550 appendix A.1, update_seq. */
    private boolean updateSeq(int seq) {
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSeq(seq);
                    received++;
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += RTP_SEQ_MOD;
            }
            maxSeq = seq;
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two sequential packets after a large jump: the source restarted; resynchronise.
                initSeq(seq);
                haveTransit = false;
            } else {
                badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
                return false;
            }
        }
        // else: duplicate or reordered packet, counted as received.
        received++;
        return true;
    }

    /** RFC 3550 appendix A.8. */
    private void updateJitter(long nowNanos, long rtpTimestamp) {
        long seconds = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        long rem = Math.floorMod(nowNanos, NANOS_PER_SECOND);
        long arrival = seconds * clockRate + rem * clockRate / NANOS_PER_SECOND;
        int t = (int) (arrival - rtpTimestamp);
        if (haveTransit) {
            int d = t - transit;
            if (d < 0) {
                d = -d;
            }
            jitter += (d - jitter) / 16.0;
        }
        transit = t;
        haveTransit = true;
    }

    /**
     * Records a sender report from this source: its NTP time becomes the LSR of our next report block, and the
     * time we received it the base of DLSR.
     */
    public void onSenderReport(long nowNanos, long ntpTimestamp) {
        lastSrCompact = NtpTime.compact(ntpTimestamp);
        lastSrArrivalNanos = nowNanos;
        haveSr = true;
    }

    /** Highest sequence number received, extended with the wrap count (A.3 {@code extended_max}). */
    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    /** Packets expected: {@code extended_max - base_seq + 1}. */
    public long expected() {
        return received == 0 && probation > 0 ? 0 : extendedHighestSequence() - baseSeq + 1;
    }

    /** Packets received (duplicates included, as A.3 counts them). */
    public long packetsReceived() {
        return received;
    }

    /** Payload bytes received. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Cumulative packets lost: expected minus received; negative when duplicates outnumber losses. */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Interarrival jitter in RTP timestamp units (A.8's running estimate). */
    public double jitter() {
        return jitter;
    }

    /** Interarrival jitter in seconds, as {@code getStats()} reports it. */
    public double jitterSeconds() {
        return jitter / clockRate;
    }

    /** The fraction lost (0-255) put in the last report block. */
    public int lastFractionLost() {
        return lastFractionLost;
    }

    /** Arrival time of the last counted packet. */
    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    /**
     * The report block for our next SR/RR about this source (RFC 3550 section 6.4.1, loss per A.3). Computing it
     * closes the loss interval: the next block's fraction lost covers packets from now on.
     */
    public ReportBlock reportBlock(long nowNanos) {
        long expected = expected();
        long lost = expected - received;
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0
                : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        lastFractionLost = fraction;
        int cumulative = (int) Math.max(ReportBlock.MIN_CUMULATIVE_LOST, Math.min(ReportBlock.MAX_CUMULATIVE_LOST, lost));
        long dlsr = haveSr ? NtpTime.compactFromNanos(nowNanos - lastSrArrivalNanos) : 0;
        return new ReportBlock(ssrc, fraction, cumulative, extendedHighestSequence(), Math.round(jitter),
                haveSr ? lastSrCompact : 0, dlsr);
    }
}
