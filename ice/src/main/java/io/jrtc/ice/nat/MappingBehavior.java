package io.jrtc.ice.nat;

/**
 * How a NAT maps an internal address to external ones (RFC 4787 §4.1, as discovered by RFC 5780 §4.3).
 *
 * <p>Without a NAT (the mapped address is the local address) the mapping is trivially
 * {@link #ENDPOINT_INDEPENDENT}; {@link NatBehaviorResult#behindNat()} tells the two cases apart.
 */
public enum MappingBehavior {
    /** The same mapping is reused for every destination (mapping test II saw test I's mapped address). */
    ENDPOINT_INDEPENDENT,
    /** The mapping depends on the destination IP only (tests II and III to one IP saw one mapped address). */
    ADDRESS_DEPENDENT,
    /** The mapping depends on the destination IP and port (a new mapped address per destination). */
    ADDRESS_AND_PORT_DEPENDENT,
    /** Not determined: a test went unanswered or failed, or the server lacks RFC 5780 support. */
    UNKNOWN;

    /**
     * The name in lower case with dashes ({@code address-and-port-dependent}): how logs, audit entries, metrics and signaling
     * show it.
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
