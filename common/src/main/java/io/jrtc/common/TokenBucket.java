package io.jrtc.common;

/**
 * A token bucket as a plain value: {@code ratePerSecond} tokens refill continuously up to {@code capacity}.
 * Time comes in as a parameter (nanoseconds from any monotonic source); time going backwards is ignored, and the first
 * call only starts the clock. Reads no clock, so protocol cores can use it. Not thread-safe: one bucket belongs to one
 * owner (a connection, a client) and is used on that owner's thread.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;
    private boolean started;

    /** A full bucket. */
    public TokenBucket(double ratePerSecond, int capacity) {
        this(ratePerSecond, capacity, capacity);
    }

    /** A bucket holding {@code initialTokens} (between 0 and {@code capacity}) to start with. */
    public TokenBucket(double ratePerSecond, int capacity, double initialTokens) {
        if (!(ratePerSecond > 0) || capacity < 1) {
            throw new IllegalArgumentException("rate and capacity must be positive");
        }
        if (!(initialTokens >= 0) || initialTokens > capacity) {
            throw new IllegalArgumentException("initial tokens must be between 0 and the capacity");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = capacity;
        this.tokens = initialTokens;
    }

    /** Takes one token if available at {@code nowNanos}; returns whether it did. */
    public boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Nanoseconds from {@code nowNanos} until a token is available (0 if one is). */
    public long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1.0 ? 0 : (long) Math.ceil((1.0 - tokens) / ratePerNano);
    }

    /** Tokens available at the last observed time, for tests and diagnostics. */
    public double available() {
        return tokens;
    }

    private void refill(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return; // time going backwards (or standing still) is ignored
        }
        lastNanos = nowNanos;
        tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
    }
}
