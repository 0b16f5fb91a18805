package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * FIR: full intra request (RFC 5104 section 4.3.1), payload-specific feedback (PT=206, FMT=4). The "SSRC of media
 * source" field is unused and set to 0 (section 4.3.1.2); the targets are in the FCI entries.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=4   |   PT=206      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (0)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              SSRC                             |   (one entry per target)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Seq nr.       |    Reserved                                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param senderSsrc SSRC of the packet sender
 * @param entries one entry per media sender asked for a decoder refresh
 */
public record FullIntraRequest(long senderSsrc, List<Entry> entries) implements RtcpPacket {

    /** FMT of FIR under PT 206. */
    public static final int FMT = 4;

    /**
     * One FCI entry.
     *
     * @param ssrc the media sender asked for a key frame
     * @param sequenceNumber command sequence number, incremented per new request (8 bits)
     */
    public record Entry(long ssrc, int sequenceNumber) {
        public Entry {
            ssrc &= 0xFFFF_FFFFL;
            sequenceNumber &= 0xFF;
        }
    }

    public FullIntraRequest {
        senderSsrc &= 0xFFFF_FFFFL;
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a FIR carries at least one entry");
        }
    }

    public static FullIntraRequest parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.expectFeedback(b, "FIR", PT_PSFB, FMT);
        int start = b.position();
        int fci = h.bodyLength() - 8;
        if (fci < 8 || fci % 8 != 0) {
            throw new ParseException(ParseError.INVALID_LENGTH, "FIR FCI of " + fci + " bytes is not 8n, n >= 1");
        }
        long sender = RtcpHeader.u32(b, start + 4);
        List<Entry> entries = new ArrayList<>(fci / 8);
        for (int p = start + 12; p < start + 12 + fci; p += 8) {
            entries.add(new Entry(RtcpHeader.u32(b, p), b.get(p + 4) & 0xFF));
        }
        b.position(start + h.totalLength());
        return new FullIntraRequest(sender, entries);
    }

    @Override
    public int packetType() {
        return PT_PSFB;
    }

    @Override
    public int encodedLength() {
        return 12 + 8 * entries.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, FMT, PT_PSFB, encodedLength());
        out.putInt((int) senderSsrc);
        out.putInt(0);
        for (Entry e : entries) {
            out.putInt((int) e.ssrc());
            out.put((byte) e.sequenceNumber());
            out.put((byte) 0);
            out.putShort((short) 0);
        }
    }
}
