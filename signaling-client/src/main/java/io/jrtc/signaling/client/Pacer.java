package io.jrtc.signaling.client;

import io.jrtc.common.TokenBucket;

/**
 * The client's own token bucket, set to a safe fraction of the budget the server announces in
 * {@code registered.rate_limit}: 90 % of the sustained rate and half of the burst (the server also counts the
 * {@code register} message and cannot see the client's clock). A plain value: time comes in as a parameter.
 * Confined to the client's event loop.
 */
final class Pacer {

    private final TokenBucket bucket;

    Pacer(double serverRatePerSecond, int serverBurst) {
        int capacity = Math.max(1, serverBurst / 2);
        this.bucket = new TokenBucket(0.9 * serverRatePerSecond, capacity, capacity - 1); // the register message took one
    }

    /** Paced to {@code announced}; without one, to the protocol's historical default (50/s, burst 100). */
    static Pacer of(SignalingMessage.RateLimit announced) {
        return announced == null ? new Pacer(50, 100) : new Pacer(announced.messagesPerSecond(), announced.burst());
    }

    /** Takes one token if there is one at {@code nowNanos}. */
    boolean tryTake(long nowNanos) {
        return bucket.tryTake(nowNanos);
    }

    /** Nanoseconds from {@code nowNanos} until a token is available (0 if one is). */
    long nanosUntilToken(long nowNanos) {
        return bucket.nanosUntilToken(nowNanos);
    }
}
