package io.jrtc.srtp.rtp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One RFC 8285 header-extension element: a local identifier negotiated with {@code a=extmap} and its value. Used by
 * {@link RtpPacketBuilder} and {@link RtpHeaderExtensionWriter}; receivers iterate in place with
 * {@link RtpHeaderExtensionCursor} instead.
 *
 * @param id 1-255 (the one-byte form carries 1-14)
 * @param value 0-255 bytes (the one-byte form carries 1-16)
 */
public record RtpHeaderExtension(int id, byte[] value) {

    public RtpHeaderExtension {
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("extension id " + id + " outside 1-255");
        }
        if (value.length > 255) {
            throw new IllegalArgumentException("extension value of " + value.length + " bytes exceeds 255");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Whether the one-byte form can carry this element. */
    public boolean fitsOneByteForm() {
        return id <= 14 && value.length >= 1 && value.length <= 16;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpHeaderExtension e && e.id == id && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RtpHeaderExtension[id=" + id + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
