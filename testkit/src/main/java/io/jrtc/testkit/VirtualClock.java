package io.jrtc.testkit;

import java.time.Duration;

/** A clock that moves only when told to, and never backwards. Time is in nanoseconds from an arbitrary origin. */
public final class VirtualClock {

    private long now;

    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long startNanos) {
        this.now = startNanos;
    }

    public long now() {
        return now;
    }

    /** Moves to {@code t}; a time in the past is ignored. */
    public void advanceTo(long t) {
        if (t > now) {
            now = t;
        }
    }

    public void advanceBy(Duration d) {
        advanceTo(now + d.toNanos());
    }
}
