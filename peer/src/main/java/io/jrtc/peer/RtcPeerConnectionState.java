package io.jrtc.peer;

/** W3C {@code RTCPeerConnectionState}: the aggregate of the ICE and DTLS transports' states. */
public enum RtcPeerConnectionState {
    NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED
}
