package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * REMB: receiver estimated maximum bitrate ({@code goog-remb}, draft-alvestrand-rmcat-remb-03 section 2.2), an
 * application-layer feedback message (PT=206, FMT=15) tagged with the ASCII identifier "REMB".
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (0)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Num SSRC     | BR Exp    |  BR Mantissa (18 bits)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC feedback (Num SSRC entries)                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The bitrate is {@code mantissa * 2^exp} bits per second; encoding picks the smallest exponent whose mantissa
 * fits 18 bits, truncating low bits of bitrates above 2^18 bps that are not representable.
 *
 * @param senderSsrc SSRC of the packet sender
 * @param bitrateBps estimated maximum total bitrate for the listed SSRCs, bits per second
 * @param ssrcs the media SSRCs the estimate applies to (up to 255)
 */
public record ReceiverEstimatedMaxBitrate(long senderSsrc, long bitrateBps, List<Long> ssrcs) implements RtcpPacket {

    /** FMT of application-layer feedback under PT 206. */
    public static final int FMT = 15;
    /** "REMB" in ASCII. */
    public static final int IDENTIFIER = 0x52454D42;

    private static final int MAX_MANTISSA = (1 << 18) - 1;

    public ReceiverEstimatedMaxBitrate {
        senderSsrc &= 0xFFFF_FFFFL;
        if (bitrateBps < 0) {
            throw new IllegalArgumentException("negative bitrate");
        }
        ssrcs = ssrcs.stream().map(s -> s & 0xFFFF_FFFFL).toList();
        if (ssrcs.size() > 255) {
            throw new IllegalArgumentException("at most 255 SSRCs in a REMB");
        }
    }

    static boolean isRemb(ByteBuffer b, RtcpHeader h) {
        return h.bodyLength() >= 12 && b.getInt(b.position() + 12) == IDENTIFIER;
    }

    public static ReceiverEstimatedMaxBitrate parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.expectFeedback(b, "REMB", PT_PSFB, FMT);
        int start = b.position();
        if (h.bodyLength() < 16) {
            throw new ParseException(ParseError.INVALID_LENGTH, "REMB needs 20 bytes, " + (h.bodyLength() + 4)
                    + " present");
        }
        if (b.getInt(start + 12) != IDENTIFIER) {
            throw new ParseException(ParseError.INVALID_VALUE, "application feedback is not REMB");
        }
        int word = b.getInt(start + 16);
        int num = word >>> 24;
        int exp = (word >>> 18) & 0x3F;
        long mantissa = word & MAX_MANTISSA;
        if (h.bodyLength() < 16 + 4 * num) {
            throw new ParseException(ParseError.INVALID_LENGTH, "REMB lists " + num + " SSRCs in "
                    + (h.bodyLength() - 16) + " bytes");
        }
        long bitrate = exp >= 46 || (mantissa << exp) >>> exp != mantissa ? Long.MAX_VALUE : mantissa << exp;
        List<Long> ssrcs = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            ssrcs.add(RtcpHeader.u32(b, start + 20 + 4 * i));
        }
        b.position(start + h.totalLength());
        return new ReceiverEstimatedMaxBitrate(RtcpHeader.u32(b, start + 4), bitrate, ssrcs);
    }

    @Override
    public int packetType() {
        return PT_PSFB;
    }

    @Override
    public int encodedLength() {
        return 20 + 4 * ssrcs.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, FMT, PT_PSFB, encodedLength());
        out.putInt((int) senderSsrc);
        out.putInt(0);
        out.putInt(IDENTIFIER);
        int exp = 0;
        long mantissa = bitrateBps;
        while (mantissa > MAX_MANTISSA) {
            mantissa >>>= 1;
            exp++;
        }
        out.putInt((ssrcs.size() << 24) | (exp << 18) | (int) mantissa);
        for (long s : ssrcs) {
            out.putInt((int) s);
        }
    }
}
