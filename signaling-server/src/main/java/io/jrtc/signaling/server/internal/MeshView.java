package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@code link_report} of each agent registered here: what {@code /mesh} and the page's mesh console show.
 * At most one entry per registered agent (a report replaces the last; the entry goes when its session closes), so it is
 * bounded by the instance's agent limit times {@link Protocol#MAX_REPORTED_LINKS}. Agents registered at other
 * instances (over Redis) are not seen here. Thread-safe: sessions on every event loop report into it.
 */
final class MeshView {

    private record Entry(long sessionId, List<InboundMessage.ReportedLink> links,
            io.jrtc.signaling.protocol.Message.LinkReport.Nat nat, long atMillis) {
    }

    private final ConcurrentHashMap<String, Entry> reports = new ConcurrentHashMap<>();

    /** Keeps {@code r} as the current report of {@code s}'s agent. */
    void report(Session s, InboundMessage.LinkReport r, long nowMillis) {
        reports.put(s.agentId(), new Entry(s.id(), r.links(), r.nat(), nowMillis));
    }

    /** Forgets {@code agentId}'s report if {@code s} made it (a newer session of the same id keeps its own). */
    void forget(String agentId, Session s) {
        reports.computeIfPresent(agentId, (k, e) -> e.sessionId() == s.id() ? null : e);
    }

    /** How many agents have a report. */
    int size() {
        return reports.size();
    }

    /**
     * {@code {"instance":…,"agents":[{"id":…,"reported_ms_ago":…|null,"links":[{"agent","mode","rtt_ms"}],
     * "nat":{"status","mapping","filtering"}|null}]}}: every agent in {@code registered} (sorted), with its report if it
     * sent one (its NAT behaviour if the report carried one, revision 6).
     */
    String toJson(String instanceId, Collection<String> registered, long nowMillis) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("instance", instanceId);
        ArrayNode agents = root.putArray("agents");
        registered.stream().sorted().forEach(id -> {
            ObjectNode a = agents.addObject();
            a.put("id", id);
            Entry e = reports.get(id);
            if (e == null) {
                a.putNull("reported_ms_ago");
            } else {
                a.put("reported_ms_ago", Math.max(0, nowMillis - e.atMillis()));
            }
            ArrayNode links = a.putArray("links");
            if (e != null) {
                for (InboundMessage.ReportedLink l : e.links()) {
                    ObjectNode o = links.addObject();
                    o.put("agent", l.agent());
                    o.put("mode", l.mode());
                    if (l.rttMs() == null) {
                        o.putNull("rtt_ms");
                    } else {
                        o.put("rtt_ms", l.rttMs());
                    }
                }
            }
            if (e == null || e.nat() == null) {
                a.putNull("nat");
            } else {
                ObjectNode n = a.putObject("nat");
                n.put("status", e.nat().status());
                n.put("mapping", e.nat().mapping());
                n.put("filtering", e.nat().filtering());
            }
        });
        return root.toString();
    }
}
