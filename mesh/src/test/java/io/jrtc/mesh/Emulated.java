package io.jrtc.mesh;

import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.emu.MeshEmulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test helper: an emulated overlay built and settled, with every event it reports recorded. */
final class Emulated {

    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    final MeshEmulator emu;
    final OverlayConfig overlay;
    final List<Recorded> events = new ArrayList<>();
    /** The highest {@link OverlayCore#linkBudgetUsed()} any agent reached after any event. */
    int maxLinkBudgetSeen;

    record Recorded(long at, int node, OverlayEvent event) {
    }

    Emulated(int agents, OverlayConfig overlay, EmuConfig net) {
        this.overlay = overlay;
        this.emu = new MeshEmulator(net, overlay);
        emu.onEvent((n, e) -> {
            events.add(new Recorded(emu.now(), n.index(), e));
            maxLinkBudgetSeen = Math.max(maxLinkBudgetSeen, n.core().linkBudgetUsed());
        });
        emu.addNodes(agents);
        emu.joinSequentially(0, agents, 50 * MS);
        emu.runFor(agents * 50 * MS + 10 * S);
    }

    static Emulated build(int agents, int degree, long seed) {
        return new Emulated(agents, OverlayConfig.builder().degree(degree).build(), EmuConfig.defaults(seed));
    }

    OverlayCore core(int i) {
        return emu.node(i).core();
    }

    /** Deliveries per node of the message (origin, sequence) recorded since {@code fromEvent}. */
    Map<Integer, Integer> deliveries(AgentId origin, long sequence, int fromEvent) {
        Map<Integer, Integer> out = new HashMap<>();
        for (Recorded r : events.subList(fromEvent, events.size())) {
            if (r.event instanceof OverlayEvent.Delivered d && d.origin().equals(origin) && d.sequence() == sequence) {
                out.merge(r.node, 1, Integer::sum);
            }
        }
        return out;
    }

    <T extends OverlayEvent> List<Recorded> eventsOf(Class<T> type, int fromEvent) {
        List<Recorded> out = new ArrayList<>();
        for (Recorded r : events.subList(fromEvent, events.size())) {
            if (type.isInstance(r.event)) {
                out.add(r);
            }
        }
        return out;
    }

    long sum(java.util.function.ToLongFunction<OverlayStats> f) {
        long total = 0;
        for (int i = 0; i < emu.size(); i++) {
            total += f.applyAsLong(core(i).stats());
        }
        return total;
    }
}
