package io.jrtc.mesh.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.LinkRecovery;
import io.jrtc.mesh.OverlayStats;
import io.jrtc.mesh.quality.LinkMode;
import io.jrtc.mesh.quality.LinkQuality;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The mesh meters scrape with the documented names, types and labels (the ones the alert rules query), per-link
 * series stay within maxLinks and follow the links, and the /metrics endpoint serves them over HTTP on loopback.
 */
class MeshMetricsScrapeWithBoundedLabels {

    private static AgentId agent(int i) {
        return new AgentId(0x1000 + i, i);
    }

    private static MeshReading.Link link(int i, LinkMode mode, long rttMs, double loss) {
        return new MeshReading.Link(agent(i),
                new LinkQuality.Snapshot(mode, rttMs * 1_000_000L, loss, 0, 0, 3, 0, 1, 5));
    }

    private static OverlayStats stats() {
        Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        dropped.put(DropReason.EXPIRED, 4L);
        dropped.put(DropReason.BAD_SIGNATURE, 1L);
        dropped.put(DropReason.DUPLICATE, 10L);
        return new OverlayStats(100, 250, 60, 10, dropped, 3, 3, 30, 3, 2, 5, 2, 7);
    }

    private static List<String> samples(String scrape, String metric) {
        List<String> out = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void scrapeHasTheDocumentedNamesTypesAndLabels() {
        AtomicReference<MeshReading> reading = new AtomicReference<>(new MeshReading(stats(), List.of(
                link(1, LinkMode.HIGH, 50, 0.0), link(2, LinkMode.HIGH, 80, Double.NaN),
                link(3, LinkMode.LOW, 700, 0.25))));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeshMetrics metrics = new MeshMetrics(reading::get, 10);
        metrics.bindTo(registry);
        metrics.recordBroadcastLatency(30_000_000L);
        metrics.recordBroadcastLatency(40_000_000L);
        metrics.recordBroadcastLatency(1_500_000_000L);
        long never = DatagramCore.NO_TIMEOUT;
        metrics.record(new LinkRecovery.Action(LinkRecovery.Kind.USE, LinkRecovery.Path.DIRECT, never, 0, false, "up"));
        metrics.record(new LinkRecovery.Action(LinkRecovery.Kind.CONNECT, LinkRecovery.Path.RELAY, 5, 0, true, "fb"));
        metrics.record(new LinkRecovery.Action(LinkRecovery.Kind.USE, LinkRecovery.Path.RELAY, never, 0, false, "up"));
        metrics.record(new LinkRecovery.Action(LinkRecovery.Kind.WAIT, null, 9, 0, false, "backoff"));
        metrics.record(new LinkRecovery.Action(LinkRecovery.Kind.GIVE_UP, null, never, 0, false, "gone"));
        metrics.record(new LinkRecovery.Action(LinkRecovery.Kind.RESTART_ICE, LinkRecovery.Path.DIRECT, 5, 0, false, "r"));
        metrics.modeChanged(LinkMode.LOW);
        String s = registry.scrape("text/plain");

        assertThat(s).contains("# TYPE jrtc_mesh_links gauge", "# TYPE jrtc_mesh_link_rtt_seconds gauge",
                "# TYPE jrtc_mesh_link_loss_ratio gauge", "# TYPE jrtc_mesh_messages_delivered_total counter",
                "# TYPE jrtc_mesh_messages_dropped_total counter", "# TYPE jrtc_mesh_rmr gauge",
                "# TYPE jrtc_mesh_broadcast_latency_seconds histogram",
                "# TYPE jrtc_mesh_link_attempts_total counter", "# TYPE jrtc_mesh_relay_fallbacks_total counter");
        assertThat(samples(s, "jrtc_mesh_links")).containsExactlyInAnyOrder("jrtc_mesh_links{mode=\"high\"} 2.0",
                "jrtc_mesh_links{mode=\"medium\"} 0.0", "jrtc_mesh_links{mode=\"low\"} 1.0");
        assertThat(samples(s, "jrtc_mesh_link_rtt_seconds")).containsExactlyInAnyOrder(
                "jrtc_mesh_link_rtt_seconds{neighbour=\"" + agent(1) + "\"} 0.05",
                "jrtc_mesh_link_rtt_seconds{neighbour=\"" + agent(2) + "\"} 0.08",
                "jrtc_mesh_link_rtt_seconds{neighbour=\"" + agent(3) + "\"} 0.7");
        assertThat(samples(s, "jrtc_mesh_link_loss_ratio")).contains(
                "jrtc_mesh_link_loss_ratio{neighbour=\"" + agent(2) + "\"} NaN",
                "jrtc_mesh_link_loss_ratio{neighbour=\"" + agent(3) + "\"} 0.25");
        assertThat(samples(s, "jrtc_mesh_messages_delivered_total")).containsExactly("jrtc_mesh_messages_delivered_total 100.0");
        assertThat(samples(s, "jrtc_mesh_messages_forwarded_total")).containsExactly("jrtc_mesh_messages_forwarded_total 250.0");
        assertThat(samples(s, "jrtc_mesh_messages_duplicated_total")).containsExactly("jrtc_mesh_messages_duplicated_total 10.0");
        assertThat(samples(s, "jrtc_mesh_messages_dropped_total")).hasSize(DropReason.values().length)
                .contains("jrtc_mesh_messages_dropped_total{reason=\"expired\"} 4.0",
                        "jrtc_mesh_messages_dropped_total{reason=\"bad_signature\"} 1.0",
                        "jrtc_mesh_messages_dropped_total{reason=\"queue_full\"} 0.0");
        assertThat(samples(s, "jrtc_mesh_rmr")).containsExactly("jrtc_mesh_rmr 0.2"); // 10 duplicates / 50 first copies
        assertThat(samples(s, "jrtc_mesh_link_attempts_total")).containsExactlyInAnyOrder(
                "jrtc_mesh_link_attempts_total{mode=\"direct\",result=\"connected\"} 1.0",
                "jrtc_mesh_link_attempts_total{mode=\"relay\",result=\"connected\"} 1.0",
                "jrtc_mesh_link_attempts_total{mode=\"none\",result=\"failed\"} 2.0");
        assertThat(samples(s, "jrtc_mesh_relay_fallbacks_total")).containsExactly("jrtc_mesh_relay_fallbacks_total 1.0");
        assertThat(samples(s, "jrtc_mesh_link_mode_changes_total")).contains(
                "jrtc_mesh_link_mode_changes_total{to=\"low\"} 1.0");
        assertThat(samples(s, "jrtc_mesh_broadcast_latency_seconds_bucket")).contains(
                "jrtc_mesh_broadcast_latency_seconds_bucket{le=\"0.02\"} 0",
                "jrtc_mesh_broadcast_latency_seconds_bucket{le=\"0.05\"} 2",
                "jrtc_mesh_broadcast_latency_seconds_bucket{le=\"1.0\"} 2",
                "jrtc_mesh_broadcast_latency_seconds_bucket{le=\"2.5\"} 3",
                "jrtc_mesh_broadcast_latency_seconds_bucket{le=\"+Inf\"} 3");
        assertThat(samples(s, "jrtc_mesh_broadcast_latency_seconds_count")).containsExactly(
                "jrtc_mesh_broadcast_latency_seconds_count 3");
    }

    @Test
    void certificateExpiryRotationsAndRefusalsAreExposed() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeshMetrics metrics = new MeshMetrics(() -> new MeshReading(stats(), List.of()), 10);
        metrics.bindTo(registry);
        assertThat(samples(registry.scrape("text/plain"), "jrtc_mesh_certificate_expiry_timestamp_seconds"))
                .containsExactly("jrtc_mesh_certificate_expiry_timestamp_seconds NaN");
        metrics.certificate(java.time.Instant.ofEpochSecond(1_800_000_000L, 500_000_000), false);
        metrics.certificate(java.time.Instant.ofEpochSecond(1_800_000_100L), true);
        metrics.certificateRefused();
        String s = registry.scrape("text/plain");
        assertThat(s).contains("# TYPE jrtc_mesh_certificate_expiry_timestamp_seconds gauge",
                "# TYPE jrtc_mesh_certificate_rotations_total counter", "# TYPE jrtc_mesh_certificates_refused_total counter");
        assertThat(samples(s, "jrtc_mesh_certificate_expiry_timestamp_seconds"))
                .containsExactly("jrtc_mesh_certificate_expiry_timestamp_seconds 1.8000001E9");
        assertThat(samples(s, "jrtc_mesh_certificate_rotations_total")).containsExactly("jrtc_mesh_certificate_rotations_total 1.0");
        assertThat(samples(s, "jrtc_mesh_certificates_refused_total")).containsExactly("jrtc_mesh_certificates_refused_total 1.0");
    }

