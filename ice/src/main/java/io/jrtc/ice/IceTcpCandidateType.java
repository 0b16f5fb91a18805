package io.jrtc.ice;

/** TCP candidate types (RFC 6544 §4.5, W3C {@code RTCIceTcpCandidateType}). Carried, not used for checks. */
public enum IceTcpCandidateType {
    ACTIVE,
    PASSIVE,
    SO
}
