package io.jrtc.srtp.rtp;

import java.util.List;

/**
 * Send-side statistics for one local SSRC: the packet and octet counts of our sender reports (RFC 3550 section
 * 6.4.1), and what the remote says about our stream in its report blocks, including the round-trip time computed
 * from LSR and DLSR. These feed {@code getStats()}'s {@code outbound-rtp} (packetsSent, bytesSent) and
 * {@code remote-inbound-rtp} (packetsLost, fractionLost, jitter, roundTripTime).
 *
 * <p>Sans-IO: the caller passes a monotonic {@code nowNanos} and, where NTP time is needed, the wall clock as a
 * 64-bit NTP timestamp ({@link NtpTime#fromUnixNanos}); nothing here reads a clock. Single-threaded by contract.
 */
public final class RtpSenderStats {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ssrc;
    private final int clockRate;
    private long packetsSent;
    private long payloadBytesSent;
    private boolean sentAny;
    private long lastRtpTimestamp;
    private long lastSentNanos;

    private long roundTripTimeNanos = -1;
    private long totalRoundTripTimeNanos;
    private long roundTripTimeMeasurements;
    private int remoteFractionLost;
    private long remoteCumulativeLost;
    private long remoteJitter;
    private long remoteExtendedHighestSequence;
    private long reportsReceived;

    public RtpSenderStats(long ssrc, int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        this.clockRate = clockRate;
    }

    public long ssrc() {
        return ssrc;
    }

    /** Records one RTP packet sent (retransmissions included: the SR counts every data packet). */
    public void onPacketSent(long nowNanos, long rtpTimestamp, int payloadBytes) {
        packetsSent++;
        payloadBytesSent += payloadBytes;
        lastRtpTimestamp = rtpTimestamp & 0xFFFF_FFFFL;
        lastSentNanos = nowNanos;
        sentAny = true;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long payloadBytesSent() {
        return payloadBytesSent;
    }

    /** Whether a sender report is due at all: only sources that sent RTP send SRs. */
    public boolean hasSent() {
        return sentAny;
    }

    /**
     * The RTP timestamp corresponding to {@code nowNanos}, extrapolated from the last packet sent at this source's
     * clock rate (RFC 3550 section 6.4.1: the SR's RTP timestamp is the same instant as its NTP timestamp).
     */
    public long rtpTimestampAt(long nowNanos) {
        long elapsed = nowNanos - lastSentNanos;
        long ticks = Math.floorDiv(elapsed, NANOS_PER_SECOND) * clockRate
                + Math.floorMod(elapsed, NANOS_PER_SECOND) * clockRate / NANOS_PER_SECOND;
        return (lastRtpTimestamp + ticks) & 0xFFFF_FFFFL;
    }

    /**
     * Our sender report, sent now.
     *
     * @param nowNanos monotonic time now
     * @param ntpNow wall-clock time now as a 64-bit NTP timestamp
     * @param reportBlocks reports on the sources we receive (at most 31)
     */
    public SenderReport senderReport(long nowNanos, long ntpNow, List<ReportBlock> reportBlocks) {
        return new SenderReport(ssrc, ntpNow, rtpTimestampAt(nowNanos), packetsSent, payloadBytesSent, reportBlocks);
    }

    /**
     * Takes in a report block the remote sent about this SSRC and computes the round-trip time (RFC 3550 section
     * 6.4.1): {@code A - LSR - DLSR}, A being the compact NTP time the report arrived.
     *
     * @param ntpArrival wall-clock arrival time as a 64-bit NTP timestamp
     * @return the round-trip time in nanoseconds, or -1 when the block carries no LSR (no SR of ours reached the
     *         remote yet); a computed value below zero (clock steps) reports 0
     */
    public long onReportBlock(ReportBlock block, long ntpArrival) {
        reportsReceived++;
        remoteFractionLost = block.fractionLost();
        remoteCumulativeLost = block.cumulativeLost();
        remoteJitter = block.jitter();
        remoteExtendedHighestSequence = block.extendedHighestSequence();
        if (block.lastSenderReport() == 0) {
            return -1;
        }
        long a = NtpTime.compact(ntpArrival);
        int rtt = (int) (a - block.lastSenderReport() - block.delaySinceLastSenderReport());
        long nanos = rtt < 0 ? 0 : NtpTime.compactToNanos(rtt);
        roundTripTimeNanos = nanos;
        totalRoundTripTimeNanos += nanos;
        roundTripTimeMeasurements++;
        return nanos;
    }

    /** The latest round-trip time in nanoseconds, or -1 before the first measurement. */
    public long roundTripTimeNanos() {
        return roundTripTimeNanos;
    }

    /** Sum of all round-trip times measured, for {@code totalRoundTripTime}. */
    public long totalRoundTripTimeNanos() {
        return totalRoundTripTimeNanos;
    }

    public long roundTripTimeMeasurements() {
        return roundTripTimeMeasurements;
    }

    /** Fraction lost (0-255) the remote last reported. */
    public int remoteFractionLost() {
        return remoteFractionLost;
    }

    public long remoteCumulativeLost() {
        return remoteCumulativeLost;
    }

    /** Jitter the remote last reported, in RTP timestamp units. */
    public long remoteJitter() {
        return remoteJitter;
    }

    /** Jitter the remote last reported, in seconds. */
    public double remoteJitterSeconds() {
        return (double) remoteJitter / clockRate;
    }

    public long remoteExtendedHighestSequence() {
        return remoteExtendedHighestSequence;
    }

    public long reportsReceived() {
        return reportsReceived;
    }
}
