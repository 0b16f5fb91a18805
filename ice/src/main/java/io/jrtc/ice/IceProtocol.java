package io.jrtc.ice;

/** The transport protocol of a candidate (W3C {@code RTCIceProtocol}). */
public enum IceProtocol {
    UDP,
    TCP;

    /** The SDP token ({@code udp}/{@code tcp}). */
    public String token() {
        return this == UDP ? "udp" : "tcp";
    }
}
