package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * SR: sender report (RFC 3550 section 6.4.1).
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         SSRC of sender                        |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * sender |              NTP timestamp, most significant word             |
 * info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |             NTP timestamp, least significant word             |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         RTP timestamp                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     sender's packet count                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      sender's octet count                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                 report blocks (24 bytes each) ...             |
 * </pre>
 *
 * Profile-specific extensions after the report blocks are skipped on parse and not written.
 *
 * @param ssrc sender SSRC
 * @param ntpTimestamp 64-bit NTP wall-clock time the report was sent (see {@link NtpTime})
 * @param rtpTimestamp the same instant in the RTP clock of this source
 * @param packetCount RTP data packets sent (32 bits, wraps)
 * @param octetCount RTP payload octets sent (32 bits, wraps)
 * @param reportBlocks up to 31 reception reports
 */
public record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                           List<ReportBlock> reportBlocks) implements RtcpPacket {

    private static final int FIXED = 28;

    public SenderReport {
        ssrc &= 0xFFFF_FFFFL;
        rtpTimestamp &= 0xFFFF_FFFFL;
        packetCount &= 0xFFFF_FFFFL;
        octetCount &= 0xFFFF_FFFFL;
        reportBlocks = List.copyOf(reportBlocks);
        if (reportBlocks.size() > 31) {
            throw new IllegalArgumentException("at most 31 report blocks, got " + reportBlocks.size());
        }
    }

    public static SenderReport parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.expect(b, "SR", PT_SR);
        int need = FIXED - RtcpHeader.LENGTH + ReportBlock.LENGTH * h.count();
        if (h.bodyLength() < need) {
            throw new ParseException(ParseError.INVALID_LENGTH, "SR with " + h.count() + " report blocks needs "
                    + (need + 4) + " bytes, length field says " + h.totalLength());
        }
        int start = b.position();
        ByteBuffer body = b.duplicate();
        body.position(start + 4);
        long ssrc = body.getInt() & 0xFFFF_FFFFL;
        long ntp = body.getLong();
        long rtp = body.getInt() & 0xFFFF_FFFFL;
        long packets = body.getInt() & 0xFFFF_FFFFL;
        long octets = body.getInt() & 0xFFFF_FFFFL;
        List<ReportBlock> blocks = new ArrayList<>(h.count());
        for (int i = 0; i < h.count(); i++) {
            blocks.add(ReportBlock.parse(body));
        }
        b.position(start + h.totalLength());
        return new SenderReport(ssrc, ntp, rtp, packets, octets, blocks);
    }

    @Override
    public int packetType() {
        return PT_SR;
    }

    @Override
    public int encodedLength() {
        return FIXED + ReportBlock.LENGTH * reportBlocks.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, reportBlocks.size(), PT_SR, encodedLength());
        out.putInt((int) ssrc);
        out.putLong(ntpTimestamp);
        out.putInt((int) rtpTimestamp);
        out.putInt((int) packetCount);
        out.putInt((int) octetCount);
        for (ReportBlock rb : reportBlocks) {
            rb.writeTo(out);
        }
    }
}
