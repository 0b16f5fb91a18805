package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Remote agents that refused a link lately: a {@code bye} to our offer, or our core closing the link within
 * {@link #REFUSAL_WINDOW_NANOS} of it coming up (a refused NEIGHBOR). While an agent's backoff runs (2 s doubling to
 * 30 s, jittered to 50-100 %), the core's requests for it are answered "refused" without a PeerConnection: the core
 * asks a refused candidate again once its refusal memory runs out ({@code OverlayConfig.refusalMemory}, 10–30 s at
 * first), or at once after its view grew, which is cheap in the emulator but costs a PeerConnection each here. A
 * link that stays up {@link #RESET_NANOS} clears its agent's backoff. At most 1,024 agents are remembered.
 * Agent loop only.
 */
final class DialBackoff {

    static final long REFUSAL_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final long MIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long RESET_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Per agent: {until, current backoff}, nanoseconds. */
    private final LinkedHashMap<AgentId, long[]> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AgentId, long[]> eldest) {
            return size() > 1024;
        }
    };
    private final SplittableRandom random;

    DialBackoff(SplittableRandom random) {
        this.random = random;
    }

    boolean active(AgentId a, long now) {
        long[] b = entries.get(a);
        return b != null && now < b[0];
    }

    void refused(AgentId a, long now) {
        long[] b = entries.get(a);
        long next = b == null ? MIN_NANOS : Math.min(MAX_NANOS, 2 * b[1]);
        entries.put(a, new long[] {now + next / 2 + random.nextLong(next / 2 + 1), next});
    }

    /** A link to {@code a} that was up since {@code upAt} is gone. */
    void linkEnded(AgentId a, long upAt, long now) {
        if (now - upAt >= RESET_NANOS) {
            entries.remove(a);
        }
    }
}
