package io.jrtc.ice;

/** W3C {@code RTCIceTransportState} / {@code RTCIceConnectionState}. */
public enum IceConnectionState {
    /** Waiting for remote candidates; no check sent yet. */
    NEW,
    /** Checks are running and no pair has been selected. */
    CHECKING,
    /** A pair is selected and consent is fresh. */
    CONNECTED,
    /** Connected, gathering finished, the peer signalled end-of-candidates and no check is pending. */
    COMPLETED,
    /** The selected pair went silent for longer than the disconnected timeout; consent has not yet expired. */
    DISCONNECTED,
    /** Every pair failed after end-of-candidates, or consent expired (RFC 7675). */
    FAILED,
    /** The agent was closed. */
    CLOSED
}
