package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Any RTCP packet this module does not decode (APP, XR, transport-wide congestion control feedback, SLI, RPSI, ...),
 * kept as bytes so it round-trips unchanged (padding aside: it is stripped on parse and not re-added).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     body (length * 4 bytes)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param packetType PT
 * @param count the 5-bit RC/FMT field
 * @param body bytes after the common header (a multiple of 4)
 */
public record UnknownRtcpPacket(int packetType, int count, byte[] body) implements RtcpPacket {

    public UnknownRtcpPacket {
        if (packetType < 0 || packetType > 255 || count < 0 || count > 31) {
            throw new IllegalArgumentException("PT " + packetType + " / count " + count);
        }
        if (body.length % 4 != 0) {
            throw new IllegalArgumentException("RTCP body of " + body.length + " bytes is not a multiple of 4");
        }
        body = body.clone();
    }

    public static UnknownRtcpPacket parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.peek(b, "RTCP");
        int start = b.position();
        // Padding is stripped; the body is kept word-aligned by dropping the partial word padding left.
        byte[] body = new byte[h.bodyLength() & ~3];
        b.get(start + 4, body);
        b.position(start + h.totalLength());
        return new UnknownRtcpPacket(h.packetType(), h.count(), body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public int encodedLength() {
        return 4 + body.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, count, packetType, encodedLength());
        out.put(body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownRtcpPacket u && u.packetType == packetType && u.count == count
                && Arrays.equals(u.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * packetType + count) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "UnknownRtcpPacket[pt=" + packetType + ", count=" + count + ", body=" + HexFormat.of().formatHex(body)
                + "]";
    }
}
