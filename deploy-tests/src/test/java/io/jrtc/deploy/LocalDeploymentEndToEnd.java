package io.jrtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jrtc.cli.ClientAgent;
import io.jrtc.cli.EchoAgent;
import io.jrtc.cli.RttSummary;
import io.jrtc.signaling.client.SignalingMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * deploy/local/up end to end: its three mesh agents register through nginx on both signaling instances and form one
 * mesh, a line typed into one is printed by every other with its origin and hop count; agents reach both signaling
 * instances through nginx (TLS, WebSocket upgrade) and Redis, a data channel opens between agents on different
 * instances, Prometheus has every target up, every panel query of the signaling and mesh dashboards returns data, and
 * the scraped metrics (signaling instances and mesh agents) follow Prometheus naming conventions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalDeploymentEndToEnd {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MESH_AGENTS = 3;

    private LocalDeployment d;
    private Agents agents;
    private final Set<String> agentIds = new TreeSet<>();

    @BeforeAll
    void up() throws Exception {
        LocalDeployment.requireTools();
        d = LocalDeployment.up(MESH_AGENTS);
        agents = new Agents(d);
    }

    @AfterAll
    void down() {
        if (agents != null) {
            agents.close();
        }
        if (d != null) {
            d.close();
        }
    }

    @Test
    @Order(0)
    void aMeshBroadcastTypedIntoOneAgentArrivesAtEveryOther() throws Exception {
        List<String> mesh = d.meshAgents();
        assertThat(mesh).hasSize(MESH_AGENTS);
        Map<String, String> shown = new LinkedHashMap<>(); // name -> "name (hex8)", as the consoles print it
        for (String m : mesh) {
            Matcher r = MeshProcess.REGISTERED.matcher(d.meshOut(m));
            assertThat(r.find()).as("%s registered (up waits for it)%s", m, d.logs()).isTrue();
            assertThat(r.group(1)).isEqualTo(m);
            assertThat(d.meshOut(m)).contains(" registered at wss://" + d.nsAddress() + "/ws");
            shown.put(m, m + " (" + r.group(2).substring(0, 8) + ")");
        }
        // through nginx, round-robin: both instances carry mesh agents (nothing else is registered yet)
        int on1 = d.agentsOn("signaling-1");
        int on2 = d.agentsOn("signaling-2");
        assertThat(on1 + on2).isEqualTo(MESH_AGENTS);
        assertThat(on1).as("mesh agents on signaling-1").isPositive();
        assertThat(on2).as("mesh agents on signaling-2").isPositive();

        assertThat(Agents.await(Duration.ofSeconds(60), () -> MeshProcess.oneComponent(meshLinks(mesh), Set.copyOf(mesh))))
                .as("the links the consoles printed join every mesh agent: %s%s", meshLinks(mesh), d.logs()).isTrue();

        String first = mesh.getFirst();
        String text = "hello deployment " + java.util.UUID.randomUUID();
        d.type(first, text);
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(shown.get(first)) + " \\[(\\d+) hops?\\]: " + Pattern.quote(text) + "$");
        for (String other : mesh.subList(1, mesh.size())) {
            assertThat(Agents.await(Duration.ofSeconds(30), () -> line.matcher(d.meshOut(other)).find()))
                    .as("%s printed %s's broadcast%s", other, first, d.logs()).isTrue();
            Matcher m = line.matcher(d.meshOut(other));
            assertThat(m.find()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).as("hops to %s", other).isBetween(1, MESH_AGENTS - 1);
        }
        assertThat(d.meshOut(first)).as("the sender does not print its own line").doesNotContain(text);

        // "@name text" from the last to the second reaches only the second, and is acknowledged
        String last = mesh.getLast();
        String second = mesh.get(1);
        String psst = "psst " + java.util.UUID.randomUUID();
        d.type(last, "@" + second + " " + psst);
        assertThat(Agents.await(Duration.ofSeconds(30), () -> d.meshOut(second).contains(shown.get(last) + " [1 hop, to you]: " + psst)
                || d.meshOut(second).contains(shown.get(last) + " [2 hops, to you]: " + psst)))
                .as("%s printed %s's unicast%s", second, last, d.logs()).isTrue();
        assertThat(Agents.await(Duration.ofSeconds(30), () -> d.meshOut(last).contains("* delivered to " + shown.get(second))))
                .as("%s's acknowledgement%s", last, d.logs()).isTrue();
        assertThat(d.meshOut(first)).doesNotContain(psst);
    }

    @Test
    @Order(4)
    void aRestartedMeshAgentSaysGoodbyeThenRejoinsWithItsIdAndHearsBroadcasts() throws Exception {
        List<String> mesh = d.meshAgents();
        String restarted = mesh.get(1);
        Matcher before = MeshProcess.REGISTERED.matcher(d.meshOut(restarted));
        assertThat(before.find()).isTrue();
        String shown = restarted + " (" + before.group(2).substring(0, 8) + ")";

        d.service("stop", restarted); // SIGTERM: it says goodbye to its neighbours
        for (String other : List.of(mesh.getFirst(), mesh.getLast())) {
            assertThat(Agents.await(Duration.ofSeconds(30), () -> d.meshOut(other).contains("* neighbour down: " + shown)))
                    .as("%s saw %s go%s", other, restarted, d.logs()).isTrue();
        }
        d.service("start", restarted); // returns once it registered again (its console starts afresh)
        Matcher after = MeshProcess.REGISTERED.matcher(d.meshOut(restarted));
        assertThat(after.find()).isTrue();
        assertThat(after.group(2)).as("the agent id, from the key kept in STATE/mesh").isEqualTo(before.group(2));
        assertThat(Agents.await(Duration.ofSeconds(60), () -> MeshProcess.NEIGHBOUR_UP.matcher(d.meshOut(restarted)).find()))
                .as("%s linked again%s", restarted, d.logs()).isTrue();

        String text = "welcome back " + java.util.UUID.randomUUID();
        d.type(mesh.getFirst(), text);
        assertThat(Agents.await(Duration.ofSeconds(30),
                () -> Pattern.compile("(?m)^" + Pattern.quote(mesh.getFirst() + " (") + "[0-9a-f]{8}\\) \\[\\d+ hops?\\]: "
                        + Pattern.quote(text) + "$").matcher(d.meshOut(restarted)).find()))
                .as("%s printed the broadcast after its restart%s", restarted, d.logs()).isTrue();
    }

    private Map<String, Set<String>> meshLinks(List<String> mesh) {
        Map<String, String> outputs = new HashMap<>();
        mesh.forEach(m -> outputs.put(m, d.meshOut(m)));
        return MeshProcess.links(outputs);
    }

    @Test
    @Order(1)
    void agentsOnTwoInstancesOpenADataChannelThroughNginxAndRedis() throws Exception {
        EchoAgent echo = agents.echo("e2e-echo");
        agentIds.add("e2e-echo");
        String echoOn = agents.landing(() -> echo.start().get(20, TimeUnit.SECONDS));
        Agents.Placed placed = agents.clientAgentAwayFrom(echoOn, "e2e-client", c -> agentIds.add(c.agentId()));
        ClientAgent client = placed.agent();
        assertThat(placed.instance()).as("a client on the instance the echo agent is not on").isNotEqualTo(echoOn);

        ClientAgent.Session s = client.connect("e2e-echo", Duration.ofSeconds(30));
        RttSummary rtt = s.ping(50, 32, false, Duration.ofSeconds(20));
        assertThat(rtt.count()).isEqualTo(50);

        // Prometheus: every target up (signaling-1, signaling-2, itself, the mesh agents; coturn has no exporter in
        // Debian's build).
        assertThat(Agents.await(Duration.ofSeconds(30), () -> allTargetsUp(3 + MESH_AGENTS))).as("targets: %s", targets()).isTrue();
    }

    private boolean allTargetsUp(int expected) {
        try {
            JsonNode active = d.prometheus("/api/v1/targets").get("activeTargets");
            int up = 0;
            for (JsonNode t : active) {
                up += "up".equals(t.get("health").asText()) ? 1 : 0;
            }
            return active.size() == expected && up == expected;
        } catch (Exception e) {
            return false;
        }
    }

    private String targets() {
        try {
            return d.prometheus("/api/v1/targets").toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    @Order(2)
    void scrapedMetricsFollowPrometheusNamingAndBoundedLabels() throws Exception {
        for (String instance : Agents.INSTANCES) {
            PrometheusText text = PrometheusText.parse(d.curlInside("http://" + instance + ":8080/metrics"));
            Map<String, String> types = text.types();
            Map<String, Set<Map<String, String>>> seriesByFamily = new HashMap<>();
            text.samples().forEach((family, samples) -> {
                for (PrometheusText.Sample sm : samples) {
                    seriesByFamily.computeIfAbsent(family, k -> new HashSet<>()).add(sm.labels());
                    sm.labels().forEach((name, value) -> {
                        assertThat(name).as("label of %s", sm.name())
                                .isIn("type", "code", "path", "event", "le", "quantile");
                        assertThat(value).as("label value of %s", sm.name())
                                .doesNotMatch("\\d{9,}:.*") // a TURN REST username
                                .isNotIn(agentIds);
                    });
                }
            });
            assertThat(types).as("%s exposes the jrtc families", instance)
                    .containsKeys("jrtc_signaling_messages_relayed_total", "jrtc_signaling_errors_total",
                            "jrtc_signaling_relay_latency_seconds", "jrtc_signaling_agents_connected",
                            "jrtc_signaling_backbone_up");
            types.forEach((name, type) -> {
                assertThat(name).matches("jrtc_[a-z0-9_]+").doesNotContain("__")
                        .doesNotEndWith("_ms").doesNotContain("millis").doesNotContain("_count_");
                switch (type) {
                    case "counter" -> assertThat(name).as("counter").endsWith("_total");
                    case "histogram", "summary" -> assertThat(name).as("%s with a unit", type).endsWith("_seconds");
                    case "gauge" -> assertThat(name).as("gauge").doesNotEndWith("_total");
                    default -> throw new AssertionError(name + " has type " + type);
                }
                // bounded cardinality: a histogram has ~70 buckets per path; nothing grows with agents or messages
                assertThat(seriesByFamily.getOrDefault(name, Set.of()).size()).as("series of %s", name).isLessThan(400);
            });
        }
    }

    @Test
    @Order(3)
    void everySignalingDashboardPanelQueryReturnsData() throws Exception {
        // Traffic for every panel: relays across instances and within one, presence, and an error.
        Agents.Client a = agents.client("dash-a");
        String aOn = agents.landing(() -> a.client().connect().get(20, TimeUnit.SECONDS));
        List<Agents.Client> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Agents.Client c = agents.client("dash-" + i);
            agents.landing(() -> c.client().connect().get(20, TimeUnit.SECONDS));
            others.add(c);
        }
        for (int round = 0; round < 20; round++) {
            for (Agents.Client c : others) {
                a.client().sendCandidate(c.id(), "candidate:1 1 udp 1 10.0.0.1 " + (1000 + round) + " typ host", "0", 0);
                c.client().sendCandidate(a.id(), "candidate:1 1 udp 1 10.0.0.2 " + (2000 + round) + " typ host", "0", 0);
            }
        }
        a.client().sendCandidate("nobody-here", "candidate:1 1 udp 1 10.0.0.1 9 typ host", "0", 0);
        assertThat(Agents.next(a.inbox(), SignalingMessage.Error.class, Duration.ofSeconds(5))).isNotNull();
        assertThat(aOn).isIn(Agents.INSTANCES);

        Path dashboards = d.repo.resolve("deploy/grafana/dashboards");
        JsonNode dash = JSON.readTree(Files.readString(dashboards.resolve("signaling.json")));
        Map<String, String> failing = new LinkedHashMap<>();
        int queries = 0;
        for (JsonNode panel : dash.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText().replace("$__rate_interval", "1m");
                queries++;
                String title = panel.get("title").asText() + " / " + target.get("refId").asText();
                boolean ok = Agents.await(Duration.ofSeconds(20), () -> hasFiniteValue(expr));
                if (!ok) {
                    failing.put(title, expr);
                }
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(10);
        assertThat(failing).as("panel queries without data").isEmpty();
    }

    private boolean hasFiniteValue(String expr) {
        try {
            for (JsonNode r : d.query(expr)) {
                double v = Double.parseDouble(r.get("value").get(1).asText());
                if (Double.isFinite(v)) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- the mesh agents' metrics (./jrtc mesh --metrics-port, scrape job "mesh") and deploy/grafana/dashboards/mesh.json

    /** mesh-N's metrics target, as deploy/prometheus/prometheus.yml and deploy/local/lib.sh name it. */
    private static String meshTarget(String agent) {
        return agent + ":" + (9463 + Integer.parseInt(agent.substring("mesh-".length())));
    }

    /** The value of a one-series instant query, NaN when it has none (or Prometheus did not answer). */
    private double scalar(String expr) {
        try {
            JsonNode r = d.query(expr);
            return r.isEmpty() ? Double.NaN : Double.parseDouble(r.get(0).get("value").get(1).asText());
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    @Test
    @Order(5)
    void everyMeshDashboardPanelQueryReturnsDataAfterBroadcasts() throws Exception {
        List<String> mesh = d.meshAgents();
        assertThat(Agents.await(Duration.ofSeconds(30), () -> scalar("count(up{job=\"mesh\"} == 1)") == MESH_AGENTS))
                .as("every mesh agent scraped: %s", targets()).isTrue();
        // Broadcasts from the first agent: each other agent's delivered counter, as Prometheus has it, goes up by them.
        String first = mesh.getFirst();
        Map<String, Double> before = new LinkedHashMap<>();
        for (String m : mesh.subList(1, mesh.size())) {
            before.put(m, scalar("jrtc_mesh_messages_delivered_total{instance=\"" + meshTarget(m) + "\"}"));
            assertThat(before.get(m)).as("%s's delivered counter in Prometheus", m).isNotNaN();
        }
        int broadcasts = 3;
        for (int i = 0; i < broadcasts; i++) {
            String text = "dashboard " + i + " " + java.util.UUID.randomUUID();
            d.type(first, text);
            for (String m : before.keySet()) {
                assertThat(Agents.await(Duration.ofSeconds(30), () -> d.meshOut(m).contains("]: " + text)))
                        .as("%s printed broadcast %d%s", m, i, d.logs()).isTrue();
            }
        }
        // Then a burst in one write (a line each): a link's loss figure needs 20 packets in a 2 s quality window.
        int burst = 40;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < burst; i++) {
            lines.append(i == 0 ? "" : "\n").append("burst ").append(i);
        }
        d.type(first, lines.toString());
        for (String m : before.keySet()) {
            assertThat(Agents.await(Duration.ofSeconds(30), () -> d.meshOut(m).contains("]: burst " + (burst - 1))))
                    .as("%s printed the burst%s", m, d.logs()).isTrue();
        }
        for (String m : before.keySet()) {
            String q = "jrtc_mesh_messages_delivered_total{instance=\"" + meshTarget(m) + "\"}";
            assertThat(Agents.await(Duration.ofSeconds(20), () -> scalar(q) >= before.get(m) + broadcasts + burst))
                    .as("%s delivered %d more (was %s, now %s)", m, broadcasts + burst, before.get(m), scalar(q)).isTrue();
        }
        assertThat(scalar("sum(jrtc_mesh_broadcast_received_total)")).isGreaterThanOrEqualTo(2.0 * (broadcasts + burst));
        // Per-link series: every agent has RTT series for its links, never more than its maxLinks (degree 2 + 2).
        assertThat(Agents.await(Duration.ofSeconds(20), () -> scalar("count(count by (instance) (jrtc_mesh_link_rtt_seconds >= 0))") == MESH_AGENTS))
                .as("a measured RTT on every agent: %s", d.query("jrtc_mesh_link_rtt_seconds")).isTrue();
        for (JsonNode r : d.query("count by (instance) (jrtc_mesh_link_rtt_seconds)")) {
            assertThat(r.get("value").get(1).asInt()).as("RTT series of %s", r.get("metric")).isBetween(1, 4);
        }

        // Every ./jrtc mesh records the latency of each broadcast it delivers (from the origination time the envelope
        // carries): each agent's histogram counts at least the broadcasts and the burst it printed.
        assertThat(scalar("count(jrtc_mesh_broadcast_latency_seconds_count)")).isEqualTo(MESH_AGENTS);
        for (String m : before.keySet()) {
            String q = "jrtc_mesh_broadcast_latency_seconds_count{instance=\"" + meshTarget(m) + "\"}";
            assertThat(Agents.await(Duration.ofSeconds(20), () -> scalar(q) >= broadcasts + burst))
                    .as("%s recorded the latency of %d broadcasts (now %s)", m, broadcasts + burst, scalar(q)).isTrue();
        }

        JsonNode dash = JSON.readTree(Files.readString(d.repo.resolve("deploy/grafana/dashboards/mesh.json")));
        Map<String, String> failing = new LinkedHashMap<>();
        int queries = 0;
        for (JsonNode panel : dash.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText().replace("$__rate_interval", "1m");
                queries++;
                String title = panel.get("title").asText() + " / " + target.get("refId").asText();
                if (!Agents.await(Duration.ofSeconds(20), () -> hasFiniteValue(expr))) {
                    failing.put(title, expr);
                }
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(20);
        assertThat(failing).as("mesh panel queries without data").isEmpty();
    }

    @Test
    @Order(6)
    void meshAgentMetricsFollowPrometheusNamingAndBoundedLabels() throws Exception {
        Set<String> counters = Set.of("jrtc_mesh_messages_delivered_total", "jrtc_mesh_messages_forwarded_total",
                "jrtc_mesh_messages_duplicated_total", "jrtc_mesh_broadcast_received_total",
                "jrtc_mesh_messages_dropped_total", "jrtc_mesh_link_attempts_total", "jrtc_mesh_relay_fallbacks_total",
                "jrtc_mesh_link_mode_changes_total");
        Set<String> gauges = Set.of("jrtc_mesh_links", "jrtc_mesh_link_rtt_seconds", "jrtc_mesh_link_loss_ratio",
                "jrtc_mesh_rmr", "jrtc_mesh_last_delivery_hops", "jrtc_mesh_active_view", "jrtc_mesh_passive_view",
                "jrtc_mesh_links_held");
        for (String agent : d.meshAgents()) {
            PrometheusText text = PrometheusText.parse(d.curlInside("http://" + meshTarget(agent) + "/metrics"));
            counters.forEach(c -> assertThat(text.types()).as("%s exports %s", agent, c).containsEntry(c, "counter"));
            gauges.forEach(g -> assertThat(text.types()).as("%s exports %s", agent, g).containsEntry(g, "gauge"));
            assertThat(text.types()).containsEntry("jrtc_mesh_broadcast_latency_seconds", "histogram");
            text.types().forEach((name, type) -> {
                assertThat(name).matches("jrtc_mesh_[a-z0-9_]+").doesNotContain("__").doesNotEndWith("_ms");
                switch (type) {
                    case "counter" -> assertThat(name).as("counter").endsWith("_total");
                    case "histogram" -> assertThat(name).as("histogram with a unit").endsWith("_seconds");
                    case "gauge" -> assertThat(name).as("gauge").doesNotEndWith("_total");
                    default -> throw new AssertionError(name + " has type " + type);
                }
                // bounded cardinality: enum labels, and per-link series at most maxLinks (degree 2 + 2)
                List<PrometheusText.Sample> samples = text.of(name);
                assertThat(samples.size()).as("samples of %s", name).isLessThan(40);
                for (PrometheusText.Sample s : samples) {
                    assertThat(s.labels().keySet()).as("labels of %s", s.name())
                            .isSubsetOf("mode", "reason", "result", "to", "neighbour", "le", "status", "mapping", "filtering");
                    if (s.labels().containsKey("neighbour")) {
                        assertThat(s.labels().get("neighbour")).as("an agent id").matches("[0-9a-f]{32}");
                        assertThat(samples.size()).as("per-link series of %s", name).isBetween(1, 4);
                    }
                }
            });
            assertThat(text.of("jrtc_mesh_messages_dropped_total")).extracting(s -> s.labels().get("reason"))
                    .doesNotHaveDuplicates().allMatch(r -> r.matches("[a-z_]+"));
            // the NAT check against the TURN server signaling hands out (coturn on one address: no RFC 5780 support,
            // so the mapping is known and the filtering is not): one series, its labels RFC 5780's enum values
            assertThat(text.of("jrtc_mesh_nat_behaviour")).as("%s reports its NAT behaviour", agent).hasSize(1);
            for (PrometheusText.Sample s : text.of("jrtc_mesh_nat_behaviour")) {
                assertThat(s.value()).isEqualTo(1.0);
                assertThat(s.labels().get("status")).isIn("complete", "no-rfc5780-support", "server-unreachable",
                        "server-error");
                assertThat(s.labels().get("mapping")).isIn("endpoint-independent", "address-dependent",
                        "address-and-port-dependent", "unknown");
                assertThat(s.labels().get("filtering")).isIn("endpoint-independent", "address-dependent",
                        "address-and-port-dependent", "unknown");
            }
        }
    }
}
