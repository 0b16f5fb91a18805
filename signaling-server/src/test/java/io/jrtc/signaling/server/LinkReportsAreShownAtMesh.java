package io.jrtc.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Revision 4's {@code link_report}: a registered agent reports its mesh links, the server keeps the latest report per
 * agent and shows every registered agent with its links at {@code /mesh} (what the page's mesh console draws); a report
 * replaces the last, leaves with its session, and a bad or unregistered report gets its error.
 */
class LinkReportsAreShownAtMesh {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    private static RawWebSocket register(SignalingServer s, String id) throws Exception {
        RawWebSocket ws = RawWebSocket.connect(s.boundPort());
        ws.sendJson("{\"type\":\"register\",\"agent_id\":\"" + id + "\"}");
        JsonNode r = ws.readJson();
        assertThat(r.path("type").asText()).isEqualTo("registered");
        List<String> features = new ArrayList<>();
        r.path("features").forEach(f -> features.add(f.asText()));
        assertThat(features).as("the server announces link reports").contains("link_report");
        return ws;
    }

    /** GET /mesh until {@code until} holds (5 s at most); returns the last body. */
    private static JsonNode meshWhen(int port, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode last;
        do {
            Servers.Http h = Servers.get(port, "/mesh");
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.contentType()).startsWith("application/json");
            last = RawWebSocket.JSON.readTree(h.body());
            if (until.test(last)) {
                return last;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll again: /mesh has no push
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/mesh never showed the expected state; last: " + last);
    }

    private static JsonNode agent(JsonNode mesh, String id) {
        for (JsonNode a : mesh.path("agents")) {
            if (a.path("id").asText().equals(id)) {
                return a;
            }
        }
        return null;
    }

    @Test
    void reportsAreKeptPerAgentReplacedAndForgottenWithTheSession() throws Exception {
        SignalingServer s = servers.start();
        int port = s.boundPort();
        RawWebSocket a = register(s, "agent-a");
        RawWebSocket b = register(s, "agent-b");

        a.sendJson("{\"type\":\"link_report\",\"links\":[{\"agent\":\"agent-b\",\"mode\":\"HIGH\",\"rtt_ms\":1.5},"
                + "{\"agent\":\"agent-c\",\"mode\":\"LOW\",\"rtt_ms\":null}]}");
        JsonNode mesh = meshWhen(port, m -> agent(m, "agent-a") != null && agent(m, "agent-a").path("links").size() == 2);
        assertThat(mesh.path("instance").asText()).isEqualTo(s.instanceId());
        assertThat(mesh.path("agents")).extracting(n -> n.path("id").asText()).containsExactly("agent-a", "agent-b");
        JsonNode links = agent(mesh, "agent-a").path("links");
        assertThat(links.get(0).path("agent").asText()).isEqualTo("agent-b");
        assertThat(links.get(0).path("mode").asText()).isEqualTo("HIGH");
        assertThat(links.get(0).path("rtt_ms").asDouble()).isEqualTo(1.5);
        assertThat(links.get(1).path("rtt_ms").isNull()).isTrue();
        assertThat(agent(mesh, "agent-a").path("reported_ms_ago").isNumber()).isTrue();
        assertThat(agent(mesh, "agent-b").path("links").size()).as("b reported nothing").isZero();
        assertThat(agent(mesh, "agent-b").path("reported_ms_ago").isNull()).isTrue();

        // a newer report replaces the older
        a.sendJson("{\"type\":\"link_report\",\"links\":[{\"agent\":\"agent-b\",\"mode\":\"MEDIUM\",\"rtt_ms\":20}]}");
        mesh = meshWhen(port, m -> agent(m, "agent-a").path("links").size() == 1);
        assertThat(agent(mesh, "agent-a").path("links").get(0).path("mode").asText()).isEqualTo("MEDIUM");
        assertThat(agent(mesh, "agent-a").path("nat").isNull()).as("no NAT behaviour reported").isTrue();

        // revision 6: a report may carry the agent's NAT behaviour, shown as it came
        a.sendJson("{\"type\":\"link_report\",\"links\":[{\"agent\":\"agent-b\",\"mode\":\"MEDIUM\",\"rtt_ms\":20}],"
                + "\"nat\":{\"status\":\"complete\",\"mapping\":\"address-dependent\",\"filtering\":\"endpoint-independent\"}}");
        mesh = meshWhen(port, m -> !agent(m, "agent-a").path("nat").isNull());
        assertThat(agent(mesh, "agent-a").path("nat").toString()).isEqualTo("{\"status\":\"complete\","
                + "\"mapping\":\"address-dependent\",\"filtering\":\"endpoint-independent\"}");
        assertThat(agent(mesh, "agent-b").path("nat").isNull()).isTrue();

        // a bad report is refused with its id; the last good one stays
        a.sendJson("{\"type\":\"link_report\",\"id\":\"r9\",\"links\":[{\"agent\":\"agent-b\",\"mode\":\"fast\"}]}");
        JsonNode err = a.readJson();
        while (err.path("type").asText().equals("agent_joined")) { // b's arrival, announced to a
            err = a.readJson();
        }
        assertThat(err.path("type").asText()).isEqualTo("error");
        assertThat(err.path("code").asText()).isEqualTo("invalid_message");
        assertThat(err.path("id").asText()).isEqualTo("r9");
        assertThat(agent(RawWebSocket.JSON.readTree(Servers.get(port, "/mesh").body()), "agent-a").path("links").size()).isEqualTo(1);

        // the report leaves with its session
        a.close();
        meshWhen(port, m -> agent(m, "agent-a") == null);
        b.close();
    }

    @Test
    void aReportBeforeRegisteringIsRefused() throws Exception {
        SignalingServer s = servers.start();
        RawWebSocket ws = RawWebSocket.connect(s.boundPort());
        ws.sendJson("{\"type\":\"link_report\",\"id\":1,\"links\":[]}");
        JsonNode err = ws.readJson();
        assertThat(err.path("code").asText()).isEqualTo("not_registered");
        assertThat(err.path("id").asText()).isEqualTo("1");
        ws.close();
    }
}
