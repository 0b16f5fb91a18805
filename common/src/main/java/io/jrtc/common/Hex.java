package io.jrtc.common;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex helpers for logs and test vectors. */
public final class Hex {

    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    /** Parses hex, ignoring whitespace, so RFC vectors can be pasted as they are printed. */
    public static byte[] decode(String hex) {
        return LOWER.parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String encode(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }

    /** Hex of the remaining bytes of {@code buf}, without moving its position. */
    public static String encode(ByteBuffer buf) {
        byte[] copy = new byte[buf.remaining()];
        buf.duplicate().get(copy);
        return LOWER.formatHex(copy);
    }
}
