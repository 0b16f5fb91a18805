package io.jrtc.sdp;

import java.util.Locale;

/** The {@code tcptype} of an ICE-TCP candidate (RFC 6544 section 4.5). */
public enum TcpType {
    /** Opens connections, never accepts them (port is 9, the discard port). */
    ACTIVE("active"),
    /** Accepts connections, never opens them. */
    PASSIVE("passive"),
    /** Simultaneous open. */
    SO("so");

    private final String sdpName;

    TcpType(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The token written after {@code tcptype}. */
    public String sdpName() {
        return sdpName;
    }

    /** The type for a token (case-insensitive), or {@code null} if unknown. */
    public static TcpType fromSdp(String token) {
        return switch (token.toLowerCase(Locale.ROOT)) {
            case "active" -> ACTIVE;
            case "passive" -> PASSIVE;
            case "so" -> SO;
            default -> null;
        };
    }
}
