package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A unicast to an agent at least four links away: the sender has no route, discovers one (ROUTE_REQUEST over the
 * tree, ROUTE_REPLY back), the message crosses every hop, and the end-to-end acknowledgement comes back.
 */
class UnicastCrossesFourOrMoreHops {

    @Test
    void messageReachesAFarAgentAndIsAcknowledged() {
        Emulated m = Emulated.build(150, 3, 51);
        int from = 0;
        Map<AgentId, Integer> dist = distances(m, m.emu.node(from).id());
        AgentId far = dist.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(dist.get(far)).as("overlay distance to the farthest agent").isGreaterThanOrEqualTo(4);
        int to = m.emu.byAgent(far).index();

        int mark = m.events.size();
        SendResult r = m.emu.send(from, to, "hello far away".getBytes(), true);
        assertThat(r.accepted()).isTrue();
        m.emu.runFor(3 * Emulated.S);

        var delivered = m.eventsOf(OverlayEvent.Delivered.class, mark).stream()
                .filter(e -> !((OverlayEvent.Delivered) e.event()).broadcast()).toList();
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).node()).isEqualTo(to);
        OverlayEvent.Delivered d = (OverlayEvent.Delivered) delivered.get(0).event();
        assertThat(new String(d.payload())).isEqualTo("hello far away");
        assertThat(d.hops()).isGreaterThanOrEqualTo(4);
        assertThat(d.origin()).isEqualTo(m.emu.node(from).id());
        assertThat(m.eventsOf(OverlayEvent.Acked.class, mark))
                .singleElement().satisfies(e -> {
                    assertThat(e.node()).isEqualTo(from);
                    assertThat(((OverlayEvent.Acked) e.event()).sequence()).isEqualTo(r.sequence());
                });

        // The route is cached now: a second message needs no discovery and arrives as fast as the hops allow.
        int mark2 = m.events.size();
        long sent = m.emu.now();
        SendResult r2 = m.emu.send(from, to, "again".getBytes(), false);
        m.emu.runFor(2 * Emulated.S);
        var second = m.eventsOf(OverlayEvent.Delivered.class, mark2).stream()
                .filter(e -> e.node() == to && !((OverlayEvent.Delivered) e.event()).broadcast()).toList();
        assertThat(second).hasSize(1);
        assertThat(((OverlayEvent.Delivered) second.get(0).event()).sequence()).isEqualTo(r2.sequence());
        int hops = ((OverlayEvent.Delivered) second.get(0).event()).hops();
        assertThat(second.get(0).at() - sent).isLessThanOrEqualTo(hops * 26 * Emulated.MS);
    }

    private static Map<AgentId, Integer> distances(Emulated m, AgentId start) {
        Map<AgentId, Integer> dist = new HashMap<>();
        ArrayDeque<AgentId> q = new ArrayDeque<>();
        dist.put(start, 0);
        q.add(start);
        while (!q.isEmpty()) {
            AgentId a = q.poll();
            for (AgentId n : m.emu.byAgent(a).core().activeView()) {
                if (!dist.containsKey(n)) {
                    dist.put(n, dist.get(a) + 1);
                    q.add(n);
                }
            }
        }
        return dist;
    }
}
