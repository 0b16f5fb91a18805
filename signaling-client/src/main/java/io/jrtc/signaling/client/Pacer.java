package io.jrtc.signaling.client;

/**
 * The client's own token bucket, set to a safe fraction of the budget the server announces in
 * {@code registered.rate_limit}: 90 % of the sustained rate and half of the burst (the server also counts the
 * {@code register} message and cannot see the client's clock). A plain value: time comes in as a parameter.
 * Confined to the client's event loop.
 */
final class Pacer {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;
    private boolean started;

    Pacer(double serverRatePerSecond, int serverBurst) {
        this.ratePerNano = 0.9 * serverRatePerSecond / 1e9;
        this.capacity = Math.max(1, serverBurst / 2);
        this.tokens = capacity - 1; // the register message took one
    }

    /** Paced to {@code announced}; without one, to the protocol's historical default (50/s, burst 100). */
    static Pacer of(SignalingMessage.RateLimit announced) {
        return announced == null ? new Pacer(50, 100) : new Pacer(announced.messagesPerSecond(), announced.burst());
    }

    /** Takes one token if there is one at {@code nowNanos}. */
    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds from {@code nowNanos} until a token is available (0 if one is). */
    long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / ratePerNano);
    }

    private void refill(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            lastNanos = nowNanos;
            tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
        }
    }
}
