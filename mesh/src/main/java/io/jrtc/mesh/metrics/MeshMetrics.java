package io.jrtc.mesh.metrics;

import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.LinkRecovery;
import io.jrtc.mesh.OverlayStats;
import io.jrtc.mesh.quality.LinkMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A mesh agent's meters, as a Micrometer {@link MeterBinder}. Names as Prometheus shows them (these are what
 * {@code deploy/prometheus/alerts.yml} queries):
 * <ul>
 *   <li>{@code jrtc_mesh_links{mode="high|medium|low"}} (gauge): links by quality mode;</li>
 *   <li>{@code jrtc_mesh_link_rtt_seconds{neighbour}} and {@code jrtc_mesh_link_loss_ratio{neighbour}} (gauges):
 *       each link's smoothed RTT and last-window loss (NaN while unknown), labelled by the neighbour's agent id.
 *       At most {@code maxLinks} series each: the overlay core never holds more links than its
 *       {@code OverlayConfig.maxLinks}, and links beyond that bound (which would be a bug) are left out. Series of
 *       links that are gone are removed at the next {@link #refresh()};</li>
 *   <li>{@code jrtc_mesh_messages_delivered_total}, {@code jrtc_mesh_messages_forwarded_total},
 *       {@code jrtc_mesh_messages_duplicated_total}, {@code jrtc_mesh_broadcast_received_total} (payload copies,
 *       duplicates included) and {@code jrtc_mesh_messages_dropped_total{reason}} (one series per
 *       {@link DropReason}, lower case);</li>
 *   <li>{@code jrtc_mesh_rmr} (gauge): this agent's relative message redundancy since start, duplicates over first
 *       copies (duplicated route requests count too). Over a fleet:
 *       {@code sum(rate(jrtc_mesh_messages_duplicated_total[5m])) / (sum(rate(jrtc_mesh_broadcast_received_total[5m]))
 *       - sum(rate(jrtc_mesh_messages_duplicated_total[5m])))};</li>
 *   <li>{@code jrtc_mesh_last_delivery_hops}, {@code jrtc_mesh_active_view}, {@code jrtc_mesh_passive_view},
 *       {@code jrtc_mesh_links_held} (gauges);</li>
 *   <li>{@code jrtc_mesh_broadcast_latency_seconds} and {@code jrtc_mesh_unicast_latency_seconds} (histograms,
 *       buckets from 5 ms to 10 s), with {@code jrtc_mesh_latency_clock_skew_total}: recorded by the agent on every
 *       delivery from the origination time the envelope carries (see {@link #recordBroadcastLatency});</li>
 *   <li>{@code jrtc_mesh_link_attempts_total{result="connected|failed",mode="direct|relay|none"}}: link openings,
 *       rebuilds and ICE restarts by outcome ({@link #linkAttempt}, {@link #record(LinkRecovery.Action)});</li>
 *   <li>{@code jrtc_mesh_relay_fallbacks_total}: relay-only attempts made because direct did not come up;</li>
 *   <li>{@code jrtc_mesh_link_mode_changes_total{to}}: link quality mode changes, by the new mode;</li>
 *   <li>{@code jrtc_mesh_certificate_expiry_timestamp_seconds} (gauge): when this agent's current DTLS certificate
 *       expires, seconds since the epoch (NaN before the agent set it; {@link #certificate});
 *       {@code jrtc_mesh_certificate_rotations_total}, {@code jrtc_mesh_certificates_refused_total}: certificates
 *       replaced, and neighbours' certificates refused for their dates;</li>
 *   <li>{@code jrtc_mesh_nat_behaviour{status,mapping,filtering}} (gauge, 1): the last NAT behaviour discovery's
 *       outcome ({@link #nat}); lower case with dashes ({@code complete}, {@code endpoint-independent}, ...), one
 *       series at a time, none before the first discovery.</li>
 * </ul>
 * No label takes unbounded values. The reading comes from {@code source}, called on the scraping thread. Thread-safe.
 * Bind it to one registry before recording; until then the record methods do nothing.
 */
public final class MeshMetrics implements MeterBinder {

    private static final MeshReading EMPTY = new MeshReading(
            new OverlayStats(0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0), List.of());

    private final Supplier<MeshReading> source;
    private final int maxLinks;
    private volatile Bound bound;
    private volatile MultiGauge natGauge;
    private volatile Tags natTags;
    private volatile double certificateExpiry = Double.NaN;
    private final java.util.concurrent.atomic.AtomicLong rotations = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    private record Bound(MultiGauge rtt, MultiGauge loss, Timer latency, Timer unicastLatency, Counter skewed,
                         Counter directConnected,
                         Counter relayConnected, Counter failed, Counter fallbacks, Map<LinkMode, Counter> modeChanges) {
    }

    /**
     * @param source   the agent's latest {@link MeshReading} (null before the first: read as all zeros)
     * @param maxLinks the agent's link maximum ({@code OverlayConfig.maxLinks}): the bound on per-link series
     */
    public MeshMetrics(Supplier<MeshReading> source, int maxLinks) {
        if (maxLinks < 1) {
            throw new IllegalArgumentException("maxLinks " + maxLinks);
        }
        this.source = source;
        this.maxLinks = maxLinks;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (LinkMode m : LinkMode.values()) {
            Gauge.builder("jrtc.mesh.links", this, x -> x.linksIn(m)).tag("mode", label(m))
                    .description("Links by quality mode").register(registry);
        }
        counter(registry, "jrtc.mesh.messages.delivered", "Messages delivered to this agent's application",
                OverlayStats::delivered, Tags.empty());
        counter(registry, "jrtc.mesh.messages.forwarded", "Envelopes forwarded to another hop (each copy)",
                OverlayStats::forwarded, Tags.empty());
        counter(registry, "jrtc.mesh.messages.duplicated", "Copies of messages already seen",
                OverlayStats::duplicates, Tags.empty());
        counter(registry, "jrtc.mesh.broadcast.received", "Broadcast payload copies received, duplicates included",
                OverlayStats::broadcastReceived, Tags.empty());
        for (DropReason r : DropReason.values()) {
            counter(registry, "jrtc.mesh.messages.dropped", "Messages dropped, by reason", s -> s.dropped(r),
                    Tags.of("reason", r.name().toLowerCase(Locale.ROOT)));
        }
        gauge(registry, "jrtc.mesh.rmr", "Relative message redundancy since start: duplicates over first copies",
                s -> {
                    long first = s.broadcastReceived() - s.duplicates();
                    return first <= 0 ? Double.NaN : (double) s.duplicates() / first;
                });
        gauge(registry, "jrtc.mesh.last.delivery.hops", "Hop count of the last delivered message",
                OverlayStats::lastDeliveryHops);
        gauge(registry, "jrtc.mesh.active.view", "Active view size", OverlayStats::activeView);
        gauge(registry, "jrtc.mesh.passive.view", "Passive view size", OverlayStats::passiveView);
        gauge(registry, "jrtc.mesh.links.held", "Links held (active plus pending)", OverlayStats::links);
        MultiGauge rtt = MultiGauge.builder("jrtc.mesh.link.rtt").baseUnit("seconds")
                .description("Smoothed RTT per link, by neighbour agent id").register(registry);
        MultiGauge loss = MultiGauge.builder("jrtc.mesh.link.loss").baseUnit("ratio")
                .description("Loss over the last quality window per link (NaN while unknown)").register(registry);
        Timer latency = latencyTimer(registry, "jrtc.mesh.broadcast.latency",
                "Broadcast latency from origination (the origin's wall clock, signed in the envelope) to delivery");
        Timer unicastLatency = latencyTimer(registry, "jrtc.mesh.unicast.latency",
                "Unicast latency from origination (the origin's wall clock, signed in the envelope) to delivery");
        Counter skewed = Counter.builder("jrtc.mesh.latency.clock.skew")
                .description("Deliveries whose origination time was ahead of this agent's clock (recorded as 0)")
                .register(registry);
        Gauge.builder("jrtc.mesh.certificate.expiry.timestamp", this, x -> x.certificateExpiry).baseUnit("seconds")
                .description("When this agent's DTLS certificate expires, seconds since the epoch").register(registry);
        FunctionCounter.builder("jrtc.mesh.certificate.rotations", rotations, java.util.concurrent.atomic.AtomicLong::get)
                .description("DTLS certificates replaced before they expired").register(registry);
        FunctionCounter.builder("jrtc.mesh.certificates.refused", refused, java.util.concurrent.atomic.AtomicLong::get)
                .description("Neighbours' DTLS certificates refused for their validity dates").register(registry);
        Map<LinkMode, Counter> changes = new EnumMap<>(LinkMode.class);
        for (LinkMode m : LinkMode.values()) {
            changes.put(m, Counter.builder("jrtc.mesh.link.mode.changes").tag("to", label(m))
                    .description("Link quality mode changes, by new mode").register(registry));
        }
        bound = new Bound(rtt, loss, latency, unicastLatency, skewed, attempts(registry, "connected", "direct"),
                attempts(registry, "connected", "relay"), attempts(registry, "failed", "none"),
                Counter.builder("jrtc.mesh.relay.fallbacks")
                        .description("Relay-only (TURN) attempts made because direct did not come up in time")
                        .register(registry),
                changes);
        natGauge = MultiGauge.builder("jrtc.mesh.nat.behaviour")
                .description("The last NAT behaviour discovery (RFC 5780): status, mapping and filtering, value 1")
                .register(registry);
        refresh();
    }

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    private static String label(LinkMode m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<OverlayStats> f,
            Tags tags) {
        FunctionCounter.builder(name, this, x -> f.applyAsDouble(x.reading().stats())).tags(tags)
                .description(description).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<OverlayStats> f) {
        Gauge.builder(name, this, x -> f.applyAsDouble(x.reading().stats())).description(description)
                .register(registry);
    }

    private static Timer latencyTimer(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description)
                .serviceLevelObjectives(ms(5), ms(10), ms(20), ms(50), ms(100), ms(250), ms(500), ms(1000),
                        ms(2500), ms(5000), ms(10_000))
                .register(registry);
    }

    private static Counter attempts(MeterRegistry registry, String result, String mode) {
        return Counter.builder("jrtc.mesh.link.attempts").tag("result", result).tag("mode", mode)
                .description("Link openings, rebuilds and ICE restarts, by outcome and path").register(registry);
    }

    private MeshReading reading() {
        MeshReading r = source.get();
        return r == null ? EMPTY : r;
    }

    private double linksIn(LinkMode m) {
        int n = 0;
        for (MeshReading.Link l : reading().links()) {
            if (l.quality().mode() == m) {
                n++;
            }
        }
        return n;
    }

    /**
     * Re-reads the per-link series (RTT, loss): adds series for new links and removes those of links that are gone.
     * The {@code /metrics} endpoint calls it before each scrape.
     */
    public void refresh() {
        Bound b = bound;
        if (b == null) {
            return;
        }
        List<MeshReading.Link> links = reading().links();
        List<MultiGauge.Row<?>> rtt = new ArrayList<>();
        List<MultiGauge.Row<?>> loss = new ArrayList<>();
        for (MeshReading.Link l : links.subList(0, Math.min(links.size(), maxLinks))) {
            Tags t = Tags.of("neighbour", l.neighbour().toString());
            long srtt = l.quality().smoothedRttNanos();
            rtt.add(MultiGauge.Row.of(t, srtt < 0 ? Double.NaN : srtt / 1e9));
            loss.add(MultiGauge.Row.of(t, l.quality().loss()));
        }
        b.rtt.register(rtt, true);
        b.loss.register(loss, true);
        MultiGauge nat = natGauge;
        Tags t = natTags;
        if (nat != null && t != null) {
            nat.register(List.of(MultiGauge.Row.of(t, 1.0)), true);
        }
    }

    /** The outcome of a NAT behaviour discovery: replaces the series of the one before (at the next refresh). */
    public void nat(io.jrtc.ice.nat.NatBehaviorResult r) {
        natTags = Tags.of("status", r.status().label(), "mapping", r.mapping().label(), "filtering", r.filtering().label());
        refresh();
    }

    /** The agent's current certificate expires at {@code notAfter}; {@code rotated}: it replaced another. */
    public void certificate(java.time.Instant notAfter, boolean rotated) {
        certificateExpiry = notAfter.getEpochSecond() + notAfter.getNano() / 1e9;
        if (rotated) {
            rotations.incrementAndGet();
        }
    }

    /** A neighbour's certificate was refused for its dates. */
    public void certificateRefused() {
        refused.incrementAndGet();
    }

    /**
     * One broadcast's latency from its origination to its delivery here. A negative figure (the origin's clock is
     * ahead of this one's) is recorded as 0 and counted in {@code jrtc_mesh_latency_clock_skew_total}.
     */
    public void recordBroadcastLatency(long nanos) {
        Bound b = bound;
        if (b != null) {
            record(b, b.latency, nanos);
        }
    }

    /** One unicast's latency from its origination to its delivery here; negative figures as for broadcasts. */
    public void recordUnicastLatency(long nanos) {
        Bound b = bound;
        if (b != null) {
            record(b, b.unicastLatency, nanos);
        }
    }

    private static void record(Bound b, Timer t, long nanos) {
        if (nanos < 0) {
            b.skewed.increment();
        }
        t.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** One link attempt's outcome: connected over {@code path}, or failed ({@code path} ignored, mode "none"). */
    public void linkAttempt(boolean connected, LinkRecovery.Path path) {
        Bound b = bound;
        if (b == null) {
            return;
        }
        if (!connected) {
            b.failed.increment();
        } else {
            (path == LinkRecovery.Path.RELAY ? b.relayConnected : b.directConnected).increment();
        }
    }

    /**
     * Counts what a {@link LinkRecovery} decision says: {@code USE} is a connected attempt over its path, {@code WAIT}
     * and {@code GIVE_UP} a failed one, a {@code CONNECT} marked fallback a relay fallback; other kinds count nothing.
     */
    public void record(LinkRecovery.Action a) {
        switch (a.kind()) {
            case USE -> linkAttempt(true, a.path());
            case WAIT, GIVE_UP -> linkAttempt(false, null);
            case CONNECT -> {
                Bound b = bound;
                if (a.fallback() && b != null) {
                    b.fallbacks.increment();
                }
            }
            default -> {
            }
        }
    }

    /** Counts one link quality mode change to {@code to}. */
    public void modeChanged(LinkMode to) {
        Bound b = bound;
        if (b != null) {
            b.modeChanges.get(to).increment();
        }
    }
}
