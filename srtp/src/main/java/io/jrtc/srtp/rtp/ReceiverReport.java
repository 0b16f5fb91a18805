package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * RR: receiver report (RFC 3550 section 6.4.2).
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=RR=201   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     SSRC of packet sender                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                 report blocks (24 bytes each) ...             |
 * </pre>
 *
 * Profile-specific extensions after the report blocks are skipped on parse and not written.
 *
 * @param ssrc SSRC of the reporter
 * @param reportBlocks up to 31 reception reports (an empty RR is legal and common)
 */
public record ReceiverReport(long ssrc, List<ReportBlock> reportBlocks) implements RtcpPacket {

    public ReceiverReport {
        ssrc &= 0xFFFF_FFFFL;
        reportBlocks = List.copyOf(reportBlocks);
        if (reportBlocks.size() > 31) {
            throw new IllegalArgumentException("at most 31 report blocks, got " + reportBlocks.size());
        }
    }

    public static ReceiverReport parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.expect(b, "RR", PT_RR);
        int need = 4 + ReportBlock.LENGTH * h.count();
        if (h.bodyLength() < need) {
            throw new ParseException(ParseError.INVALID_LENGTH, "RR with " + h.count() + " report blocks needs "
                    + (need + 4) + " bytes, length field says " + h.totalLength());
        }
        int start = b.position();
        ByteBuffer body = b.duplicate();
        body.position(start + 4);
        long ssrc = body.getInt() & 0xFFFF_FFFFL;
        List<ReportBlock> blocks = new ArrayList<>(h.count());
        for (int i = 0; i < h.count(); i++) {
            blocks.add(ReportBlock.parse(body));
        }
        b.position(start + h.totalLength());
        return new ReceiverReport(ssrc, blocks);
    }

    @Override
    public int packetType() {
        return PT_RR;
    }

    @Override
    public int encodedLength() {
        return 8 + ReportBlock.LENGTH * reportBlocks.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, reportBlocks.size(), PT_RR, encodedLength());
        out.putInt((int) ssrc);
        for (ReportBlock rb : reportBlocks) {
            rb.writeTo(out);
        }
    }
}
