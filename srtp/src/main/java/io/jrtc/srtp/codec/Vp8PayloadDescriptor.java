package io.jrtc.srtp.codec;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * The VP8 payload descriptor that starts every VP8 RTP payload (RFC 7741 section 4.2).
 *
 * <pre>
 *        0 1 2 3 4 5 6 7
 *       +-+-+-+-+-+-+-+-+
 *       |X|R|N|S|R| PID | (REQUIRED)
 *       +-+-+-+-+-+-+-+-+
 *  X:   |I|L|T|K| RSV   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *  I:   |M| PictureID   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *       |   PictureID   | (present when M = 1: 15-bit PictureID)
 *       +-+-+-+-+-+-+-+-+
 *  L:   |   TL0PICIDX   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *  T/K: |TID|Y| KEYIDX  | (OPTIONAL, present when T or K)
 *       +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param extended X: the extension octet is present
 * @param nonReference N: the frame can be discarded without affecting others
 * @param startOfPartition S: the payload starts a VP8 partition
 * @param partitionIndex PID, 0-7
 * @param pictureId PictureID (7 or 15 bits), or -1 when absent
 * @param longPictureId whether PictureID uses 15 bits (M = 1)
 * @param tl0PicIdx TL0PICIDX, or -1 when absent
 * @param temporalLayer TID, or -1 when absent
 * @param layerSync Y (meaningful with TID)
 * @param keyIndex KEYIDX, or -1 when absent
 */
public record Vp8PayloadDescriptor(boolean extended, boolean nonReference, boolean startOfPartition,
                                   int partitionIndex, int pictureId, boolean longPictureId, int tl0PicIdx,
                                   int temporalLayer, boolean layerSync, int keyIndex) implements PayloadHeader {

    public Vp8PayloadDescriptor {
        if (partitionIndex < 0 || partitionIndex > 7) {
            throw new IllegalArgumentException("PID " + partitionIndex);
        }
        if (pictureId > (longPictureId ? 0x7FFF : 0x7F) || tl0PicIdx > 0xFF || temporalLayer > 3 || keyIndex > 31) {
            throw new IllegalArgumentException("descriptor field out of range");
        }
        boolean needsX = pictureId >= 0 || tl0PicIdx >= 0 || temporalLayer >= 0 || keyIndex >= 0;
        if (needsX && !extended) {
            throw new IllegalArgumentException("optional fields need X");
        }
    }

    /** Parses the descriptor at the start of {@code payload[off, off+len)}. */
    public static Vp8PayloadDescriptor parse(byte[] payload, int off, int len) throws ParseException {
        ParseException.requireLength("VP8 payload descriptor", len, 1);
        int b0 = payload[off] & 0xFF;
        boolean x = (b0 & 0x80) != 0;
        boolean n = (b0 & 0x20) != 0;
        boolean s = (b0 & 0x10) != 0;
        int pid = b0 & 0x07;
        int p = 1;
        int pictureId = -1;
        boolean m = false;
        int tl0 = -1;
        int tid = -1;
        boolean y = false;
        int keyIdx = -1;
        if (x) {
            ParseException.requireLength("VP8 extension octet", len, p + 1);
            int ext = payload[off + p++] & 0xFF;
            boolean i = (ext & 0x80) != 0;
            boolean l = (ext & 0x40) != 0;
            boolean t = (ext & 0x20) != 0;
            boolean k = (ext & 0x10) != 0;
            if (i) {
                ParseException.requireLength("VP8 PictureID", len, p + 1);
                int pic = payload[off + p++] & 0xFF;
                m = (pic & 0x80) != 0;
                if (m) {
                    ParseException.requireLength("VP8 15-bit PictureID", len, p + 1);
                    pictureId = ((pic & 0x7F) << 8) | (payload[off + p++] & 0xFF);
                } else {
                    pictureId = pic & 0x7F;
                }
            }
            if (l) {
                ParseException.requireLength("VP8 TL0PICIDX", len, p + 1);
                tl0 = payload[off + p++] & 0xFF;
            }
            if (t || k) {
                ParseException.requireLength("VP8 TID/KEYIDX", len, p + 1);
                int tk = payload[off + p++] & 0xFF;
                if (t) {
                    tid = tk >>> 6;
                    y = (tk & 0x20) != 0;
                }
                if (k) {
                    keyIdx = tk & 0x1F;
                }
            }
        }
        return new Vp8PayloadDescriptor(x, n, s, pid, pictureId, m, tl0, tid, y, keyIdx);
    }

    public static Vp8PayloadDescriptor parse(ByteBuffer b) throws ParseException {
        byte[] copy = new byte[Math.min(b.remaining(), 6)];
        b.duplicate().get(copy);
        Vp8PayloadDescriptor d = parse(copy, 0, copy.length);
        b.position(b.position() + d.encodedLength());
        return d;
    }

    /** Whether this payload starts a frame: S = 1 and PID = 0 (RFC 7741 section 4.2). */
    public boolean startsFrame() {
        return startOfPartition && partitionIndex == 0;
    }

    @Override
    public int encodedLength() {
        int n = 1;
        if (extended) {
            n++;
            if (pictureId >= 0) {
                n += longPictureId ? 2 : 1;
            }
            if (tl0PicIdx >= 0) {
                n++;
            }
            if (temporalLayer >= 0 || keyIndex >= 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) ((extended ? 0x80 : 0) | (nonReference ? 0x20 : 0) | (startOfPartition ? 0x10 : 0)
                | partitionIndex));
        if (!extended) {
            return;
        }
        out.put((byte) ((pictureId >= 0 ? 0x80 : 0) | (tl0PicIdx >= 0 ? 0x40 : 0) | (temporalLayer >= 0 ? 0x20 : 0)
                | (keyIndex >= 0 ? 0x10 : 0)));
        if (pictureId >= 0) {
            if (longPictureId) {
                out.put((byte) (0x80 | (pictureId >>> 8)));
                out.put((byte) pictureId);
            } else {
                out.put((byte) pictureId);
            }
        }
        if (tl0PicIdx >= 0) {
            out.put((byte) tl0PicIdx);
        }
        if (temporalLayer >= 0 || keyIndex >= 0) {
            out.put((byte) ((Math.max(temporalLayer, 0) << 6) | (layerSync ? 0x20 : 0) | Math.max(keyIndex, 0)));
        }
    }

    /**
     * Whether an RTP payload carries the start of a VP8 key frame: descriptor with S = 1 and PID = 0, followed by a
     * VP8 payload header whose P bit is 0 (RFC 7741 section 4.3). Never throws: malformed payloads are not key frames.
     */
    public static boolean isKeyFrameStart(byte[] payload, int off, int len) {
        try {
            Vp8PayloadDescriptor d = parse(payload, off, len);
            int h = d.encodedLength();
            return d.startsFrame() && len > h && (payload[off + h] & 0x01) == 0;
        } catch (ParseException e) {
            return false;
        }
    }
}
