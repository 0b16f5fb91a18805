package io.jrtc.mesh.internal.edge;

import java.time.Instant;

/**
 * The offset from {@code System.nanoTime()} to wall time (nanoseconds since the epoch), read once per JVM with the
 * wall clock's full precision ({@link Instant#now()}: microseconds on Linux). Every agent of a JVM shares it, so two
 * agents in one process agree on envelope origination times exactly; each agent reading
 * {@code currentTimeMillis()} itself made their clocks differ by up to a millisecond, and a delivery faster than
 * that between two of them was counted as clock skew.
 */
final class WallClock {

    static final long OFFSET_NANOS;

    static {
        long before = System.nanoTime();
        Instant now = Instant.now();
        long after = System.nanoTime();
        OFFSET_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (before + (after - before) / 2);
    }

    private WallClock() {
    }
}
