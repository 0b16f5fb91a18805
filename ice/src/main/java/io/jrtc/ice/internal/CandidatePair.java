package io.jrtc.ice.internal;

import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceStats;

/** A candidate pair in the check list, with its RFC 8445 §6.1.2.6 state. Mutable, owned by the agent. */
public final class CandidatePair {

    /** RFC 8445 §6.1.2.6 pair states. */
    public enum State { FROZEN, WAITING, IN_PROGRESS, SUCCEEDED, FAILED }

    public final LocalCand local;
    public final RemoteCand remote;
    public final Generation generation;
    public long priority;
    public State state = State.FROZEN;
    /** Both ends agreed on this pair (USE-CANDIDATE and a successful check). */
    public boolean nominated;
    /** Controlled side: the peer sent USE-CANDIDATE before our own check succeeded (RFC 8445 §7.3.1.5). */
    public boolean nominateOnSuccess;
    /** Controlling side, regular nomination: the next check on this pair carries USE-CANDIDATE. */
    public boolean nominating;
    /** An authenticated check arrived on this pair, so the peer may already send data on it. */
    public boolean requestReceived;
    public boolean inTriggeredQueue;
    /** Controlled side: one check was sent back on this already-succeeded pair when the peer checked it. */
    public boolean checkedBack;
    public long rttNanos = -1;
    public long lastSentAt = Long.MIN_VALUE;
    public long lastReceivedAt = Long.MIN_VALUE;
    public long consentAt = Long.MIN_VALUE;

    public long requestsSent;
    public long responsesReceived;
    public long requestsReceived;
    public long packetsSent;
    public long bytesSent;
    public long packetsReceived;
    public long bytesReceived;

    public CandidatePair(LocalCand local, RemoteCand remote, Generation generation) {
        this.local = local;
        this.remote = remote;
        this.generation = generation;
    }

    /**
     * RFC 8445 §6.1.2.3: {@code 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)}, G being the controlling agent's candidate
     * priority and D the controlled agent's.
     */
    public static long pairPriority(long controlling, long controlled) {
        long min = Math.min(controlling, controlled);
        long max = Math.max(controlling, controlled);
        return (min << 32) + 2 * max + (controlling > controlled ? 1 : 0);
    }

    public void computePriority(IceRole role) {
        long l = local.candidate.priority();
        long r = remote.candidate.priority();
        priority = role == IceRole.CONTROLLING ? pairPriority(l, r) : pairPriority(r, l);
    }

    /** Foundation of the pair: local and remote foundations joined (RFC 8445 §6.1.2.6). */
    public String foundation() {
        return local.candidate.foundation() + ":" + remote.candidate.foundation();
    }

    public boolean pending() {
        return state == State.FROZEN || state == State.WAITING || state == State.IN_PROGRESS;
    }

    /** Data may flow on this pair: it was validated, or the peer checked it (so the peer may use it). */
    public boolean usable() {
        return state == State.SUCCEEDED || requestReceived;
    }

    public IceCandidatePair toPublic() {
        return new IceCandidatePair(local.candidate, remote.candidate);
    }

    public IceStats.PairStats stats() {
        return new IceStats.PairStats(toPublic(), state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                nominated, rttNanos, requestsSent, responsesReceived, requestsReceived, packetsSent, bytesSent,
                packetsReceived, bytesReceived);
    }

    @Override
    public String toString() {
        return local.candidate.type().token() + " " + local.base + " -> " + remote.candidate.type().token() + " "
                + (remote.address != null ? remote.address : remote.candidate.address()) + " [" + state + (nominated ? ", nominated" : "") + "]";
    }
}
