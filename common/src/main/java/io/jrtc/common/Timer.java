package io.jrtc.common;

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

    private final String name;
    private final Backoff backoff;
    private final long maxDuration;
    private final int maxRestarts;

    private long deadline = DatagramCore.NO_TIMEOUT;
    private long duration;
    private int restarts;

    public Timer(String name, Backoff backoff, long maxDurationNanos, int maxRestarts) {
        this.name = name;
        this.backoff = backoff;
        this.maxDuration = maxDurationNanos;
        this.maxRestarts = maxRestarts;
    }

    /** Starts (or restarts) the timer with a fresh duration and resets the restart count. */
    public void start(long nowNanos, long durationNanos) {
        this.duration = Math.min(durationNanos, maxDuration);
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
        if (maxRestarts != UNLIMITED && restarts >= maxRestarts) {
            stop();
            return false;
        }
        restarts++;
        if (backoff == Backoff.EXPONENTIAL) {
            duration = Math.min(maxDuration, duration * 2);
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
        return name;
    }

    @Override
    public String toString() {
        return name + (isRunning() ? "[deadline=" + deadline + ", restarts=" + restarts + "]" : "[stopped]");
    }
}
