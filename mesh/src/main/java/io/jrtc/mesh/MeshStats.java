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
 * @param presentAgents    mesh agents the signaling presence lists
 */
public record MeshStats(OverlayStats overlay, int linksUp, int linksSettingUp, long linksOpened, long linksFailed,
        long identityMismatches, long framesSent, long framesReceived, long sendFailures, long backpressureEvents,
        int presentAgents) {
}
