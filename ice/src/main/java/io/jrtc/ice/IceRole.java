package io.jrtc.ice;

/** The ICE role of the agent (RFC 8445 §6.1.1, W3C {@code RTCIceRole}). */
public enum IceRole {
    CONTROLLING,
    CONTROLLED
}
