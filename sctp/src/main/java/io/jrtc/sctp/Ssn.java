package io.jrtc.sctp;

/**
 * A Stream Sequence Number (RFC 9260 §3.3.1): 16 bits on the wire, ordered by serial-number arithmetic (RFC 1982,
 * SERIAL_BITS = 16), so {@code 0} comes after {@code 65535}.
 *
 * <p>As with {@link Tsn}, the data path keeps SSNs as primitive {@code int}s (one per chunk and per message) and uses
 * the static helpers; the record is for code that reads better with a type.
 *
 * @param value the unsigned 16-bit wire value
 */
public record Ssn(int value) implements Comparable<Ssn> {

    /** Number of values: 2^16. */
    public static final int MODULUS = 1 << 16;

    public Ssn {
        if (value < 0 || value >= MODULUS) {
            throw new IllegalArgumentException("SSN out of 16-bit range: " + value);
        }
    }

    public static Ssn of(int value) {
        return new Ssn(value);
    }

    /** This SSN plus {@code n}, wrapping at 2^16. */
    public Ssn plus(int n) {
        return new Ssn(add(value, n));
    }

    /** The SSN after this one. */
    public Ssn next() {
        return plus(1);
    }

    public boolean isBefore(Ssn other) {
        return isBefore(value, other.value);
    }

    public boolean isAfter(Ssn other) {
        return isBefore(other.value, value);
    }

    /** Serial order; values exactly 2^15 apart compare as 0 (RFC 1982 leaves them undefined). */
    @Override
    public int compareTo(Ssn other) {
        return isBefore(value, other.value) ? -1 : isBefore(other.value, value) ? 1 : 0;
    }

    @Override
    public String toString() {
        return "SSN " + value;
    }

    // ------------------------------------------------------------------ serial arithmetic on primitives

    /** RFC 1982 §3.2 on two wire values: true when {@code a} precedes {@code b} (distance in (0, 2^15)). */
    public static boolean isBefore(int a, int b) {
        return (short) (b - a) > 0;
    }

    /** {@code a} at or before {@code b} in serial order. */
    public static boolean isAtOrBefore(int a, int b) {
        return ((a ^ b) & 0xFFFF) == 0 || isBefore(a, b);
    }

    /** {@code a + n} modulo 2^16. */
    public static int add(int a, int n) {
        return (a + n) & 0xFFFF;
    }

    /** The signed serial distance from {@code a} to {@code b}: positive when {@code b} is after {@code a}. */
    public static int distance(int a, int b) {
        return (short) (b - a);
    }
}
