package io.jrtc.ice.internal;

import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.SocketId;
import java.net.InetSocketAddress;

/**
 * A local candidate with what the agent needs to send from it: the socket (host, srflx) or the TURN client
 * (relay). Server-reflexive candidates are signalled but never paired: their pairs are replaced by their base's
 * (RFC 8445 §6.1.2.4).
 */
public final class LocalCand {

    public final IceCandidate candidate;
    /** The host socket this candidate sends from (host/srflx), or the TURN client's socket or stream (relay). */
    public final SocketId via;
    /** The transport address of the base: the bound address (host/srflx) or the relayed address (relay). */
    public final InetSocketAddress base;
    /** The TURN client for relay candidates, else null. */
    public final TurnClient relay;
    /** Wire transport to the next hop (UDP for host; UDP, TCP or TLS to the TURN server). */
    public final IceStats.Wire wire;

    public LocalCand(IceCandidate candidate, SocketId via, InetSocketAddress base, TurnClient relay, IceStats.Wire wire) {
        this.candidate = candidate;
        this.via = via;
        this.base = base;
        this.relay = relay;
        this.wire = wire;
    }

    public IceCandidateType type() {
        return candidate.type();
    }

    /** Host and relay candidates take part in pairs. */
    public boolean pairable() {
        return candidate.type() == IceCandidateType.HOST || candidate.type() == IceCandidateType.RELAY;
    }

    @Override
    public String toString() {
        return candidate.toString();
    }
}
