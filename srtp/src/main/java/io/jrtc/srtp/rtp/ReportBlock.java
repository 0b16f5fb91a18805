package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * A reception report block inside SR and RR packets (RFC 3550 section 6.4.1).
 *
 * <pre>
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param ssrc the source this block reports on
 * @param fractionLost lost fraction since the previous report, in 1/256 (0-255)
 * @param cumulativeLost packets lost since reception began, signed 24-bit (duplicates can make it negative)
 * @param extendedHighestSequence highest sequence number received, extended with the cycle count (32 bits)
 * @param jitter interarrival jitter in timestamp units (32 bits)
 * @param lastSenderReport middle 32 bits of the NTP timestamp of the last SR received from this source, or 0
 * @param delaySinceLastSenderReport delay since that SR in 1/65536 s, or 0
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence, long jitter,
                          long lastSenderReport, long delaySinceLastSenderReport) {

    /** Bytes of one block. */
    public static final int LENGTH = 24;
    /** Largest cumulative loss the signed 24-bit field holds. */
    public static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;
    /** Smallest (most negative) cumulative loss the field holds. */
    public static final int MIN_CUMULATIVE_LOST = -0x800000;

    public ReportBlock {
        ssrc &= 0xFFFF_FFFFL;
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost " + fractionLost + " outside 0-255");
        }
        cumulativeLost = Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, cumulativeLost));
        extendedHighestSequence &= 0xFFFF_FFFFL;
        jitter &= 0xFFFF_FFFFL;
        lastSenderReport &= 0xFFFF_FFFFL;
        delaySinceLastSenderReport &= 0xFFFF_FFFFL;
    }

    /** Reads one block at the buffer's position, advancing it. */
    public static ReportBlock parse(ByteBuffer b) throws ParseException {
        ParseException.requireLength("report block", b.remaining(), LENGTH);
        long ssrc = b.getInt() & 0xFFFF_FFFFL;
        int word = b.getInt();
        int fraction = word >>> 24;
        int lost = (word << 8) >> 8; // sign-extend 24 bits
        long ehsn = b.getInt() & 0xFFFF_FFFFL;
        long jitter = b.getInt() & 0xFFFF_FFFFL;
        long lsr = b.getInt() & 0xFFFF_FFFFL;
        long dlsr = b.getInt() & 0xFFFF_FFFFL;
        return new ReportBlock(ssrc, fraction, lost, ehsn, jitter, lsr, dlsr);
    }

    public int encodedLength() {
        return LENGTH;
    }

    public void writeTo(ByteBuffer out) {
        out.putInt((int) ssrc);
        out.putInt((fractionLost << 24) | (cumulativeLost & 0xFFFFFF));
        out.putInt((int) extendedHighestSequence);
        out.putInt((int) jitter);
        out.putInt((int) lastSenderReport);
        out.putInt((int) delaySinceLastSenderReport);
    }
}
