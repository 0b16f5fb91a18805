package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.OverlayStats;
import io.jrtc.mesh.metrics.MeshMetrics;
import io.jrtc.mesh.metrics.MeshReading;
import io.jrtc.mesh.metrics.MetricsHttpServer;
import io.jrtc.mesh.quality.LinkQuality;
import io.jrtc.signaling.client.SignalingMessage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link MeshEdge} tells the outside: the {@link MeshReading} it publishes from the agent loop (read by
 * {@link MeshMetrics} on the scraping thread), the {@code /metrics} endpoint, and the link reports to signaling.
 * {@link #publish} and {@link #report} run on the agent loop; the rest is thread-safe.
 */
final class EdgeTelemetry {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeTelemetry.class);

    final MeshMetrics metrics;
    private volatile MeshReading reading;
    private PrometheusMeterRegistry registry;
    private MetricsHttpServer server;
    private long reportsSent;

    EdgeTelemetry(int maxLinks) {
        this.metrics = new MeshMetrics(() -> reading, maxLinks);
    }

    /** Agent loop: a fresh reading (the core's counters, each up link's quality figures). */
    void publish(OverlayStats stats, MeshLinks links, Map<Long, LinkQuality> qualities) {
        List<MeshReading.Link> out = new ArrayList<>();
        for (LinkQuality q : qualities.values()) {
            EdgeLink l = links.byId(q.linkId());
            if (l != null && l.state == EdgeLink.State.UP) {
                out.add(new MeshReading.Link(l.remote, q.snapshot()));
            }
        }
        reading = new MeshReading(stats, out);
    }

    /** Agent loop: a message was delivered: its latency from the origination time it carries. Bulk: not recorded. */
    void delivered(io.jrtc.mesh.OverlayEvent.Delivered d) {
        if (d.broadcast()) {
            metrics.recordBroadcastLatency(d.latencyNanos());
        } else if (d.channel() != io.jrtc.mesh.ChannelClass.BULK) {
            metrics.recordUnicastLatency(d.latencyNanos());
        }
    }

    /** The audit fields of a security drop: origin, sequence, and the neighbour it came from. */
    static Map<String, String> dropFields(io.jrtc.mesh.OverlayEvent.Dropped d, io.jrtc.mesh.AgentId from) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put("origin", d.origin() == null ? "unknown" : d.origin().toString());
        f.put("sequence", Long.toString(d.sequence()));
        f.put("from", from == null ? "unknown" : from.toString());
        return f;
    }

    MeshReading reading() {
        return reading;
    }

    /**
     * Agent loop: reports the links that are up, with mode and smoothed RTT, and the NAT behaviour when one was
     * found (revision 6), to signaling (revision 4); nothing when the server does not take reports. The neighbour is named by its signaling id, as the server's {@code /mesh}
     * lists agents.
     */
    void report(MeshEdge edge, Map<Long, LinkQuality> qualities) {
        List<SignalingMessage.LinkReport.Link> links = new ArrayList<>();
        for (LinkQuality q : qualities.values()) {
            EdgeLink l = edge.links.byId(q.linkId());
            if (l == null || l.state != EdgeLink.State.UP || links.size() == SignalingMessage.LinkReport.MAX_LINKS) {
                continue;
            }
            LinkQuality.Snapshot s = q.snapshot();
            Double rtt = s.smoothedRttNanos() < 0 ? null : Math.min(600_000.0, s.smoothedRttNanos() / 1e6);
            links.add(new SignalingMessage.LinkReport.Link(l.signalingId, s.mode().name(), rtt));
        }
        io.jrtc.ice.nat.NatBehaviorResult n = edge.nat.latest();
        SignalingMessage.LinkReport.Nat nat = n == null ? null : new SignalingMessage.LinkReport.Nat(
                n.status().label(), n.mapping().label(), n.filtering().label());
        try {
            if (edge.signaling.sendLinkReport(links, nat)) {
                reportsSent++;
            }
        } catch (RuntimeException e) {
            LOG.debug("mesh {}: link report not sent: {}", edge.self().shortString(), e.toString());
        }
    }

    long reportsSent() {
        return reportsSent;
    }

    /**
     * Serves {@code GET /metrics} at {@code address} (port 0: any free port), on its own one-thread group; before each
     * scrape {@code beforeScrape} runs (a fresh reading from the agent loop). Returns the bound address; a second call
     * returns the first's.
     */
    InetSocketAddress startMetrics(InetSocketAddress address, MeshEdge edge) {
        return startMetrics(address, () -> {
            try {
                edge.call(() -> {
                    edge.publish();
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.debug("mesh {}: no fresh reading for the scrape: {}", edge.self().shortString(), e.toString());
            }
        });
    }

    synchronized InetSocketAddress startMetrics(InetSocketAddress address, Runnable beforeScrape) {
        if (server != null) {
            return server.address();
        }
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(registry);
        try {
            server = MetricsHttpServer.start(address, registry, () -> {
                beforeScrape.run();
                metrics.refresh();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the metrics endpoint", e);
        }
        return server.address();
    }

    synchronized PrometheusMeterRegistry registry() {
        return registry;
    }

    synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (registry != null) {
            registry.close();
        }
    }
}
