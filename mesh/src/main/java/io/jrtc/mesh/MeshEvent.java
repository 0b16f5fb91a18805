package io.jrtc.mesh;

/** Link and mesh events of a {@link MeshAgent}, for {@link MeshAgent#onEvent}. */
public sealed interface MeshEvent {

    /**
     * An operator revoked {@code agent}'s key: its messages and links are dropped from now on. {@code wasNeighbour}:
     * this agent re-keys its other links (see {@link Rekeyed}).
     */
    record Revoked(AgentId agent, String reason, boolean wasNeighbour) implements MeshEvent {
    }

    /** The link to {@code agent} was re-keyed after a neighbour's revocation (a new PeerConnection), or it failed. */
    record Rekeyed(AgentId agent, boolean ok) implements MeshEvent {
    }

    /** A link's PeerConnection, channels and HELLO check are done; the overlay core now uses it. */
    record LinkUp(AgentId agent, boolean outbound) implements MeshEvent {
    }

    /** A link (up or being set up) is gone; {@code reason} in words (closed, failed, refused, identity mismatch...). */
    record LinkDown(AgentId agent, String reason) implements MeshEvent {
    }

    /** {@code agent} joined the active view (the overlay's neighbours). */
    record NeighbourUp(AgentId agent) implements MeshEvent {
    }

    /** {@code agent} left the active view. */
    record NeighbourDown(AgentId agent) implements MeshEvent {
    }

    /** A message was dropped by the overlay (origin null when unknown) or by the edge (send buffer full). */
    record Dropped(DropReason reason, AgentId origin) implements MeshEvent {
    }

    /** Sends refused with back-pressure may be retried. */
    record Writable() implements MeshEvent {
    }

    /** A link's quality mode changed (see {@code LinkQuality}); the overlay core now treats it accordingly. */
    record LinkModeChanged(AgentId agent, io.jrtc.mesh.quality.LinkMode from, io.jrtc.mesh.quality.LinkMode to,
            String reason) implements MeshEvent {
    }

    /**
     * A decision of a link's {@link LinkRecovery} other than a plain opening: a relay fallback ({@code fallback}), an
     * ICE restart, a rebuild, a wait, giving up, or the link back in use after any of these.
     */
    record LinkRecovered(AgentId agent, LinkRecovery.Kind kind, LinkRecovery.Path path, boolean fallback,
            String reason) implements MeshEvent {
    }

    /**
     * This agent replaced its DTLS certificate ({@link io.jrtc.mesh.CertificatePolicy}): links move onto the new one,
     * one at a time ({@link LinkRotated}). Fingerprints are SDP values ({@code AB:CD:...}).
     */
    record CertificateRotated(String oldFingerprint, String newFingerprint, java.time.Instant notAfter)
            implements MeshEvent {
    }

    /**
     * The link to {@code agent} moved onto a new connection because a certificate changed (this agent's when
     * {@code initiated}, else the remote's), make-before-break: {@code millis} from the new offer to the switch,
     * {@code gapMillis} how long the overlay had no connection to send on (the old one's send buffers emptying, or
     * the old one gone before the new one was up). {@code ok} false: the new connection failed, the old one stays.
     */
    record LinkRotated(AgentId agent, boolean ok, boolean initiated, long millis, long gapMillis) implements MeshEvent {
    }

    /** A neighbour presented a DTLS certificate outside its validity period; the connection was refused. */
    record CertificateRefused(AgentId agent, java.time.Instant notAfter, boolean expired) implements MeshEvent {
    }

    /**
     * This agent's NAT behaviour discovery ({@link NatCheck}) ended: {@code result} holds the status (whether the server
     * answered and supports RFC 5780), the mapped address, the mapping and filtering behaviour and each test's
     * evidence. Also when the server did not answer ({@code SERVER_UNREACHABLE}) or the socket could not be bound
     * ({@code result} null, {@code error} says why).
     */
    record NatDiscovered(io.jrtc.ice.nat.NatBehaviorResult result, String error) implements MeshEvent {
    }
}
