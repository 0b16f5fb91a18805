package io.jrtc.ice;

import io.jrtc.common.ErrorKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** What happened inside an {@link IceAgent}; drained with {@link IceAgent#pollEvent()}. */
public sealed interface IceEvent {

    /** A local candidate to signal to the peer (trickle ICE, RFC 8838). Never a host/srflx one under RELAY. */
    record LocalCandidate(IceCandidate candidate) implements IceEvent {
    }

    /** Gathering moved on; {@code COMPLETE} is the local end-of-candidates (RFC 8838 §4.4). */
    record GatheringStateChanged(IceGatheringState state) implements IceEvent {
    }

    /** The connection state changed. */
    record ConnectionStateChanged(IceConnectionState state) implements IceEvent {
    }

    /** A new pair carries the data from now on. */
    record SelectedPairChanged(IceCandidatePair pair) implements IceEvent {
    }

    /** The role changed, after a role conflict (RFC 8445 §7.3.1.1) or {@link IceAgent#setRole}. */
    record RoleChanged(IceRole role) implements IceEvent {
    }

    /**
     * Application data (anything not STUN/TURN) that arrived on a valid pair; the buffer belongs to the receiver, except
     * after {@link IceAgent#handleInputLent}, where it is a view of the caller's input, valid while that is.
     */
    record ApplicationData(ByteBuffer data) implements IceEvent {
    }

    /**
     * The edge must open a TCP (or TLS) connection to a TURN server and report back with
     * {@link IceAgent#streamConnected} or {@link IceAgent#streamClosed}.
     *
     * @param serverName the name for TLS SNI and host name verification, or null when the URL held an IP literal
     */
    record OpenStream(SocketId id, InetSocketAddress server, boolean tls, String serverName) implements IceEvent {
    }

    /** The edge must close this stream. */
    record CloseStream(SocketId id) implements IceEvent {
    }

    /**
     * The agent needs a server host name resolved (it does no I/O itself). Answer with
     * {@link IceAgent#hostResolved(long, String, java.util.List)}; an empty list means resolution failed.
     */
    record ResolveHost(String host) implements IceEvent {
    }

    /** Something failed: a TURN allocation was refused, a server unreachable, consent lost, ... */
    record Error(ErrorKind kind, String message) implements IceEvent {
    }
}
