package io.jrtc.ice;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of an agent's counters, taken by {@link IceAgent#stats()}.
 *
 * @param connectionState   the state when the snapshot was taken
 * @param role              the current role
 * @param selectedPair      the selected pair, or null
 * @param selectedRttNanos  the last round-trip time measured on the selected pair (checks and consent), or -1
 * @param traffic           bytes and packets per wire transport to the next hop (UDP, TCP, TLS)
 * @param pairs             per-pair counters
 * @param checksSent        connectivity checks sent, retransmissions included (consent checks excluded)
 * @param checksReceived    Binding requests received that passed authentication
 * @param consentChecksSent consent checks sent
 * @param keepalivesSent    Binding indications sent as keepalives
 * @param roleConflicts     role conflicts seen (487 sent or received, or a role switch)
 * @param drops             drops by reason
 * @param redundantCandidates candidates discarded as redundant (RFC 8445 §5.1.3), e.g. a server-reflexive address
 *                          equal to its host base
 * @param turn              TURN client counters
 */
public record IceStats(
        IceConnectionState connectionState,
        IceRole role,
        IceCandidatePair selectedPair,
        long selectedRttNanos,
        Map<Wire, Traffic> traffic,
        List<PairStats> pairs,
        long checksSent,
        long checksReceived,
        long consentChecksSent,
        long keepalivesSent,
        long roleConflicts,
        Map<IceDropReason, Long> drops,
        long redundantCandidates,
        TurnStats turn) {

    /** The wire transport between this agent and the next hop. */
    public enum Wire { UDP, TCP, TLS }

    /** Byte and packet counters for one direction pair. */
    public record Traffic(long packetsSent, long bytesSent, long packetsReceived, long bytesReceived) {
    }

    /**
     * Counters for one candidate pair.
     *
     * @param state            frozen, waiting, in-progress, succeeded or failed (RFC 8445 §6.1.2.6)
     * @param nominated        whether the pair was nominated
     * @param rttNanos         last measured RTT, or -1
     * @param requestsSent     checks and consent checks sent on the pair
     * @param responsesReceived successful responses received
     * @param requestsReceived checks received on the pair
     */
    public record PairStats(IceCandidatePair pair, String state, boolean nominated, long rttNanos,
                            long requestsSent, long responsesReceived, long requestsReceived,
                            long packetsSent, long bytesSent, long packetsReceived, long bytesReceived) {
    }

    /**
     * TURN counters, summed over the agent's allocations.
     *
     * @param allocations          allocations that succeeded
     * @param allocationFailures   allocations that failed
     * @param refreshes            successful Refresh transactions (deallocation included)
     * @param permissionsCreated   successful CreatePermission transactions (refreshes included)
     * @param channelBinds         successful ChannelBind transactions (refreshes included)
     * @param staleNonces          438 Stale Nonce answers retried
     * @param deallocations        successful deallocations (Refresh with LIFETIME 0)
     */
    public record TurnStats(long allocations, long allocationFailures, long refreshes, long permissionsCreated,
                            long channelBinds, long staleNonces, long deallocations) {
    }

    /** Drops for one reason (0 if none). */
    public long drops(IceDropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** Traffic over one wire transport (zeros if none). */
    public Traffic traffic(Wire wire) {
        return traffic.getOrDefault(wire, new Traffic(0, 0, 0, 0));
    }
}
