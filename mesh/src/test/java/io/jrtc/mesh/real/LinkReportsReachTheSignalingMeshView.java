package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four real agents send link reports after each quality round: the embedded signaling server's {@code GET /mesh}
 * lists every agent with exactly its neighbours (by signaling id), each link with a mode and an RTT.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LinkReportsReachTheSignalingMeshView {

    private record Reported(String agent, String mode, String rttMs) {
    }

    private static final Pattern AGENT = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"reported_ms_ago\":(null|\\d+),"
            + "\"links\":\\[([^\\]]*)](?:,\"nat\":(?:null|\\{[^}]*}))?}");
    private static final Pattern LINK = Pattern.compile(
            "\\{\"agent\":\"([^\"]+)\",\"mode\":\"([A-Z_]+)\",\"rtt_ms\":([^}]+)}");

    @Test
    void meshViewShowsEveryAgentsLinks() throws Exception {
        try (RealMesh mesh = new RealMesh()) {
            for (int i = 0; i < 4; i++) {
                mesh.start(mesh.config(Identity.generate(), i).name("agent" + i).degree(2)
                        .qualityInterval(Duration.ofMillis(300)).build());
            }
            RealMesh.await("four agents form one overlay", Duration.ofSeconds(30), mesh::settled);
            Map<String, List<Reported>> view = new HashMap<>();
            int[] expected = new int[1];
            RealMesh.await("/mesh shows each agent's neighbours", Duration.ofSeconds(20), () -> {
                view.clear();
                view.putAll(parse(RealMesh.get(mesh.server.boundPort(), "/mesh")));
                expected[0] = 0;
                for (MeshAgent a : mesh.agents) {
                    expected[0] += a.neighbours().size();
                }
                // the overlay may still move: compared at one moment; a link reported before its first RTT sample
                // (reports every 300 ms) shows none yet, so the view must also carry an RTT for every link
                return matches(mesh, view) && view.values().stream().flatMap(List::stream)
                        .noneMatch(r -> "null".equals(r.rttMs()));
            });
            int links = 0;
            for (List<Reported> l : view.values()) {
                for (Reported r : l) {
                    links++;
                    assertThat(r.mode()).isIn("HIGH", "MEDIUM", "LOW");
                    assertThat(r.rttMs()).as("an RTT, not null").isNotEqualTo("null");
                    assertThat(Double.parseDouble(r.rttMs())).isGreaterThan(0).isLessThan(1000);
                }
            }
            System.out.println("/mesh: " + view.size() + " agents, " + links + " links: " + view);
            assertThat(view).hasSize(4);
            assertThat(links).isEqualTo(expected[0]).isGreaterThanOrEqualTo(6);
        }
    }

    /** Agent signaling id to its reported links; an agent with no report yet maps to null. */
    private static Map<String, List<Reported>> parse(String json) {
        Map<String, List<Reported>> out = new HashMap<>();
        Matcher a = AGENT.matcher(json);
        while (a.find()) {
            if (a.group(2).equals("null")) {
                out.put(a.group(1), null);
                continue;
            }
            Matcher l = LINK.matcher(a.group(3));
            List<Reported> links = new java.util.ArrayList<>();
            while (l.find()) {
                links.add(new Reported(l.group(1), l.group(2), l.group(3)));
            }
            out.put(a.group(1), links);
        }
        return out;
    }

    /** Whether every agent's reported links are exactly its current neighbours, by signaling id. */
    private static boolean matches(RealMesh mesh, Map<String, List<Reported>> view) {
        for (MeshAgent a : mesh.agents) {
            List<Reported> links = view.get(a.signalingId());
            if (links == null) {
                return false;
            }
            Set<String> reported = new HashSet<>();
            links.forEach(l -> reported.add(l.agent()));
            Set<String> expected = new HashSet<>();
            for (AgentId n : a.neighbours()) {
                expected.add(mesh.agent(mesh.indexOf(n)).signalingId());
            }
            if (!reported.equals(expected) || expected.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
