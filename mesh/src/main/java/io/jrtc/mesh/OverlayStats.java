package io.jrtc.mesh;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one overlay core since it started.
 *
 * @param delivered messages delivered to the application (broadcasts and unicasts addressed here)
 * @param forwarded envelopes sent on to another hop (each copy counts)
 * @param broadcastReceived broadcast payload envelopes received from links, duplicates included (the numerator of RMR)
 * @param duplicates copies of already-seen messages
 * @param dropped drops by reason ({@link DropReason#DUPLICATE} included)
 * @param lastDeliveryHops hop count of the last delivered message
 * @param activeView current active view size
 * @param passiveView current passive view size
 * @param links links currently held (active plus pending), never above the configured maximum
 * @param grafts GRAFT requests sent to repair the tree (a message announced but not received); tree moves not counted
 * @param prunes PRUNE notices sent (tree links demoted after a duplicate)
 * @param eager neighbours on the broadcast tree (eager push)
 * @param routes cached unicast routes
 * @param treeMoves Plumtree tree optimisations made here: a lazy link that announced a broadcast with at least
 *     {@link OverlayConfig#treeOptimisationThreshold} fewer hops than the eager copy took joined the tree (empty
 *     GRAFT); the old link leaves it by the ordinary prune of the duplicate that follows, counted in {@code prunes}
 * @param announcements broadcast ids announced to lazy neighbours (IHAVE entries sent)
 */
public record OverlayStats(long delivered, long forwarded, long broadcastReceived, long duplicates,
                           Map<DropReason, Long> dropped, int lastDeliveryHops, int activeView, int passiveView,
                           int links, long grafts, long prunes, int eager, int routes, long treeMoves,
                           long announcements) {

    /** Counters without announcements (0). */
    public OverlayStats(long delivered, long forwarded, long broadcastReceived, long duplicates,
                        Map<DropReason, Long> dropped, int lastDeliveryHops, int activeView, int passiveView,
                        int links, long grafts, long prunes, int eager, int routes, long treeMoves) {
        this(delivered, forwarded, broadcastReceived, duplicates, dropped, lastDeliveryHops, activeView, passiveView,
                links, grafts, prunes, eager, routes, treeMoves, 0);
    }

    /** Counters without tree moves (0), as before protocol version 5. */
    public OverlayStats(long delivered, long forwarded, long broadcastReceived, long duplicates,
                        Map<DropReason, Long> dropped, int lastDeliveryHops, int activeView, int passiveView,
                        int links, long grafts, long prunes, int eager, int routes) {
        this(delivered, forwarded, broadcastReceived, duplicates, dropped, lastDeliveryHops, activeView, passiveView,
                links, grafts, prunes, eager, routes, 0, 0);
    }

    public OverlayStats {
        // EnumMap's copy constructor refuses an empty map that is not an EnumMap (Map.of()): copy into an empty one
        EnumMap<DropReason, Long> copy = new EnumMap<>(DropReason.class);
        copy.putAll(dropped);
        dropped = Map.copyOf(copy);
    }

    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /**
     * Relative message redundancy of one broadcast seen by {@code nodes} agents: received payload envelopes over
     * {@code nodes - 1}, minus one. 0 means every agent got exactly one copy.
     */
    public static double rmr(long payloadReceptions, int nodes) {
        return nodes <= 1 ? 0 : (double) payloadReceptions / (nodes - 1) - 1;
    }
}
