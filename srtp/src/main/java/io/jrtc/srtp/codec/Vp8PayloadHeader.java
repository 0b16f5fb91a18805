package io.jrtc.srtp.codec;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * The VP8 payload header at the start of a frame's first partition (RFC 7741 section 4.3), and for key frames the
 * start code and dimensions that follow it (RFC 6386 section 9.1). Present only when the descriptor has S = 1 and
 * PID = 0.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |Size0|H| VER |P|        P: 0 = key frame (inverse key frame flag)
 *      +-+-+-+-+-+-+-+-+        H: show_frame
 *      |     Size1     |        first partition size = Size0 + 8 * Size1 + 2048 * Size2
 *      +-+-+-+-+-+-+-+-+
 *      |     Size2     |
 *      +-+-+-+-+-+-+-+-+
 * key frames only:  9d 01 2a | width (14 bits) + scale (2 bits), little-endian | height + scale
 * </pre>
 *
 * @param keyFrame P = 0
 * @param version VER, 0-7
 * @param showFrame H
 * @param firstPartitionSize size of the first partition in bytes (19 bits)
 * @param width key frames: luma width in pixels, else 0
 * @param height key frames: luma height in pixels, else 0
 * @param horizontalScale key frames: 2-bit horizontal scale, else 0
 * @param verticalScale key frames: 2-bit vertical scale, else 0
 */
public record Vp8PayloadHeader(boolean keyFrame, int version, boolean showFrame, int firstPartitionSize, int width,
                               int height, int horizontalScale, int verticalScale) implements PayloadHeader {

    /** RFC 6386 section 9.1: the key frame start code. */
    public static final int START_CODE = 0x9D012A;

    /** Parses the header at {@code data[off, off+len)}: the bytes right after the payload descriptor. */
    public static Vp8PayloadHeader parse(byte[] data, int off, int len) throws ParseException {
        ParseException.requireLength("VP8 payload header", len, 3);
        int b0 = data[off] & 0xFF;
        boolean key = (b0 & 0x01) == 0;
        int version = (b0 >>> 1) & 0x07;
        boolean show = (b0 & 0x10) != 0;
        int size = (b0 >>> 5) + 8 * (data[off + 1] & 0xFF) + 2048 * (data[off + 2] & 0xFF);
        if (!key) {
            return new Vp8PayloadHeader(false, version, show, size, 0, 0, 0, 0);
        }
        ParseException.requireLength("VP8 key frame header", len, 10);
        int start = ((data[off + 3] & 0xFF) << 16) | ((data[off + 4] & 0xFF) << 8) | (data[off + 5] & 0xFF);
        if (start != START_CODE) {
            throw new ParseException(ParseError.INVALID_VALUE, "VP8 key frame start code 0x"
                    + Integer.toHexString(start));
        }
        int w = (data[off + 6] & 0xFF) | ((data[off + 7] & 0xFF) << 8);
        int h = (data[off + 8] & 0xFF) | ((data[off + 9] & 0xFF) << 8);
        return new Vp8PayloadHeader(true, version, show, size, w & 0x3FFF, h & 0x3FFF, w >>> 14, h >>> 14);
    }

    @Override
    public int encodedLength() {
        return keyFrame ? 10 : 3;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) (((firstPartitionSize & 0x07) << 5) | (showFrame ? 0x10 : 0) | ((version & 0x07) << 1)
                | (keyFrame ? 0 : 1)));
        out.put((byte) (firstPartitionSize >>> 3));
        out.put((byte) (firstPartitionSize >>> 11));
        if (keyFrame) {
            out.put((byte) 0x9D).put((byte) 0x01).put((byte) 0x2A);
            int w = (width & 0x3FFF) | (horizontalScale << 14);
            int h = (height & 0x3FFF) | (verticalScale << 14);
            out.put((byte) w).put((byte) (w >>> 8)).put((byte) h).put((byte) (h >>> 8));
        }
    }
}
