package io.jrtc.signaling.server.internal;

/**
 * A token bucket as a plain value: {@code ratePerSecond} tokens refill continuously up to {@code capacity}.
 * Time comes in as a parameter (nanoseconds from any monotonic source); time going backwards is ignored.
 * Single-threaded: one bucket belongs to one connection and is used on that connection's event loop.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;
    private boolean started;

    public TokenBucket(double ratePerSecond, int capacity) {
        if (!(ratePerSecond > 0) || capacity < 1) {
            throw new IllegalArgumentException("rate and capacity must be positive");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
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
