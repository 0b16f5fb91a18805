package io.jrtc.mesh;

/**
 * A message delivered to a {@link MeshAgent}: a broadcast, or a unicast addressed to it.
 *
 * @param origin    the agent that signed it (verified)
 * @param sequence  its sequence number at the origin; (origin, sequence) identifies it
 * @param hops      links it travelled (1: from a neighbour)
 * @param broadcast true for a broadcast, false for a unicast
 * @param payload   the bytes (owned by the listener)
 */
public record MeshMessage(AgentId origin, long sequence, int hops, boolean broadcast, byte[] payload) {
}
