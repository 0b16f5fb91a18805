package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BYE: goodbye (RFC 3550 section 6.6).
 *
 * <pre>
 *        0                   1                   2                   3
 *        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |                           SSRC/CSRC                           |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       :                              ...                              :
 *       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * (opt) |     length    |               reason for leaving            ...
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param ssrcs the sources leaving (up to 31)
 * @param reason UTF-8 reason for leaving, or null for none
 */
public record Goodbye(List<Long> ssrcs, String reason) implements RtcpPacket {

    public Goodbye {
        ssrcs = ssrcs.stream().map(s -> s & 0xFFFF_FFFFL).toList();
        if (ssrcs.size() > 31) {
            throw new IllegalArgumentException("at most 31 SSRCs in a BYE");
        }
        if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("BYE reason longer than 255 bytes");
        }
    }

    public static Goodbye parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.expect(b, "BYE", PT_BYE);
        int start = b.position();
        int body = h.bodyLength();
        if (body < 4 * h.count()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "BYE with " + h.count() + " SSRCs in " + body
                    + " bytes");
        }
        List<Long> ssrcs = new ArrayList<>(h.count());
        int p = start + 4;
        for (int i = 0; i < h.count(); i++, p += 4) {
            ssrcs.add(RtcpHeader.u32(b, p));
        }
        String reason = null;
        int rest = start + 4 + body - p;
        if (rest > 0) {
            int len = b.get(p) & 0xFF;
            if (1 + len > rest) {
                throw new ParseException(ParseError.INVALID_LENGTH, "BYE reason of " + len + " bytes overruns");
            }
            byte[] text = new byte[len];
            b.get(p + 1, text);
            // Strict: a lossy decode turns each bad byte into U+FFFD (3 bytes), so a long reason then broke the
            // 255-byte limit of the constructor and escaped as IllegalArgumentException (found by fuzzing).
            try {
                reason = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(text)).toString();
            } catch (CharacterCodingException e) {
                throw new ParseException(ParseError.INVALID_VALUE, "BYE reason is not UTF-8");
            }
        }
        b.position(start + h.totalLength());
        return new Goodbye(ssrcs, reason);
    }

    @Override
    public int packetType() {
        return PT_BYE;
    }

    @Override
    public int encodedLength() {
        int n = 4 + 4 * ssrcs.size();
        if (reason != null) {
            n += (1 + reason.getBytes(StandardCharsets.UTF_8).length + 3) & ~3;
        }
        return n;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, ssrcs.size(), PT_BYE, encodedLength());
        for (long s : ssrcs) {
            out.putInt((int) s);
        }
        if (reason != null) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            out.put((byte) text.length);
            out.put(text);
            int pad = ((1 + text.length + 3) & ~3) - 1 - text.length;
            for (int i = 0; i < pad; i++) {
                out.put((byte) 0);
            }
        }
    }
}
