package io.jrtc.peer.internal.media;

import io.jrtc.srtp.rtp.NackGenerator;
import io.jrtc.srtp.rtp.RtpReceiverStats;

/**
 * One remote media SSRC we receive: RFC 3550 reception statistics, the NACK generator (video with {@code nack}
 * negotiated), a duplicate filter, and the counters {@code inbound-rtp} reports. Loop-confined.
 */
final class InboundStream {

    /** Sequence numbers remembered for duplicate detection (a power of two). */
    static final int DUPLICATE_WINDOW = 1024;

    final long ssrc;
    final Transceiver transceiver;
    final RtpReceiverStats stats;
    NackGenerator nack;
    long rtxSsrc = -1;

    long nackPacketsSent;
    long pliSent;
    long firSent;
    int firSequence;
    long lastPliNanos = Long.MIN_VALUE;
    long framesReceived;
    long keyFramesReceived;
    long retransmittedPacketsReceived;
    long retransmittedBytesReceived;
    long duplicatesDiscarded;
    long paddingOnlyPackets;
    long unknownPayloadType;
    long lastPacketNanos;
    int lastPayloadType = -1;
    boolean ended;

    private final long[] seen = new long[DUPLICATE_WINDOW / 64];
    private boolean started;
    private long highest;

    InboundStream(long ssrc, Transceiver transceiver, int clockRate) {
        this.ssrc = ssrc;
        this.transceiver = transceiver;
        this.stats = new RtpReceiverStats(ssrc, clockRate);
    }

    /**
     * Records {@code sequenceNumber} and says whether it was seen already (or is older than the window, which a
     * decoder could not use either).
     */
    boolean duplicate(int sequenceNumber) {
        int seq = sequenceNumber & 0xFFFF;
        if (!started) {
            started = true;
            highest = seq;
            mark(highest);
            return false;
        }
        long ext = highest + (short) (seq - (int) (highest & 0xFFFF));
        if (ext > highest) {
            if (ext - highest >= DUPLICATE_WINDOW) {
                java.util.Arrays.fill(seen, 0);
            } else {
                for (long s = highest + 1; s < ext; s++) {
                    clear(s);
                }
            }
            highest = ext;
            mark(ext);
            return false;
        }
        if (highest - ext >= DUPLICATE_WINDOW) {
            return true;
        }
        int i = (int) (ext & (DUPLICATE_WINDOW - 1));
        long bit = 1L << (i & 63);
        if ((seen[i >>> 6] & bit) != 0) {
            return true;
        }
        seen[i >>> 6] |= bit;
        return false;
    }

    private void mark(long ext) {
        int i = (int) (ext & (DUPLICATE_WINDOW - 1));
        seen[i >>> 6] |= 1L << (i & 63);
    }

    private void clear(long ext) {
        int i = (int) (ext & (DUPLICATE_WINDOW - 1));
        seen[i >>> 6] &= ~(1L << (i & 63));
    }
}
