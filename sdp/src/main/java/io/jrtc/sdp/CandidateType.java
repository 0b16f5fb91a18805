package io.jrtc.sdp;

import java.util.Locale;

/** The {@code typ} of an ICE candidate (RFC 8839 section 5.1, RFC 8445 section 5.1.1). */
public enum CandidateType {
    /** A local interface address (or its mDNS name). */
    HOST("host"),
    /** The address a STUN server saw. */
    SRFLX("srflx"),
    /** An address learned from a connectivity check. */
    PRFLX("prflx"),
    /** An address allocated on a TURN server. */
    RELAY("relay");

    private final String sdpName;

    CandidateType(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The token written after {@code typ}. */
    public String sdpName() {
        return sdpName;
    }

    /** The type for a {@code typ} token (case-insensitive), or {@code null} if it is none of the four. */
    public static CandidateType fromSdp(String token) {
        return switch (token.toLowerCase(Locale.ROOT)) {
            case "host" -> HOST;
            case "srflx" -> SRFLX;
            case "prflx" -> PRFLX;
            case "relay" -> RELAY;
            default -> null;
        };
    }
}
