package io.jrtc.ice.nat;

/**
 * Which inbound datagrams a NAT (or firewall) lets through to a mapping (RFC 4787 §5, as discovered by RFC 5780
 * §4.4).
 */
public enum FilteringBehavior {
    /** Datagrams from any address reach the mapping (the answer from the other IP and port arrived). */
    ENDPOINT_INDEPENDENT,
    /** Only datagrams from an IP the client sent to (the answer from the other port arrived, not the other IP's). */
    ADDRESS_DEPENDENT,
    /** Only datagrams from an IP and port the client sent to (neither changed answer arrived). */
    ADDRESS_AND_PORT_DEPENDENT,
    /** Not determined: the server lacks RFC 5780 support, refused CHANGE-REQUEST, or answered from the wrong address. */
    UNKNOWN;

    /**
     * The name in lower case with dashes ({@code address-and-port-dependent}): how logs, audit entries, metrics and signaling
     * show it.
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
