package io.jrtc.mesh;

/** How a broadcast or a unicast travels: see {@link MeshAgent#broadcast(byte[], Delivery)}. */
public enum Delivery {
    /** Signed, on each link's ordered reliable channel; a broadcast's lost copies are repaired by the tree (GRAFT). */
    RELIABLE,
    /**
     * Best effort: on each link's unordered channel with {@code maxRetransmits=0}, never retransmitted nor repaired; a
     * message may be lost at any hop, or arrive out of order. Still signed and verified at every hop.
     */
    UNRELIABLE
}
