package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RTCP compound packets (RFC 3550 section 6.1): several RTCP packets back to back in one datagram.
 *
 * <p>Two ways in. {@link Cursor} walks the packets in place and reads each one's common header (type, count,
 * offset, length, and the first SSRC) without allocating, so a receiver can route or count without decoding;
 * {@link Cursor#decode()} then turns the current packet into its record when the caller wants the fields.
 * {@link #parse} decodes everything at once.
 *
 * <p>Validation follows RFC 3550 appendix A.2, minus the rule that the first packet be SR or RR: WebRTC allows
 * reduced-size RTCP (RFC 5506), where a compound may be a single feedback message. Every packet must be version 2
 * and fit; only the last may carry padding.
 */
public final class RtcpCompound {

    private RtcpCompound() {
    }

    /**
     * A reusable, allocation-free walk over the packets of a compound. Not thread-safe.
     *
     * <pre>
     *   RtcpCompound.Cursor c = new RtcpCompound.Cursor();   // keep one per event loop
     *   c.reset(buf, off, len);
     *   while (c.next()) { switch (c.packetType()) { ... } }
     *   if (c.error() != null) { count it }
     * </pre>
     */
    public static final class Cursor {
        private byte[] buf;
        private int pos;
        private int end;
        private int offset;
        private int length;
        private int packetType;
        private int count;
        private int paddingLength;
        private ParseError error;
        private String errorMessage;

        public Cursor reset(byte[] buf, int off, int len) {
            Objects.checkFromIndexSize(off, len, buf.length);
            this.buf = buf;
            this.pos = off;
            this.end = off + len;
            this.error = null;
            this.errorMessage = null;
            this.offset = off;
            this.length = 0;
            this.paddingLength = 0;
            if (len == 0) {
                fail(ParseError.INVALID_LENGTH, "empty RTCP compound packet");
            }
            return this;
        }

        /** Advances to the next packet; false at the end or at a malformed packet ({@link #error()} then says why). */
        public boolean next() {
            if (error != null || pos >= end) {
                return false;
            }
            if (paddingLength > 0) {
                return fail(ParseError.INVALID_PADDING, "only the last RTCP packet of a compound may be padded");
            }
            if (end - pos < 4) {
                return fail(ParseError.INVALID_LENGTH, "RTCP header truncated: " + (end - pos) + " bytes left");
            }
            int b0 = buf[pos] & 0xFF;
            if ((b0 >>> 6) != 2) {
                return fail(ParseError.INVALID_VALUE, "RTCP version " + (b0 >>> 6));
            }
            int total = 4 * ((((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF)) + 1);
            if (total > end - pos) {
                return fail(ParseError.INVALID_LENGTH, "RTCP packet of " + total + " bytes with " + (end - pos)
                        + " left");
            }
            int pad = 0;
            if ((b0 & 0x20) != 0) {
                pad = buf[pos + total - 1] & 0xFF;
                if (pad == 0 || pad > total - 4) {
                    return fail(ParseError.INVALID_PADDING, "RTCP padding count " + pad);
                }
            }
            offset = pos;
            length = total;
            packetType = buf[pos + 1] & 0xFF;
            count = b0 & 0x1F;
            paddingLength = pad;
            pos += total;
            return true;
        }

        private boolean fail(ParseError e, String message) {
            error = e;
            errorMessage = message;
            pos = end;
            return false;
        }

        /** PT of the current packet. */
        public int packetType() {
            return packetType;
        }

        /** RC/SC/FMT of the current packet. */
        public int count() {
            return count;
        }

        /** Absolute offset of the current packet in the array. */
        public int offset() {
            return offset;
        }

        /** Length of the current packet in bytes, padding included. */
        public int length() {
            return length;
        }

        /** Trailing padding of the current packet. */
        public int paddingLength() {
            return paddingLength;
        }

        /**
         * The first SSRC after the header (the sender's for SR, RR, BYE, feedback; the first chunk's for SDES), or -1
         * if the packet is too short to have one.
         */
        public long firstSsrc() {
            return length >= 8 ? RtpPacket.u32(buf, offset + 4) : -1;
        }

        /** Why iteration stopped early, or null when it reached the end cleanly. */
        public ParseError error() {
            return error;
        }

        public String errorMessage() {
            return errorMessage;
        }

        /** Decodes the current packet into its record (allocates). */
        public RtcpPacket decode() throws ParseException {
            return RtcpPacket.parse(ByteBuffer.wrap(buf, offset, length).slice());
        }
    }

    /**
     * Decodes every packet of the compound in {@code buf[off, off+len)}.
     *
     * @throws ParseException at the first malformed packet
     */
    public static List<RtcpPacket> parse(byte[] buf, int off, int len) throws ParseException {
        Cursor c = new Cursor().reset(buf, off, len);
        List<RtcpPacket> packets = new ArrayList<>(4);
        while (c.next()) {
            packets.add(c.decode());
        }
        if (c.error() != null) {
            throw new ParseException(c.error(), c.errorMessage());
        }
        return packets;
    }

    /** Decodes every packet in the buffer's remaining bytes, advancing its position to the limit. */
    public static List<RtcpPacket> parse(ByteBuffer b) throws ParseException {
        byte[] bytes;
        int off;
        int len = b.remaining();
        if (b.hasArray()) {
            bytes = b.array();
            off = b.arrayOffset() + b.position();
        } else {
            bytes = new byte[len];
            b.duplicate().get(bytes);
            off = 0;
        }
        List<RtcpPacket> packets = parse(bytes, off, len);
        b.position(b.limit());
        return packets;
    }

    /** Bytes of the compound made of {@code packets}. */
    public static int encodedLength(List<? extends RtcpPacket> packets) {
        int n = 0;
        for (RtcpPacket p : packets) {
            n += p.encodedLength();
        }
        return n;
    }

    /** Writes the packets back to back at the buffer's position. */
    public static void writeTo(List<? extends RtcpPacket> packets, ByteBuffer out) {
        for (RtcpPacket p : packets) {
            p.writeTo(out);
        }
    }

    /**
     * A new array holding the compound followed by {@code tailRoom} spare bytes, ready for
     * {@code SrtpSession.protectRtcp(array, 0, array.length - tailRoom)}.
     */
    public static byte[] encode(List<? extends RtcpPacket> packets, int tailRoom) {
        int n = encodedLength(packets);
        byte[] out = new byte[n + tailRoom];
        writeTo(packets, ByteBuffer.wrap(out, 0, n));
        return out;
    }
}
