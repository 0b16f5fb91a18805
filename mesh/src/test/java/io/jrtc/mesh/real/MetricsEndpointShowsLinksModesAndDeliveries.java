package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.SendResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three real agents, each serving {@code /metrics} on 127.0.0.1: after they link and the quality rounds rate their
 * loopback links HIGH, a broadcast from one is delivered at the two others, and a scrape over HTTP shows non-zero
 * link, mode, RTT and delivery series, per-link series labelled by neighbour only (no message ids), and broadcast
 * and unicast latency histograms whose counts equal the messages each agent delivered.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MetricsEndpointShowsLinksModesAndDeliveries {

    @Test
    void aScrapeAfterABroadcastShowsLinksModesRttAndDeliveries() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            List<MeshAgent> agents = new ArrayList<>();
            List<InetSocketAddress> endpoints = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MeshAgent a = mesh.start(mesh.config(Identity.generate(), i).degree(2)
                        .qualityInterval(Duration.ofMillis(300))
                        .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build());
                agents.add(a);
                endpoints.add(a.startMetrics(null)); // already started by start(): the same address
            }
            RealMesh.await("three agents form one overlay", Duration.ofSeconds(30), mesh::settled);
            RealMesh.await("every link rated HIGH", Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 3; i++) {
                    int n = agents.get(i).neighbours().size();
                    if (n == 0 || value(scrape(endpoints.get(i)), "jrtc_mesh_links{mode=\"high\"}") != n) {
                        return false;
                    }
                }
                return true;
            });
            byte[] payload = "metered".getBytes(StandardCharsets.UTF_8);
            SendResult r = agents.get(0).broadcast(payload);
            assertThat(r.status()).isEqualTo(SendResult.Status.ACCEPTED);
            RealMesh.await("both others deliver it", Duration.ofSeconds(10),
                    () -> mesh.count(1, agents.get(0).id(), r.sequence()) == 1
                            && mesh.count(2, agents.get(0).id(), r.sequence()) == 1);
            // more broadcasts from two origins, and unicasts to agent 1: every delivery records its latency from the
            // origination time its envelope carries (nothing is recorded by the test)
            List<SendResult> more = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                more.add(agents.get(i % 2 == 0 ? 2 : 0).broadcast(("b" + i).getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(more).allSatisfy(x -> assertThat(x.accepted()).isTrue());
            agents.get(0).sendWithAck(agents.get(1).id(), "u1".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            agents.get(2).sendWithAck(agents.get(1).id(), "u2".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            long[] expected = {2, 5, 3}; // agent 0 gets agent 2's two, agent 1 all five, agent 2 agent 0's three
            RealMesh.await("every broadcast delivered", Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 3; i++) {
                    int at = i;
                    if (mesh.deliveries.stream().filter(g -> g.at() == at && g.message().broadcast()).count()
                            != expected[i]) {
                        return false;
                    }
                }
                return true;
            });
            // the acknowledgements may overtake agent 1's onMessage callbacks: wait for both unicasts to be recorded
            RealMesh.await("both unicasts recorded at agent 1", Duration.ofSeconds(5), () -> mesh.deliveries.stream()
                    .filter(g -> g.at() == 1 && !g.message().broadcast()).count() == 2);
            long broadcastsAt1 = mesh.deliveries.stream().filter(g -> g.at() == 1 && g.message().broadcast()).count();
            long unicastsAt1 = mesh.deliveries.stream().filter(g -> g.at() == 1 && !g.message().broadcast()).count();
            assertThat(unicastsAt1).isEqualTo(2);

            String text = scrape(endpoints.get(1));
            System.out.println(text.lines().filter(l -> l.startsWith("jrtc_mesh_") && !l.contains("bucket"))
                    .reduce((x, y) -> x + "\n" + y).orElse(""));
            int neighbours = agents.get(1).neighbours().size();
            assertThat(value(text, "jrtc_mesh_links{mode=\"high\"}")).isEqualTo(neighbours);
            assertThat(value(text, "jrtc_mesh_link_mode_changes_total{to=\"high\"}")).isGreaterThanOrEqualTo(neighbours);
            assertThat(value(text, "jrtc_mesh_messages_delivered_total")).isGreaterThanOrEqualTo(1);
            assertThat(value(text, "jrtc_mesh_broadcast_received_total")).isGreaterThanOrEqualTo(1);
            assertThat(value(text, "jrtc_mesh_messages_dropped_total{reason=\"bad_signature\"}")).isZero();
            assertThat(value(text, "jrtc_mesh_active_view")).isEqualTo(neighbours);
            assertThat(value(text, "jrtc_mesh_broadcast_latency_seconds_count")).isEqualTo(broadcastsAt1);
            assertThat(value(text, "jrtc_mesh_broadcast_latency_seconds_sum")).isGreaterThan(0).isLessThan(5.0);
            assertThat(value(text, "jrtc_mesh_unicast_latency_seconds_count")).isEqualTo(unicastsAt1);
            assertThat(value(text, "jrtc_mesh_latency_clock_skew_total")).isZero(); // one JVM, one clock
            for (int i = 0; i < 3; i++) { // each agent counts exactly the broadcasts it delivered
                int at = i;
                long got = mesh.deliveries.stream().filter(g -> g.at() == at && g.message().broadcast()).count();
                assertThat(value(scrape(endpoints.get(i)), "jrtc_mesh_broadcast_latency_seconds_count")).as("agent %d", i)
                        .isEqualTo(got);
            }
            List<String> rtt = series(text, "jrtc_mesh_link_rtt_seconds");
            assertThat(rtt).hasSize(neighbours);
            for (String line : rtt) {
                assertThat(line).matches("jrtc_mesh_link_rtt_seconds\\{neighbour=\"[0-9a-f]{32}\"} .*");
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                assertThat(v).as(line).isGreaterThan(0).isLessThan(0.15);
            }
            assertThat(series(text, "jrtc_mesh_link_loss_ratio")).hasSize(neighbours);
            // the origin forwarded nothing it did not originate, but the sum over the three agents' deliveries is 2
            double delivered = 0;
            for (InetSocketAddress e : endpoints) {
                delivered += value(scrape(e), "jrtc_mesh_messages_delivered_total");
            }
            assertThat(delivered).isGreaterThanOrEqualTo(2);
        }
    }

    static String scrape(InetSocketAddress at) {
        return RealMesh.get(at.getPort(), "/metrics");
    }

    /** The value of the series named exactly {@code series} (name and labels), or NaN when absent. */
    static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static List<String> series(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + "{")).toList();
    }
}
