package io.jrtc.sctp;

/**
 * A Transmission Sequence Number (RFC 9260 §3.3.1): 32 bits on the wire, ordered by serial-number arithmetic
 * (RFC 1982, SERIAL_BITS = 32), so {@code 0} comes after {@code 0xFFFFFFFF}.
 *
 * <p>The data path itself keeps TSNs as primitive {@code long}s, unwrapped to 64 bits against the cumulative ack point
 * (see the module README, "Value types and the hot path"): it handles one TSN per chunk, and a wrapper per chunk would
 * cost allocation. The static helpers here ({@link #isBefore(long, long)}, {@link #add(long, long)},
 * {@link #distance(long, long)}) are the serial arithmetic for those primitives; the record is for code that reads
 * better with a type (tests, logs, control paths).
 *
 * @param value the unsigned 32-bit wire value
 */
public record Tsn(long value) implements Comparable<Tsn> {

    /** Number of values: 2^32. */
    public static final long MODULUS = 1L << 32;

    public Tsn {
        if (value < 0 || value >= MODULUS) {
            throw new IllegalArgumentException("TSN out of 32-bit range: " + value);
        }
    }

    public static Tsn of(long value) {
        return new Tsn(value);
    }

    /** This TSN plus {@code n} (RFC 1982 §3.1 addition, wrapping at 2^32; {@code n} below 2^31). */
    public Tsn plus(long n) {
        return new Tsn(add(value, n));
    }

    /** The TSN after this one. */
    public Tsn next() {
        return plus(1);
    }

    /** RFC 1982 §3.2: whether this TSN comes before {@code other}. */
    public boolean isBefore(Tsn other) {
        return isBefore(value, other.value);
    }

    /** RFC 1982 §3.2: whether this TSN comes after {@code other}. */
    public boolean isAfter(Tsn other) {
        return isBefore(other.value, value);
    }

    /**
     * Serial order. RFC 1982 leaves the order of two values exactly 2^31 apart undefined; here they compare as
     * equal-ranked (0), so do not sort sets that span half the number space.
     */
    @Override
    public int compareTo(Tsn other) {
        return isBefore(value, other.value) ? -1 : isBefore(other.value, value) ? 1 : 0;
    }

    @Override
    public String toString() {
        return "TSN " + value;
    }

    // ------------------------------------------------------------------ serial arithmetic on primitives

    /** RFC 1982 §3.2 on two wire values: true when {@code a} precedes {@code b} (distance in (0, 2^31)). */
    public static boolean isBefore(long a, long b) {
        return (int) (b - a) > 0;
    }

    /** {@code a} at or before {@code b} in serial order. */
    public static boolean isAtOrBefore(long a, long b) {
        return a == b || isBefore(a, b);
    }

    /** RFC 1982 §3.1: {@code a + n} modulo 2^32. */
    public static long add(long a, long n) {
        return (a + n) & 0xFFFF_FFFFL;
    }

    /** The signed serial distance from {@code a} to {@code b}: positive when {@code b} is after {@code a}. */
    public static int distance(long a, long b) {
        return (int) (b - a);
    }
}
