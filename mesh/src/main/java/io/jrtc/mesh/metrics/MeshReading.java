package io.jrtc.mesh.metrics;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.OverlayStats;
import io.jrtc.mesh.quality.LinkQuality;
import java.util.List;

/**
 * An immutable picture of one mesh agent's numbers, as {@link MeshMetrics} reads them: the overlay core's counters
 * and each link's quality figures. The agent publishes a fresh one from its event loop (for instance into a
 * volatile field after each turn) so that a scrape on another thread never touches the core.
 *
 * @param stats the overlay core's {@link io.jrtc.mesh.OverlayCore#stats()}
 * @param links one entry per link held, with its tracker's {@link LinkQuality#snapshot()}; the core never holds
 *              more than {@code maxLinks}
 */
public record MeshReading(OverlayStats stats, List<Link> links) {

    /** One link: the neighbour at its far end and its quality figures. */
    public record Link(AgentId neighbour, LinkQuality.Snapshot quality) {
    }

    public MeshReading {
        links = List.copyOf(links);
    }
}