    @Test
    void everyMeshSeriesTheAlertRulesQueryIsExposed() throws IOException {
        Path alerts = Path.of("..", "deploy", "prometheus", "alerts.yml");
        assertThat(alerts).exists();
        Set<String> queried = new TreeSet<>();
        Matcher m = Pattern.compile("jrtc_mesh_[a-z_]+").matcher(Files.readString(alerts));
        while (m.find()) {
            queried.add(m.group());
        }
        assertThat(queried).contains("jrtc_mesh_link_attempts_total", "jrtc_mesh_broadcast_latency_seconds_bucket",
                "jrtc_mesh_certificate_expiry_timestamp_seconds", "jrtc_mesh_certificates_refused_total");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new MeshMetrics(() -> new MeshReading(stats(), List.of()), 10).bindTo(registry);
        String s = registry.scrape("text/plain");
        for (String name : queried) {
            assertThat(s).as(name).containsAnyOf("\n" + name + "{", "\n" + name + " ");
        }
        // the label values the rules and their tests use
        assertThat(s).contains("result=\"connected\"", "mode=\"relay\"", "mode=\"direct\"", "result=\"failed\"");
    }

    @Test
    void perLinkSeriesStayWithinMaxLinksAndFollowTheLinks() {
        List<MeshReading.Link> many = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            many.add(link(i, LinkMode.MEDIUM, 20 + i, 0.0));
        }
        AtomicReference<MeshReading> reading = new AtomicReference<>(new MeshReading(stats(), many));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeshMetrics metrics = new MeshMetrics(reading::get, 6);
        metrics.bindTo(registry);
        String s = registry.scrape("text/plain");
        assertThat(samples(s, "jrtc_mesh_link_rtt_seconds")).hasSize(6);
        assertThat(samples(s, "jrtc_mesh_link_loss_ratio")).hasSize(6);
        assertThat(samples(s, "jrtc_mesh_links")).contains("jrtc_mesh_links{mode=\"medium\"} 9.0");

