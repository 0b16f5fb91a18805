package io.jrtc.srtp.rtp;

/**
 * Iterates the elements of an RFC 8285 header-extension block in place, with no allocation. Obtain one from
 * {@link RtpPacket#extensions()}.
 *
 * <pre>
 * One-byte form (profile 0xBEDE), RFC 8285 section 4.2:     Two-byte form (profile 0x100X), section 4.3:
 *  0 1 2 3 4 5 6 7                                           0                   1
 * +-+-+-+-+-+-+-+-+                                          0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 * |  ID   |  len  |  data (len+1 bytes) ...                 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * +-+-+-+-+-+-+-+-+                                         |       ID      |     length    | data (length bytes)
 *                                                           +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Zero bytes between elements are padding and are skipped. In the one-byte form ID 15 stops processing (section
 * 4.2). An element whose length runs past the block, or a one-byte element with the padding ID 0 and a non-zero
 * length, stops iteration and sets {@link #malformed()}.
 */
public final class RtpHeaderExtensionCursor {

    private byte[] buf;
    private int pos;
    private int end;
    private boolean twoByte;
    private int id;
    private int valueOffset;
    private int valueLength;
    private boolean malformed;

    void reset(byte[] buf, int start, int end, boolean twoByte) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.twoByte = twoByte;
        this.id = 0;
        this.valueOffset = 0;
        this.valueLength = 0;
        this.malformed = false;
    }

    /** Advances to the next element. Returns false at the end of the block, at ID 15, or at a malformed element. */
    public boolean next() {
        while (pos < end) {
            int b = buf[pos] & 0xFF;
            if (b == 0) {
                pos++;
                continue;
            }
            if (twoByte) {
                if (pos + 2 > end) {
                    return stop(true);
                }
                int l = buf[pos + 1] & 0xFF;
                if (pos + 2 + l > end) {
                    return stop(true);
                }
                id = b;
                valueOffset = pos + 2;
                valueLength = l;
                pos += 2 + l;
                return true;
            }
            int elementId = b >>> 4;
            if (elementId == 15) {
                return stop(false);
            }
            if (elementId == 0) {
                // ID 0 is reserved for padding, which is a whole zero byte (RFC 8285 section 4.2).
                return stop(true);
            }
            int l = (b & 0x0F) + 1;
            if (pos + 1 + l > end) {
                return stop(true);
            }
            id = elementId;
            valueOffset = pos + 1;
            valueLength = l;
            pos += 1 + l;
            return true;
        }
        return false;
    }

    private boolean stop(boolean bad) {
        malformed = bad;
        pos = end;
        return false;
    }

    /** The current element's local identifier (1-14 one-byte, 1-255 two-byte). */
    public int id() {
        return id;
    }

    /** Absolute offset of the current element's value in the packet's array. */
    public int valueOffset() {
        return valueOffset;
    }

    /** Length of the current element's value (1-16 one-byte, 0-255 two-byte). */
    public int valueLength() {
        return valueLength;
    }

    /** Whether iteration stopped at an element that overran the block. */
    public boolean malformed() {
        return malformed;
    }
}
