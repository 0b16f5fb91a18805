package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A zero-copy view of one RTP packet (RFC 3550 section 5.1) over {@code byte[buf, off, off+len)}: header fields, the
 * CSRC list, the header extension (RFC 8285 one-byte and two-byte forms), payload and padding are read straight from
 * the array. Parsing allocates nothing beyond the view itself, and {@link #wrap} re-points an existing view, so a
 * receive loop can keep one view per thread and allocate nothing per packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   defined by profile (0xBEDE, 0x100X)  |        length        |   (if X, RFC 3550 5.3.1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            payload  ...  | padding | count    |   (if P)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} validates the version, the CSRC list and extension length against the packet, and the padding
 * count; it does not validate the elements inside the extension block: {@link RtpHeaderExtensionCursor} stops at
 * the first malformed element and says so, and the rest of the packet stays usable (as browsers treat it).
 *
 * <p>The setters write header fields in place (for forwarding: rewriting SSRC, sequence number, payload type).
 * A view is not thread-safe and does not own the array: it is valid while the caller keeps the bytes unchanged.
 */
public final class RtpPacket {

    /** RTP version carried in every packet. */
    public static final int VERSION = 2;
    /** Length of the fixed header. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 section 4.2: "defined by profile" value of the one-byte header form. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** RFC 8285 section 4.3: the two-byte form is 0x100 followed by 4 application bits, 0x1000-0x100F. */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private byte[] buf;
    private int off;
    private int len;
    private int headerLength;
    private int paddingLength;
    private int extensionProfile = -1;
    private int extensionOffset;
    private int extensionLength;
    private final RtpHeaderExtensionCursor cursor = new RtpHeaderExtensionCursor();

    /** An empty view; call {@link #wrap} before reading. */
    public RtpPacket() {
    }

    /**
     * Parses the RTP packet in {@code buf[off, off+len)} into a new view.
     *
     * @throws ParseException {@code INVALID_LENGTH} if shorter than its header, {@code INVALID_VALUE} for a version
     *         other than 2, {@code INVALID_PADDING} for a padding count of 0 or longer than the payload
     */
    public static RtpPacket parse(byte[] buf, int off, int len) throws ParseException {
        RtpPacket p = new RtpPacket();
        ParseError e = p.wrap(buf, off, len);
        if (e != null) {
            throw new ParseException(e, p.lastError);
        }
        return p;
    }

    /**
     * Parses the remaining bytes of {@code buffer} (position and limit are not moved). A heap buffer is viewed in
     * place; a direct buffer is copied once.
     */
    public static RtpPacket parse(ByteBuffer buffer) throws ParseException {
        if (buffer.hasArray()) {
            return parse(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return parse(copy, 0, copy.length);
    }

    private String lastError;

    /**
     * Re-points this view at {@code buf[off, off+len)} and validates it.
     *
     * @return null when the packet is well formed, otherwise the reason (and the view is unusable)
     */
    public ParseError wrap(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.extensionProfile = -1;
        this.extensionOffset = 0;
        this.extensionLength = 0;
        this.paddingLength = 0;
        if (len < FIXED_HEADER_LENGTH) {
            return fail(ParseError.INVALID_LENGTH, "RTP packet needs 12 bytes, " + len + " present");
        }
        int b0 = buf[off] & 0xFF;
        if ((b0 >>> 6) != VERSION) {
            return fail(ParseError.INVALID_VALUE, "RTP version " + (b0 >>> 6));
        }
        int h = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if (h > len) {
            return fail(ParseError.INVALID_LENGTH, "RTP CSRC list needs " + h + " bytes, " + len + " present");
        }
        if ((b0 & 0x10) != 0) {
            if (h + 4 > len) {
                return fail(ParseError.INVALID_LENGTH, "RTP extension header truncated");
            }
            extensionProfile = u16(buf, off + h);
            extensionLength = 4 * u16(buf, off + h + 2);
            extensionOffset = off + h + 4;
            h += 4 + extensionLength;
            if (h > len) {
                return fail(ParseError.INVALID_LENGTH, "RTP extension of " + extensionLength + " bytes overruns the packet");
            }
        }
        headerLength = h;
        if ((b0 & 0x20) != 0) {
            int pad = buf[off + len - 1] & 0xFF;
            if (pad == 0 || pad > len - h) {
                return fail(ParseError.INVALID_PADDING, "RTP padding count " + pad + " with " + (len - h)
                        + " bytes after the header");
            }
            paddingLength = pad;
        }
        lastError = null;
        return null;
    }

    private ParseError fail(ParseError e, String message) {
        lastError = message;
        return e;
    }

    /** The message of the last {@link #wrap} failure, or null. */
    public String lastErrorMessage() {
        return lastError;
    }

    // --------------------------------------------------------------------------------------------- fields

    public byte[] buffer() {
        return buf;
    }

    /** Offset of the packet's first byte in {@link #buffer()}. */
    public int offset() {
        return off;
    }

    /** Total packet length, header to padding. */
    public int length() {
        return len;
    }

    public int version() {
        return (buf[off] & 0xFF) >>> 6;
    }

    public boolean hasPadding() {
        return (buf[off] & 0x20) != 0;
    }

    public boolean hasExtension() {
        return (buf[off] & 0x10) != 0;
    }

    public int csrcCount() {
        return buf[off] & 0x0F;
    }

    public boolean marker() {
        return (buf[off + 1] & 0x80) != 0;
    }

    public int payloadType() {
        return buf[off + 1] & 0x7F;
    }

    public int sequenceNumber() {
        return u16(buf, off + 2);
    }

    /** The 32-bit RTP timestamp, unsigned. */
    public long timestamp() {
        return u32(buf, off + 4);
    }

    /** The SSRC, unsigned. */
    public long ssrc() {
        return u32(buf, off + 8);
    }

    /** The i-th CSRC, unsigned. */
    public long csrc(int i) {
        Objects.checkIndex(i, csrcCount());
        return u32(buf, off + FIXED_HEADER_LENGTH + 4 * i);
    }

    /** Header length: fixed header, CSRCs and the extension block. */
    public int headerLength() {
        return headerLength;
    }

    /** Absolute offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + headerLength;
    }

    /** Payload length, padding excluded. */
    public int payloadLength() {
        return len - headerLength - paddingLength;
    }

    /** Padding bytes at the end (the last of which holds this count), 0 without P. */
    public int paddingLength() {
        return paddingLength;
    }

    /** The extension's "defined by profile" field, or -1 without X. */
    public int extensionProfile() {
        return extensionProfile;
    }

    /** Absolute offset of the extension data (after its 4-byte header) in {@link #buffer()}. */
    public int extensionDataOffset() {
        return extensionOffset;
    }

    /** Length of the extension data in bytes (a multiple of 4). */
    public int extensionDataLength() {
        return extensionLength;
    }

    /** Whether the extension block uses RFC 8285's one-byte form (profile 0xBEDE). */
    public boolean hasOneByteExtensions() {
        return extensionProfile == ONE_BYTE_PROFILE;
    }

    /** Whether the extension block uses RFC 8285's two-byte form (profile 0x100X). */
    public boolean hasTwoByteExtensions() {
        return (extensionProfile & 0xFFF0) == TWO_BYTE_PROFILE;
    }

    /**
     * A cursor over the RFC 8285 extension elements, owned by (and reset with) this view: no allocation. Returns
     * a cursor with no elements when the packet has no RFC 8285 extension block.
     */
    public RtpHeaderExtensionCursor extensions() {
        if (hasOneByteExtensions()) {
            cursor.reset(buf, extensionOffset, extensionOffset + extensionLength, false);
        } else if (hasTwoByteExtensions()) {
            cursor.reset(buf, extensionOffset, extensionOffset + extensionLength, true);
        } else {
            cursor.reset(buf, 0, 0, false);
        }
        return cursor;
    }

    /** Absolute offset of the value of extension element {@code id}, or -1 if absent. */
    public int extensionValueOffset(int id) {
        RtpHeaderExtensionCursor c = extensions();
        while (c.next()) {
            if (c.id() == id) {
                return c.valueOffset();
            }
        }
        return -1;
    }

    /** Length of the value of extension element {@code id}, or -1 if absent. */
    public int extensionValueLength(int id) {
        RtpHeaderExtensionCursor c = extensions();
        while (c.next()) {
            if (c.id() == id) {
                return c.valueLength();
            }
        }
        return -1;
    }

    /** The extension elements as records (allocates; for tests, logs and control paths). */
    public List<RtpHeaderExtension> extensionList() {
        List<RtpHeaderExtension> list = new ArrayList<>();
        RtpHeaderExtensionCursor c = extensions();
        while (c.next()) {
            byte[] v = new byte[c.valueLength()];
            System.arraycopy(buf, c.valueOffset(), v, 0, v.length);
            list.add(new RtpHeaderExtension(c.id(), v));
        }
        return list;
    }

    /** A copy of the payload (allocates). */
    public byte[] payloadCopy() {
        byte[] p = new byte[payloadLength()];
        System.arraycopy(buf, payloadOffset(), p, 0, p.length);
        return p;
    }

    // --------------------------------------------------------------------------------------------- in place

    public void setMarker(boolean marker) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x7F) | (marker ? 0x80 : 0));
    }

    public void setPayloadType(int pt) {
        if (pt < 0 || pt > 127) {
            throw new IllegalArgumentException("payload type " + pt);
        }
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | pt);
    }

    public void setSequenceNumber(int seq) {
        buf[off + 2] = (byte) (seq >>> 8);
        buf[off + 3] = (byte) seq;
    }

    public void setTimestamp(long ts) {
        put32(buf, off + 4, ts);
    }

    public void setSsrc(long ssrc) {
        put32(buf, off + 8, ssrc);
    }

    @Override
    public String toString() {
        if (buf == null) {
            return "RtpPacket[unwrapped]";
        }
        return "RtpPacket[pt=" + payloadType() + ", seq=" + sequenceNumber() + ", ts=" + timestamp() + ", ssrc="
                + ssrc() + (marker() ? ", M" : "") + ", csrcs=" + csrcCount() + ", header=" + headerLength
                + ", payload=" + payloadLength() + ", padding=" + paddingLength + "]";
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static void put32(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
