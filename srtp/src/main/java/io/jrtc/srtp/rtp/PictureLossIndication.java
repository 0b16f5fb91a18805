package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * PLI: picture loss indication (RFC 4585 section 6.3.1), payload-specific feedback (PT=206, FMT=1) asking the media
 * sender for a key frame. It has no FCI; bytes after the two SSRCs are ignored on parse.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=1   |   PT=206      |          length=2             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param senderSsrc SSRC of the packet sender
 * @param mediaSsrc SSRC of the video source that should send a key frame
 */
public record PictureLossIndication(long senderSsrc, long mediaSsrc) implements RtcpPacket {

    /** FMT of PLI under PT 206. */
    public static final int FMT = 1;

    public PictureLossIndication {
        senderSsrc &= 0xFFFF_FFFFL;
        mediaSsrc &= 0xFFFF_FFFFL;
    }

    public static PictureLossIndication parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.expectFeedback(b, "PLI", PT_PSFB, FMT);
        int start = b.position();
        PictureLossIndication pli = new PictureLossIndication(RtcpHeader.u32(b, start + 4), RtcpHeader.u32(b, start + 8));
        b.position(start + h.totalLength());
        return pli;
    }

    @Override
    public int packetType() {
        return PT_PSFB;
    }

    @Override
    public int encodedLength() {
        return 12;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, FMT, PT_PSFB, 12);
        out.putInt((int) senderSsrc);
        out.putInt((int) mediaSsrc);
    }
}
