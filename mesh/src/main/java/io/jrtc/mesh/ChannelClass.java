package io.jrtc.mesh;

/**
 * The four channel classes of a mesh link. The overlay core tags every {@link Transmit} with one; the link edge maps
 * each class to its own data channel and reports back-pressure per class.
 */
public enum ChannelClass {
    /** Ordered, reliable, highest priority: membership, IHAVE/GRAFT/PRUNE. */
    CONTROL,
    /** Ordered, reliable: signed envelopes (broadcast, unicast, acknowledgements, route discovery). */
    RELIABLE,
    /** Unordered, {@code maxRetransmits=0}: envelopes sent with {@link Delivery#UNRELIABLE} (flag U), never repaired. */
    UNRELIABLE,
    /** Ordered, reliable, lowest priority: the chunks of bulk transfers, with back-pressure at every hop. */
    BULK
}
