package io.jrtc.signaling.server.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which agents this instance believes are present in the Redis signaling space, kept from the numbered presence
 * events it received, so that what it missed can be found and announced late.
 *
 * <p>Pub/sub is at most once: an event published while this instance's subscription is down (Redis restarted, the
 * connection dropped, or Redis cut a subscriber whose output buffer overflowed) is lost for it, and its agents would
 * never learn of that join or leave. Two signs of a loss are watched: the subscription coming back, and a gap in the
 * event numbers (every event is numbered one above the last, see {@code RedisBackbone}). On either, the hub reads a
 * snapshot (the live agents and the number of the last event they reflect) and {@link #reconcile} says what changed
 * since this view was last right.
 *
 * <p>Each entry remembers the number of the event that last set it, and while a snapshot is being read a departed
 * agent is kept (a tombstone). So a snapshot older than an event applied meanwhile does not undo that event, and an
 * event older than the snapshot, still in flight on the subscription when the snapshot was read, is ignored
 * ({@link Verdict#STALE}) rather than announced twice. With no snapshot being read no tombstone is kept: one read
 * later reflects every event received before it was asked for. Thread-safe: events come on Lettuce's subscription thread,
 * snapshots on its command thread.
 */
final class PresenceView {

    /**
     * What to do with one event: {@code announce} it to the agents here (false when a snapshot already reflected it);
     * {@code gap}: its number is more than one above the last, so something was missed. A join of an agent the view
     * already holds present (a heartbeat putting it back into a Redis that restarted empty) is still announced: an
     * agent that registered while Redis was being refilled may have been listed without it, and this join is how it
     * learns of it (drill F caught a newcomer that never did when such joins were held back).
     */
    record Verdict(boolean announce, boolean gap) {
        static final Verdict STALE = new Verdict(false, false);
    }

    /** One change found by {@link #reconcile}: to be announced with the snapshot's number. */
    record Change(boolean joined, String agentId) {
    }

    private static final long UNNUMBERED = Long.MAX_VALUE;

    /** Agent id to (present, number of the event or snapshot that set it). */
    private final Map<String, Entry> entries = new HashMap<>();
    /** Events numbered at or below this were reflected by the last snapshot. */
    private long floor = -1;
    /** The highest number seen, from an event or a snapshot; -1 before either. */
    private long last = -1;
    /** Snapshots asked for and not yet reconciled or failed. */
    private int reading;

    private record Entry(boolean present, long seq) {
    }

    synchronized Verdict event(boolean joined, String agentId, long seq) {
        Entry e = entries.get(agentId);
        if (seq == UNNUMBERED) { // an instance that does not number its events: no order to check
            record(joined, agentId, Math.max(last, 0));
            return new Verdict(true, false);
        }
        if (seq <= floor || (e != null && e.seq() >= seq)) {
            return Verdict.STALE;
        }
        boolean gap = last >= 0 && seq > last + 1;
        last = Math.max(last, seq);
        record(joined, agentId, seq);
        return new Verdict(true, gap);
    }

    private void record(boolean joined, String agentId, long seq) {
        if (joined || reading > 0) {
            entries.put(agentId, new Entry(joined, seq));
        } else {
            entries.remove(agentId);
        }
    }

    /** A snapshot is about to be read: keep tombstones until it is reconciled (or has failed). */
    synchronized void reading() {
        reading++;
    }

    /** A snapshot asked for with {@link #reading()} could not be read. */
    synchronized void readFailed() {
        doneReading();
    }

    private void doneReading() {
        if (reading > 0 && --reading == 0) {
            entries.values().removeIf(e -> !e.present());
        }
    }

    /**
     * Brings the view to the snapshot ({@code live}: the agents present once every event up to {@code seq} had
     * happened) and returns what changed: agents the view lacked join, agents it held that are gone leave. Entries
     * set by an event numbered above {@code seq} are newer than the snapshot and stay as they are. A snapshot no newer
     * than the last one changes nothing.
     */
    synchronized List<Change> reconcile(long seq, Collection<String> live) {
        try {
            return apply(seq, live);
        } finally {
            doneReading();
        }
    }

    private List<Change> apply(long seq, Collection<String> live) {
        if (seq <= floor) {
            return List.of();
        }
        List<Change> changes = new ArrayList<>();
        Set<String> liveSet = new HashSet<>(live);
        for (String id : liveSet) {
            Entry e = entries.get(id);
            if (e == null || (!e.present() && e.seq() <= seq)) {
                changes.add(new Change(true, id));
                entries.put(id, new Entry(true, seq));
            }
        }
        List<String> drop = new ArrayList<>();
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            if (e.seq() > seq || liveSet.contains(me.getKey())) {
                continue;
            }
            if (e.present()) {
                changes.add(new Change(false, me.getKey()));
            }
            drop.add(me.getKey()); // absent as of the snapshot: events at or below it are stale from now on
        }
        for (String id : drop) {
            entries.remove(id);
        }
        floor = seq;
        if (seq > 0) { // 0: no event numbered yet; the first one starts from Redis's clock and is no gap
            last = Math.max(last, seq);
        }
        return changes;
    }

    /** How many entries the view holds, tombstones included (for tests: it must not grow with churn). */
    synchronized int size() {
        return entries.size();
    }

    /** The agents present in the view (for tests and diagnostics). */
    synchronized Set<String> present() {
        Set<String> out = new HashSet<>();
        entries.forEach((id, e) -> {
            if (e.present()) {
                out.add(id);
            }
        });
        return out;
    }
}
