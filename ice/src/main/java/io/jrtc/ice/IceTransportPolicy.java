package io.jrtc.ice;

/** W3C {@code RTCIceTransportPolicy}. */
public enum IceTransportPolicy {
    /** Host, server-reflexive, peer-reflexive and relay candidates. */
    ALL,
    /**
     * Relay candidates only: no host or server-reflexive candidate is signalled, and no check or data packet
     * leaves a local socket for anything but a TURN server.
     */
    RELAY
}
