package io.jrtc.sctp.internal;

/**
 * Retransmission timeout per RFC 9260 §6.3.1: SRTT and RTTVAR with alpha 1/8 and beta 1/4,
 * {@code RTO = SRTT + max(G, 4 * RTTVAR)} clamped to [RTO.Min, RTO.Max], doubled on T3-rtx expiry (§6.3.3 E2).
 */
public final class RtoEstimator {

    /** Clock granularity G: one millisecond. */
    static final long G = 1_000_000L;

    private final long rtoMin;
    private final long rtoMax;
    private long srtt = -1;
    private long rttvar;
    private long rto;

    public RtoEstimator(long rtoInitialNanos, long rtoMinNanos, long rtoMaxNanos) {
        this.rtoMin = rtoMinNanos;
        this.rtoMax = rtoMaxNanos;
        this.rto = Math.min(Math.max(rtoInitialNanos, rtoMinNanos), rtoMaxNanos);
    }

    /** Folds in one RTT measurement (RFC 9260 §6.3.1 C1-C3). Non-positive samples are ignored. */
    public void measure(long rttNanos) {
        if (rttNanos <= 0) {
            rttNanos = 1;
        }
        if (srtt < 0) {
            srtt = rttNanos;
            rttvar = rttNanos / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rttNanos)) / 4;
            srtt = (7 * srtt + rttNanos) / 8;
        }
        rto = clamp(srtt + Math.max(G, 4 * rttvar));
    }

    /** Forgets the measurements (a new network path): RTO back to {@code rtoInitialNanos}, no SRTT (RFC 9260 §6.3.1 C1). */
    public void reset(long rtoInitialNanos) {
        srtt = -1;
        rttvar = 0;
        rto = clamp(rtoInitialNanos);
    }

    /** Doubles the RTO after a timer expiry (RFC 9260 §6.3.3 E2), up to RTO.Max. */
    public void backoff() {
        rto = Math.min(rtoMax, rto * 2);
    }

    public long rto() {
        return rto;
    }

    /** Smoothed RTT in nanoseconds, or -1 before the first measurement. */
    public long srtt() {
        return srtt;
    }

    public long rttvar() {
        return rttvar;
    }

    private long clamp(long v) {
        return Math.min(rtoMax, Math.max(rtoMin, v));
    }
}
