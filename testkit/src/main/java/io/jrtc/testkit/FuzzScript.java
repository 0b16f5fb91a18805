package io.jrtc.testkit;

/**
 * A fuzzer's input read as a script of choices, for stateful fuzz targets that drive a core step by step: each call
 * takes the next byte (modulo a bound); once the input is exhausted every choice is 0. Not thread-safe.
 */
public final class FuzzScript {

    private final byte[] b;
    private int pos;

    public FuzzScript(byte[] input) {
        this.b = input;
    }

    /** Whether unread input remains. */
    public boolean more() {
        return pos < b.length;
    }

    /** The next choice in {@code [0, bound)}; 0 once the input is exhausted. */
    public int next(int bound) {
        if (pos >= b.length) {
            return 0;
        }
        return (b[pos++] & 0xFF) % bound;
    }

    /** The next two choices as an unsigned 16-bit value, big-endian. */
    public int next16() {
        return (next(256) << 8) | next(256);
    }
}
