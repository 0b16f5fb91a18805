package io.jrtc.srtp.rtp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes RTP packets for senders (RFC 3550 section 5.1, extensions per RFC 8285): header fields, CSRCs, extension
 * elements, payload and optional padding. Reusable: set what changes per packet (sequence number, timestamp,
 * marker, payload) and write again. The payload is referenced, not copied, until {@link #writeTo} copies it once
 * into the output. Not thread-safe.
 *
 * <pre>
 *   RtpPacketBuilder b = new RtpPacketBuilder().payloadType(96).ssrc(ssrc).extension(1, audioLevel);
 *   byte[] packet = b.sequenceNumber(seq).timestamp(ts).payload(frame).build(session.profile().rtpTrailerLength());
 * </pre>
 */
public final class RtpPacketBuilder {

    private int payloadType;
    private boolean marker;
    private int sequenceNumber;
    private long timestamp;
    private long ssrc;
    private long[] csrcs = new long[0];
    private final List<RtpHeaderExtension> extensions = new ArrayList<>();
    private boolean forceTwoByte;
    private int padding;
    private byte[] payload = new byte[0];
    private int payloadOffset;
    private int payloadLength;

    public RtpPacketBuilder payloadType(int pt) {
        if (pt < 0 || pt > 127) {
            throw new IllegalArgumentException("payload type " + pt + " outside 0-127");
        }
        this.payloadType = pt;
        return this;
    }

    public RtpPacketBuilder marker(boolean marker) {
        this.marker = marker;
        return this;
    }

    public RtpPacketBuilder sequenceNumber(int seq) {
        this.sequenceNumber = seq & 0xFFFF;
        return this;
    }

    public RtpPacketBuilder timestamp(long ts) {
        this.timestamp = ts & 0xFFFF_FFFFL;
        return this;
    }

    public RtpPacketBuilder ssrc(long ssrc) {
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        return this;
    }

    /** Up to 15 contributing sources. */
    public RtpPacketBuilder csrcs(long... csrcs) {
        if (csrcs.length > 15) {
            throw new IllegalArgumentException("at most 15 CSRCs, got " + csrcs.length);
        }
        this.csrcs = csrcs.clone();
        return this;
    }

    /** Adds or replaces extension element {@code id}. */
    public RtpPacketBuilder extension(int id, byte[] value) {
        RtpHeaderExtension e = new RtpHeaderExtension(id, value);
        extensions.removeIf(x -> x.id() == id);
        extensions.add(e);
        return this;
    }

    public RtpPacketBuilder clearExtensions() {
        extensions.clear();
        return this;
    }

    /** Always use the two-byte extension form, even when every element would fit the one-byte form. */
    public RtpPacketBuilder twoByteExtensions(boolean force) {
        this.forceTwoByte = force;
        return this;
    }

    /** Padding bytes to append (0 for none, else 1-255; the last one holds the count). */
    public RtpPacketBuilder padding(int bytes) {
        if (bytes < 0 || bytes > 255) {
            throw new IllegalArgumentException("padding " + bytes + " outside 0-255");
        }
        this.padding = bytes;
        return this;
    }

    public RtpPacketBuilder payload(byte[] payload) {
        return payload(payload, 0, payload.length);
    }

    public RtpPacketBuilder payload(byte[] payload, int off, int len) {
        Objects.checkFromIndexSize(off, len, payload.length);
        this.payload = payload;
        this.payloadOffset = off;
        this.payloadLength = len;
        return this;
    }

    private boolean twoByte() {
        return forceTwoByte || RtpHeaderExtensionWriter.needsTwoByteForm(extensions);
    }

    /** Header length for the current settings. */
    public int headerLength() {
        return RtpPacket.FIXED_HEADER_LENGTH + 4 * csrcs.length + RtpHeaderExtensionWriter.encodedLength(extensions, twoByte());
    }

    /** Total packet length for the current settings. */
    public int encodedLength() {
        return headerLength() + payloadLength + padding;
    }

    /** Writes the packet at {@code out[off]}; returns its length. */
    public int writeTo(byte[] out, int off) {
        int total = encodedLength();
        Objects.checkFromIndexSize(off, total, out.length);
        boolean hasExt = !extensions.isEmpty();
        out[off] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | (hasExt ? 0x10 : 0) | csrcs.length);
        out[off + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        out[off + 2] = (byte) (sequenceNumber >>> 8);
        out[off + 3] = (byte) sequenceNumber;
        RtpPacket.put32(out, off + 4, timestamp);
        RtpPacket.put32(out, off + 8, ssrc);
        int p = off + RtpPacket.FIXED_HEADER_LENGTH;
        for (long c : csrcs) {
            RtpPacket.put32(out, p, c);
            p += 4;
        }
        p += RtpHeaderExtensionWriter.write(extensions, twoByte(), out, p);
        System.arraycopy(payload, payloadOffset, out, p, payloadLength);
        p += payloadLength;
        if (padding > 0) {
            for (int i = 0; i < padding - 1; i++) {
                out[p++] = 0;
            }
            out[p++] = (byte) padding;
        }
        return total;
    }

    /** Writes the packet at the buffer's position, advancing it. */
    public int writeTo(ByteBuffer out) {
        int total = encodedLength();
        if (out.hasArray()) {
            writeTo(out.array(), out.arrayOffset() + out.position());
            out.position(out.position() + total);
        } else {
            byte[] tmp = new byte[total];
            writeTo(tmp, 0);
            out.put(tmp);
        }
        return total;
    }

    /**
     * A new array holding the packet followed by {@code tailRoom} spare bytes, ready for
     * {@code SrtpSession.protectRtp(array, 0, array.length - tailRoom)}.
     */
    public byte[] build(int tailRoom) {
        byte[] out = new byte[encodedLength() + tailRoom];
        writeTo(out, 0);
        return out;
    }
}