        reading.set(new MeshReading(stats(), List.of(link(20, LinkMode.HIGH, 10, 0.0), link(21, LinkMode.LOW, 900, 0.5))));
        metrics.refresh();
        s = registry.scrape("text/plain");
        assertThat(samples(s, "jrtc_mesh_link_rtt_seconds")).containsExactlyInAnyOrder(
                "jrtc_mesh_link_rtt_seconds{neighbour=\"" + agent(20) + "\"} 0.01",
                "jrtc_mesh_link_rtt_seconds{neighbour=\"" + agent(21) + "\"} 0.9");
        // everything else is a fixed set: links by mode (3), counters, reasons, attempts (3), mode changes (3), ...
        long meshSeries = s.lines().filter(l -> l.startsWith("jrtc_mesh_")).count();
        assertThat(meshSeries).isLessThanOrEqualTo(60 + 2 * 6);
    }

    @Test
    void metricsEndpointServesTheScrapeOnLoopback() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeshMetrics metrics = new MeshMetrics(() -> new MeshReading(stats(), List.of(link(1, LinkMode.HIGH, 5, 0))), 4);
        metrics.bindTo(registry);
        AtomicInteger refreshes = new AtomicInteger();
        try (MetricsHttpServer server = MetricsHttpServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry,
                () -> {
                    refreshes.incrementAndGet();
                    metrics.refresh();
                })) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpURLConnection ok = open(base + "/metrics", "GET", null);
            assertThat(ok.getResponseCode()).isEqualTo(200);
            assertThat(ok.getContentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(body(ok)).contains("jrtc_mesh_links{mode=\"high\"} 1.0",
                    "# TYPE jrtc_mesh_link_attempts_total counter");
            assertThat(refreshes).hasValue(1);

            HttpURLConnection om = open(base + "/metrics", "GET", "application/openmetrics-text; version=1.0.0");
            assertThat(om.getContentType()).startsWith("application/openmetrics-text");
            assertThat(body(om)).endsWith("# EOF\n");

            assertThat(open(base + "/other", "GET", null).getResponseCode()).isEqualTo(404);
            assertThat(open(base + "/metrics", "DELETE", null).getResponseCode()).isEqualTo(405);
            assertThat(refreshes).hasValue(2);
        }
    }

    private static HttpURLConnection open(String url, String method, String accept) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        if (accept != null) {
            c.setRequestProperty("Accept", accept);
        }
        return c;
    }

    private static String body(HttpURLConnection c) throws IOException {
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
