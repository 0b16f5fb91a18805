package io.jrtc.mesh;

/**
 * A message delivered to a {@link MeshAgent}: a broadcast, or a unicast addressed to it.
 *
 * @param origin    the agent that signed it (verified)
 * @param sequence  its sequence number at the origin; (origin, sequence) identifies it
 * @param hops      links it travelled (1: from a neighbour)
 * @param broadcast true for a broadcast, false for a unicast
 * @param payload   the bytes (owned by the listener)
 * @param channel   the channel class it came on: RELIABLE, UNRELIABLE ({@link Delivery#UNRELIABLE}), or BULK for a
 *                  reassembled bulk transfer ({@link MeshAgent#sendBulk}), whose {@code sequence} is the transfer id
 * @param originTime when the origin signed it, by the origin's wall clock, in microseconds since the epoch (a bulk
 *                  transfer: its first chunk)
 */
public record MeshMessage(AgentId origin, long sequence, int hops, boolean broadcast, byte[] payload,
                          ChannelClass channel, long originTime) {

    /** A reliable message with no origination time (0). */
    public MeshMessage(AgentId origin, long sequence, int hops, boolean broadcast, byte[] payload) {
        this(origin, sequence, hops, broadcast, payload, ChannelClass.RELIABLE, 0);
    }
}
