package io.jrtc.ice.internal;

import io.jrtc.ice.IceDropReason;
import io.jrtc.ice.IceStats;

/** Mutable counters of one agent and its TURN clients. Single-threaded, like the agent. */
public final class Counters {

    private static final IceDropReason[] REASONS = IceDropReason.values();
    private static final IceStats.Wire[] WIRES = IceStats.Wire.values();

    private final long[] drops = new long[REASONS.length];
    private final long[] packetsSent = new long[WIRES.length];
    private final long[] bytesSent = new long[WIRES.length];
    private final long[] packetsReceived = new long[WIRES.length];
    private final long[] bytesReceived = new long[WIRES.length];

    public long checksSent;
    public long checksReceived;
    public long consentChecksSent;
    public long keepalivesSent;
    public long roleConflicts;
    public long redundantCandidates;

    public long turnAllocations;
    public long turnAllocationFailures;
    public long turnRefreshes;
    public long turnPermissions;
    public long turnChannelBinds;
    public long turnStaleNonces;
    public long turnDeallocations;

    public void drop(IceDropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long drops(IceDropReason reason) {
        return drops[reason.ordinal()];
    }

    public void sent(IceStats.Wire wire, int bytes) {
        packetsSent[wire.ordinal()]++;
        bytesSent[wire.ordinal()] += bytes;
    }

    public void received(IceStats.Wire wire, int bytes) {
        packetsReceived[wire.ordinal()]++;
        bytesReceived[wire.ordinal()] += bytes;
    }

    public IceStats.Traffic traffic(IceStats.Wire wire) {
        int i = wire.ordinal();
        return new IceStats.Traffic(packetsSent[i], bytesSent[i], packetsReceived[i], bytesReceived[i]);
    }

    public IceStats.TurnStats turnStats() {
        return new IceStats.TurnStats(turnAllocations, turnAllocationFailures, turnRefreshes, turnPermissions,
                turnChannelBinds, turnStaleNonces, turnDeallocations);
    }
}
