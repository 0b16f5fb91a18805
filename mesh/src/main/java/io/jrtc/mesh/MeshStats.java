package io.jrtc.mesh;

/**
 * A snapshot of a {@link MeshAgent}.
 *
 * @param overlay          the overlay core's counters
 * @param linksUp          links up (HELLO checked)
 * @param linksSettingUp   links being set up
 * @param linksOpened      links that came up since start
 * @param linksFailed      links that failed or were refused before coming up
 * @param identityMismatches HELLOs refused (wrong key, fingerprint or signature)
 * @param framesSent       frames handed to data channels
 * @param framesReceived   frames received on data channels
 * @param sendFailures     frames a data channel refused (send buffer full, channel closing): each also a
 *                         {@link MeshEvent.Dropped}
 * @param backpressureEvents times a channel went above its high-water mark
 * @param presentAgents    mesh agents the signaling presence lists (including entries whose signature is not checked
 *                         yet: it is checked on first use)
 * @param framesSentByClass     frames handed to data channels, per channel class
 * @param framesReceivedByClass frames received on data channels, per channel class
 * @param presenceRefused  presence entries ignored: no valid signed presence for the id (see the README's
 *                         "Signed presence"), each audited {@code presence.refused}
 * @param asksSent         low-priority dials asked over signaling before any connection was built (README, "How a
 *                         link is made", step 2)
 * @param asksRefused      of those, refused by the remote (a {@code bye}): no connection was built for them, and
 *                         they are not counted in {@code linksFailed}
 * @param lateTasksDropped callbacks of this agent's connections, data channels and signaling that came after
 *                         {@code close()} (its own connections closing fire them), and tasks for an event loop that had
 *                         already shut down: dropped on purpose, the first one logged (README, "Closing an agent")
 * @param tasksFailed      tasks on the agent loop that threw (each logged at ERROR; 0 unless something is wrong)
 */
public record MeshStats(OverlayStats overlay, int linksUp, int linksSettingUp, long linksOpened, long linksFailed,
        long identityMismatches, long framesSent, long framesReceived, long sendFailures, long backpressureEvents,
        int presentAgents, java.util.Map<ChannelClass, Long> framesSentByClass,
        java.util.Map<ChannelClass, Long> framesReceivedByClass, long presenceRefused, long asksSent,
        long asksRefused, long lateTasksDropped, long tasksFailed) {

    /** An immutable per-class map of the counters {@code counts}, indexed by {@link ChannelClass#ordinal()}. */
    public static java.util.Map<ChannelClass, Long> byClass(long[] counts) {
        java.util.EnumMap<ChannelClass, Long> m = new java.util.EnumMap<>(ChannelClass.class);
        for (ChannelClass c : ChannelClass.values()) {
            m.put(c, counts[c.ordinal()]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
