package io.jrtc.common;

import java.util.Objects;

/**
 * A protocol timer as a plain value: it holds a deadline and a backoff policy, and never schedules anything.
 * The core asks it whether it {@link #expired(long) expired} and folds its {@link #deadline()} into
 * {@code pollTimeout()}.
 *
 * <p>Backoff: each {@link #restartAfterExpiry(long)} doubles the duration (capped at {@code maxDuration}) when
 * the policy is {@link Backoff#EXPONENTIAL}. After {@code maxRestarts} consecutive restarts without a
 * {@link #start(long, long) fresh start}, {@link #restartAfterExpiry(long)} returns false and the timer stops:
 * the caller treats that as "retries exhausted". Not thread-safe; owned by one core.
 */
public final class Timer {

    /** How the duration changes between expiries. */
    public enum Backoff { FIXED, EXPONENTIAL }

    /** Restart without limit. */
    public static final int UNLIMITED = -1;

    /**
     * What a timer is: its name (for logs), backoff, longest duration and restart limit. Immutable, so one spec
     * (a {@code static final} constant) serves every timer of its kind: a timer then holds only its running state,
     * which is what an idle connection with a dozen timers keeps on the heap.
     *
     * @param name             for logs and {@link Timer#toString()}
     * @param backoff          how the duration changes between expiries
     * @param maxDurationNanos the cap on any duration
     * @param maxRestarts      restarts allowed after a fresh start, or {@link #UNLIMITED}
     */
    public record Spec(String name, Backoff backoff, long maxDurationNanos, int maxRestarts) {
        public Spec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(backoff, "backoff");
        }

        /** A {@link Backoff#FIXED} spec without cap or restart limit, the common kind. */
        public static Spec fixed(String name) {
            return new Spec(name, Backoff.FIXED, Long.MAX_VALUE, UNLIMITED);
        }
    }

    private final Spec spec;

    private long deadline = DatagramCore.NO_TIMEOUT;
    private long duration;
    private int restarts;

    /** A timer of a shared {@link Spec}. */
    public Timer(Spec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** A timer with its own spec (prefer {@link #Timer(Spec)} with a constant for timers made per connection). */
    public Timer(String name, Backoff backoff, long maxDurationNanos, int maxRestarts) {
        this(new Spec(name, backoff, maxDurationNanos, maxRestarts));
    }

    /** Starts (or restarts) the timer with a fresh duration and resets the restart count. */
    public void start(long nowNanos, long durationNanos) {
        this.duration = Math.min(durationNanos, spec.maxDurationNanos());
        this.deadline = nowNanos + duration;
        this.restarts = 0;
    }

    /** Stops the timer; its deadline becomes {@link DatagramCore#NO_TIMEOUT}. */
    public void stop() {
        deadline = DatagramCore.NO_TIMEOUT;
        restarts = 0;
    }

    public boolean isRunning() {
        return deadline != DatagramCore.NO_TIMEOUT;
    }

    /** True when the timer runs and its deadline is at or before {@code nowNanos}. */
    public boolean expired(long nowNanos) {
        return deadline != DatagramCore.NO_TIMEOUT && nowNanos >= deadline;
    }

    /**
     * Call after handling an expiry: backs off and restarts. Returns false (and stops the timer) once
     * {@code maxRestarts} restarts have been used.
     */
    public boolean restartAfterExpiry(long nowNanos) {
        if (spec.maxRestarts() != UNLIMITED && restarts >= spec.maxRestarts()) {
            stop();
            return false;
        }
        restarts++;
        if (spec.backoff() == Backoff.EXPONENTIAL) {
            duration = Math.min(spec.maxDurationNanos(), duration * 2);
        }
        deadline = nowNanos + duration;
        return true;
    }

    public long deadline() {
        return deadline;
    }

    public long duration() {
        return duration;
    }

    /** Consecutive restarts since the last {@link #start(long, long)}. */
    public int restarts() {
        return restarts;
    }

    public String name() {
        return spec.name();
    }

    public Spec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec.name() + (isRunning() ? "[deadline=" + deadline + ", restarts=" + restarts + "]" : "[stopped]");
    }
}
