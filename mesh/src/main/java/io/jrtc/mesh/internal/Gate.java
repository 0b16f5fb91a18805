package io.jrtc.mesh.internal;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.MeshVerifier;
import io.jrtc.mesh.internal.wire.Envelope;
import io.jrtc.mesh.internal.wire.MessageId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The layer between the wire and the overlay: every received envelope passes here first, and only a
 * {@link Verdict#FRESH} one reaches the overlay. Order of checks:
 * <ol>
 *   <li>an id in the bounded seen cache is a {@link Verdict#DUPLICATE} (cheap path: no signature check, and the
 *       envelope is neither delivered nor forwarded);</li>
 *   <li>the signature must verify against the origin key, which the origin id is derived from, else
 *       {@link Verdict#BAD_SIGNATURE};</li>
 *   <li>the sequence must be inside the origin's replay window and not marked there, else {@link Verdict#REPLAY}
 *       (a replay whose id already left the seen cache);</li>
 *   <li>the id is then marked seen: {@link Verdict#FRESH}.</li>
 * </ol>
 * Windows are kept for the {@code replayOrigins} most recent origins (LRU); a replay from an origin evicted from
 * that table is caught only by the seen cache.
 */
final class Gate {

    enum Verdict { FRESH, DUPLICATE, BAD_SIGNATURE, REPLAY }

    /** Sequences kept per origin window. */
    static final int WINDOW = 256;

    private final MeshVerifier verifier;
    private final int seenLimit;
    private final LinkedHashSet<MessageId> seen = new LinkedHashSet<>();
    private final LinkedHashMap<AgentId, Window> windows;

    Gate(MeshVerifier verifier, int seenLimit, int originLimit) {
        this.verifier = verifier;
        this.seenLimit = seenLimit;
        this.windows = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<AgentId, Window> eldest) {
                return size() > originLimit;
            }
        };
    }

    Verdict check(Envelope e) {
        MessageId id = e.id();
        if (seen.contains(id)) {
            return Verdict.DUPLICATE;
        }
        if (!e.verify(verifier)) {
            return Verdict.BAD_SIGNATURE;
        }
        if (!windows.computeIfAbsent(id.origin(), o -> new Window()).accept(id.sequence())) {
            return Verdict.REPLAY;
        }
        markSeen(id);
        return Verdict.FRESH;
    }

    boolean seen(MessageId id) {
        return seen.contains(id);
    }

    /** Marks an id this agent originated, so its own message coming back is a duplicate. */
    void markOwn(MessageId id) {
        windows.computeIfAbsent(id.origin(), o -> new Window()).accept(id.sequence());
        markSeen(id);
    }

    private void markSeen(MessageId id) {
        seen.add(id);
        if (seen.size() > seenLimit) {
            var it = seen.iterator();
            it.next();
            it.remove();
        }
    }

    /** A sliding window of {@link #WINDOW} sequences below the highest seen, as a bitmap (like RFC 4303's). */
    private static final class Window {
        private long highest = Long.MIN_VALUE;
        private final long[] bits = new long[WINDOW / 64];

        boolean accept(long seq) {
            if (highest == Long.MIN_VALUE) {
                highest = seq;
                set(seq);
                return true;
            }
            if (seq > highest) {
                long shift = seq - highest;
                if (shift >= WINDOW) {
                    java.util.Arrays.fill(bits, 0);
                } else {
                    for (long s = highest + 1; s < seq; s++) {
                        clear(s);
                    }
                }
                highest = seq;
                set(seq);
                return true;
            }
            if (highest - seq >= WINDOW) {
                return false;
            }
            if (isSet(seq)) {
                return false;
            }
            set(seq);
            return true;
        }

        private int index(long seq) {
            return (int) Math.floorMod(seq, (long) WINDOW);
        }

        private void set(long seq) {
            int i = index(seq);
            bits[i >>> 6] |= 1L << (i & 63);
        }

        private void clear(long seq) {
            int i = index(seq);
            bits[i >>> 6] &= ~(1L << (i & 63));
        }

        private boolean isSet(long seq) {
            int i = index(seq);
            return (bits[i >>> 6] & (1L << (i & 63))) != 0;
        }
    }
}
