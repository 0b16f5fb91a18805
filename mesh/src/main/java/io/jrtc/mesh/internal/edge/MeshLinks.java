package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The links of one agent, by remote agent (at most one each) and by link id. Agent loop only. */
final class MeshLinks {

    private final Map<AgentId, EdgeLink> byAgent = new HashMap<>();
    private final Map<Long, EdgeLink> byId = new HashMap<>();

    void put(EdgeLink l) {
        byAgent.put(l.remote, l);
        byId.put(l.id, l);
    }

    void remove(EdgeLink l) {
        byAgent.remove(l.remote, l);
        byId.remove(l.id, l);
        l.releaseBudget();
    }

    EdgeLink byAgent(AgentId a) {
        return byAgent.get(a);
    }

    EdgeLink byId(long id) {
        return byId.get(id);
    }

    List<EdgeLink> all() {
        return new ArrayList<>(byId.values());
    }

    void clear() {
        byId.values().forEach(EdgeLink::releaseBudget);
        byAgent.clear();
        byId.clear();
    }

    int size() {
        return byId.size();
    }

    int countUp() {
        int n = 0;
        for (EdgeLink l : byId.values()) {
            if (l.state == EdgeLink.State.UP) {
                n++;
            }
        }
        return n;
    }

    /** Inbound links being set up that the core does not count yet (it learns of them at linkUp). */
    int inboundUnrequested() {
        int n = 0;
        for (EdgeLink l : byId.values()) {
            if (!l.offerer && !l.requested && l.state != EdgeLink.State.UP) {
                n++;
            }
        }
        return n;
    }

    /** Inbound links being set up for a low-priority NEIGHBOR request: each may take a free active-view slot. */
    int inboundLowPriority() {
        int n = 0;
        for (EdgeLink l : byId.values()) {
            if (!l.offerer && l.lowPriority && l.state != EdgeLink.State.UP) {
                n++;
            }
        }
        return n;
    }

    /** Outbound links being set up (offered, not up yet, not a rebuild of a link the core holds). */
    int outboundOpening() {
        int n = 0;
        for (EdgeLink l : byId.values()) {
            if (l.offerer && !l.coreKnown && l.state != EdgeLink.State.UP) {
                n++;
            }
        }
        return n;
    }
}
