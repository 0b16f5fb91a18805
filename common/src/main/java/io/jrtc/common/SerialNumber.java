package io.jrtc.common;

/**
 * Serial-number arithmetic (RFC 1982) for 16- and 32-bit wire counters: comparisons that stay correct when the
 * counter wraps. Values are held unsigned in an {@code int} (16-bit) or a {@code long} (32-bit).
 */
public final class SerialNumber {

    private SerialNumber() {
    }

    /** Compares two 32-bit serial numbers: negative if {@code a} precedes {@code b}, 0 if equal, positive if it follows. */
    public static int compare32(long a, long b) {
        int diff = (int) ((a - b) & 0xFFFF_FFFFL);
        return Integer.signum(diff);
    }

    /** {@code a < b} in 32-bit serial arithmetic. */
    public static boolean lt32(long a, long b) {
        return compare32(a, b) < 0;
    }

    /** {@code a <= b} in 32-bit serial arithmetic. */
    public static boolean le32(long a, long b) {
        return compare32(a, b) <= 0;
    }

    /** {@code a + n} modulo 2^32. */
    public static long add32(long a, long n) {
        return (a + n) & 0xFFFF_FFFFL;
    }

    /** The forward distance from {@code from} to {@code to}, modulo 2^32. */
    public static long distance32(long from, long to) {
        return (to - from) & 0xFFFF_FFFFL;
    }

    /** Compares two 16-bit serial numbers: negative if {@code a} precedes {@code b}. */
    public static int compare16(int a, int b) {
        short diff = (short) ((a - b) & 0xFFFF);
        return Integer.signum(diff);
    }

    /** {@code a < b} in 16-bit serial arithmetic. */
    public static boolean lt16(int a, int b) {
        return compare16(a, b) < 0;
    }

    /** {@code a + n} modulo 2^16. */
    public static int add16(int a, int n) {
        return (a + n) & 0xFFFF;
    }
}
