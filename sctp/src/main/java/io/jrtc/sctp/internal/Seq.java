package io.jrtc.sctp.internal;

import io.jrtc.sctp.Ssn;
import io.jrtc.sctp.Tsn;

/**
 * Unwrapping of wire sequence numbers into 64-bit values that only grow, so that comparisons are plain
 * {@code long} comparisons and cannot wrap (the technique of dcsctp's {@code UnwrappedSequenceNumber}). A wire
 * value is placed within half the number space of a reference that is already unwrapped; RFC 1982 serial-number
 * arithmetic ({@link Tsn#distance(long, long)}, {@link Ssn#distance(int, int)}) defines the same ordering.
 */
public final class Seq {

    private Seq() {
    }

    /** The unwrapped 32-bit value nearest to {@code reference} whose low 32 bits are {@code wire}. */
    public static long unwrap32(long reference, long wire) {
        return reference + Tsn.distance(reference & 0xFFFF_FFFFL, wire);
    }

    /** The unwrapped 16-bit value nearest to {@code reference} whose low 16 bits are {@code wire}. */
    public static long unwrap16(long reference, int wire) {
        return reference + Ssn.distance((int) (reference & 0xFFFF), wire);
    }

    /** The 32 wire bits of an unwrapped value. */
    public static long wire32(long unwrapped) {
        return unwrapped & 0xFFFF_FFFFL;
    }

    /** The 16 wire bits of an unwrapped value. */
    public static int wire16(long unwrapped) {
        return (int) (unwrapped & 0xFFFF);
    }
}
