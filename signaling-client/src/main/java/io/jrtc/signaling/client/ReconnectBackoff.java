package io.jrtc.signaling.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for reconnection, as a plain value (time comes in as a parameter).
 *
 * <p>The n-th consecutive attempt (n = 0, 1, …) waits {@code base(n) * (1 - jitter * r)} with
 * {@code base(n) = min(max, initial * multiplier^n)} and {@code r} uniform in [0, 1). With the defaults
 * (1 s, ×2, 30 s cap, jitter 0.2) the bases are 1, 2, 4, 8, 16, 30, 30, … seconds and each delay lies in
 * (0.8·base, base]. A connection that stayed registered for at least {@code stableAfter} (default 10 s)
 * resets the schedule, so the next reconnect starts at 1 s again.
 *
 * <p>Single-threaded: the client uses it on its event loop only.
 */
public final class ReconnectBackoff {

    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final double DEFAULT_JITTER = 0.2;
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(10);

    private final long initialNanos;
    private final long maxNanos;
    private final double multiplier;
    private final double jitter;
    private final long stableNanos;
    private final RandomGenerator random;
    private int attempt;
    private long registeredAt;
    private boolean registered;

    public ReconnectBackoff(Duration initial, Duration max, double multiplier, double jitter, Duration stableAfter,
            RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
        if (!(multiplier >= 1.0) || !(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter < 1");
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.stableNanos = stableAfter.toNanos();
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The defaults: 1 s doubling to 30 s, jitter 0.2, reset after 10 s registered. */
    public static ReconnectBackoff defaults(RandomGenerator random) {
        return new ReconnectBackoff(DEFAULT_INITIAL, DEFAULT_MAX, DEFAULT_MULTIPLIER, DEFAULT_JITTER,
                DEFAULT_STABLE_AFTER, random);
    }

    /** The base (un-jittered) delay of the next attempt. */
    public Duration nextBase() {
        double base = initialNanos * Math.pow(multiplier, Math.min(attempt, 64));
        return Duration.ofNanos((long) Math.min(maxNanos, base));
    }

    /** The delay before the next attempt; advances the schedule. */
    public Duration nextDelay() {
        long base = nextBase().toNanos();
        attempt++;
        return Duration.ofNanos(Math.max(1, (long) (base * (1.0 - jitter * random.nextDouble()))));
    }

    /** Consecutive attempts since the last reset. */
    public int attempts() {
        return attempt;
    }

    /** Starts over at the initial delay. */
    public void reset() {
        attempt = 0;
    }

    /** A registration succeeded at {@code nowNanos}. */
    public void registered(long nowNanos) {
        registered = true;
        registeredAt = nowNanos;
    }

    /**
     * The connection was lost (or an attempt failed) at {@code nowNanos}: resets the schedule if it had been
     * registered for at least {@code stableAfter}, then returns the delay before the next attempt.
     */
    public Duration disconnected(long nowNanos) {
        if (registered && nowNanos - registeredAt >= stableNanos) {
            reset();
        }
        registered = false;
        return nextDelay();
    }
}
