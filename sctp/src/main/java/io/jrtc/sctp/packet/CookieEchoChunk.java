package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * COOKIE ECHO (type 10, RFC 9260 §3.3.11): returns the State Cookie of an INIT ACK, unchanged.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 10   |Chunk  Flags   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                            Cookie                             /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param cookie owned by the record
 */
public record CookieEchoChunk(byte[] cookie) implements Chunk {

    public static final int TYPE = ChunkTypes.COOKIE_ECHO;

    public CookieEchoChunk {
        Wire.checkLength(cookie, 0xFFFF - 4, "cookie");
    }

    public static CookieEchoChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "COOKIE ECHO");
        return new CookieEchoChunk(Wire.bytes(Wire.tlv(buf, "COOKIE ECHO", 4)));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public int length() {
        return 4 + cookie.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, 0, length());
        out.put(cookie);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieEchoChunk c && Arrays.equals(cookie, c.cookie);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cookie);
    }

    @Override
    public String toString() {
        return "COOKIE ECHO[" + Wire.hex(cookie) + "]";
    }
}
