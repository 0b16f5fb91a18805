package io.jrtc.ice;

/**
 * A candidate pair as seen by the application (RFC 8445 §6.1.2).
 *
 * @param local  the local candidate (host, relay, or, for a check answered from an unexpected mapping, its base)
 * @param remote the remote candidate (possibly peer-reflexive, learnt from a check)
 */
public record IceCandidatePair(IceCandidate local, IceCandidate remote) {
}
