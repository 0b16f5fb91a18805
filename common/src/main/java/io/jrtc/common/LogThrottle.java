package io.jrtc.common;

/**
 * Keeps a repeated log line from amplifying an attack: counts the occurrences of one cause and says which to log.
 * The first three are logged, then the 10th, 100th, 1,000th and so on, each with the running count, so a
 * million occurrences cost about nine lines. Counting, not timing: it reads no clock, so protocol cores can use it.
 * Not thread-safe: one instance per cause, used on the thread that owns the state it describes.
 */
public final class LogThrottle {

    private long count;

    /** Counts one occurrence; returns whether this one should be logged (at its usual level, with {@link #count()}). */
    public boolean next() {
        long n = ++count;
        if (n <= 3) {
            return true;
        }
        while (n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    /** Occurrences so far. */
    public long count() {
        return count;
    }
}
