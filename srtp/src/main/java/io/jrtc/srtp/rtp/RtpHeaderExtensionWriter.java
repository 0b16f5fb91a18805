package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes RFC 8285 header-extension blocks, and adds, replaces or removes one element in an existing RTP packet in
 * place (shifting the payload, which needs tail room when the block grows).
 *
 * <p>Form selection (RFC 8285 section 4.1.1): the one-byte form when every element has an ID of 1-14 and a value of
 * 1-16 bytes, otherwise the two-byte form (profile 0x1000), which needs {@code a=extmap-allow-mixed} or two-byte
 * support negotiated in SDP. The block is zero-padded to a multiple of 4 bytes.
 */
public final class RtpHeaderExtensionWriter {

    private RtpHeaderExtensionWriter() {
    }

    /** Whether {@code elements} need the two-byte form. */
    public static boolean needsTwoByteForm(List<RtpHeaderExtension> elements) {
        for (RtpHeaderExtension e : elements) {
            if (!e.fitsOneByteForm()) {
                return true;
            }
        }
        return false;
    }

    /** Bytes the whole extension (4-byte header plus padded data) takes; 0 for no elements. */
    public static int encodedLength(List<RtpHeaderExtension> elements, boolean twoByte) {
        if (elements.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (RtpHeaderExtension e : elements) {
            n += (twoByte ? 2 : 1) + e.value().length;
        }
        return 4 + ((n + 3) & ~3);
    }

    /** Writes the extension (profile, length, elements, zero padding) at {@code out[off]}; returns bytes written. */
    public static int write(List<RtpHeaderExtension> elements, boolean twoByte, byte[] out, int off) {
        if (elements.isEmpty()) {
            return 0;
        }
        int total = encodedLength(elements, twoByte);
        int profile = twoByte ? RtpPacket.TWO_BYTE_PROFILE : RtpPacket.ONE_BYTE_PROFILE;
        out[off] = (byte) (profile >>> 8);
        out[off + 1] = (byte) profile;
        int words = (total - 4) / 4;
        out[off + 2] = (byte) (words >>> 8);
        out[off + 3] = (byte) words;
        int p = off + 4;
        for (RtpHeaderExtension e : elements) {
            byte[] v = e.value();
            if (twoByte) {
                out[p++] = (byte) e.id();
                out[p++] = (byte) v.length;
            } else {
                if (!e.fitsOneByteForm()) {
                    throw new IllegalArgumentException(e + " does not fit the one-byte form");
                }
                out[p++] = (byte) ((e.id() << 4) | (v.length - 1));
            }
            System.arraycopy(v, 0, out, p, v.length);
            p += v.length;
        }
        while (p < off + total) {
            out[p++] = 0;
        }
        return total;
    }

    /**
     * Sets element {@code id} to {@code value} in the RTP packet at {@code buf[off, off+len)}, adding it or replacing
     * an element with the same ID; other elements keep their order. A packet without an extension gets one; an
     * extension in another profile than RFC 8285's is refused.
     *
     * @param capacityEnd absolute index up to which the packet may grow
     * @return the packet's new length
     * @throws IllegalArgumentException if the packet does not parse, carries a non-RFC 8285 extension, or lacks room
     */
    public static int put(byte[] buf, int off, int len, int capacityEnd, RtpHeaderExtension element) {
        RtpPacket p = parseOwn(buf, off, len);
        List<RtpHeaderExtension> elements = existing(p);
        boolean replaced = false;
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).id() == element.id()) {
                elements.set(i, element);
                replaced = true;
            }
        }
        if (!replaced) {
            elements.add(element);
        }
        boolean twoByte = p.hasTwoByteExtensions() || needsTwoByteForm(elements);
        return rewrite(p, elements, twoByte, capacityEnd);
    }

    /**
     * Removes element {@code id} from the RTP packet at {@code buf[off, off+len)}; drops the whole extension (and the
     * X bit) when it was the last element.
     *
     * @return the packet's new length (unchanged when the element was absent)
     */
    public static int remove(byte[] buf, int off, int len, int id) {
        RtpPacket p = parseOwn(buf, off, len);
        List<RtpHeaderExtension> elements = existing(p);
        if (!elements.removeIf(e -> e.id() == id)) {
            return len;
        }
        return rewrite(p, elements, p.hasTwoByteExtensions(), off + len);
    }

    private static RtpPacket parseOwn(byte[] buf, int off, int len) {
        RtpPacket p = new RtpPacket();
        ParseError e = p.wrap(buf, off, len);
        if (e != null) {
            throw new IllegalArgumentException("not a valid RTP packet: " + p.lastErrorMessage());
        }
        if (p.hasExtension() && !p.hasOneByteExtensions() && !p.hasTwoByteExtensions()) {
            throw new IllegalArgumentException("extension profile 0x" + Integer.toHexString(p.extensionProfile())
                    + " is not RFC 8285");
        }
        return p;
    }

    private static List<RtpHeaderExtension> existing(RtpPacket p) {
        return new ArrayList<>(p.extensionList());
    }

    private static int rewrite(RtpPacket p, List<RtpHeaderExtension> elements, boolean twoByte, int capacityEnd) {
        byte[] buf = p.buffer();
        int off = p.offset();
        int len = p.length();
        int extStart = off + RtpPacket.FIXED_HEADER_LENGTH + 4 * p.csrcCount();
        int oldExt = p.hasExtension() ? 4 + p.extensionDataLength() : 0;
        int newExt = encodedLength(elements, twoByte);
        int delta = newExt - oldExt;
        if (off + len + delta > capacityEnd) {
            throw new IllegalArgumentException("extension needs " + delta + " more bytes, "
                    + (capacityEnd - off - len) + " of room after the packet");
        }
        int tailStart = extStart + oldExt;
        System.arraycopy(buf, tailStart, buf, tailStart + delta, off + len - tailStart);
        write(elements, twoByte, buf, extStart);
        if (newExt == 0) {
            buf[off] &= (byte) ~0x10;
        } else {
            buf[off] |= 0x10;
        }
        return len + delta;
    }
}
