package io.jrtc.ice;

/**
 * Candidate types (RFC 8445 §5.1.1, W3C {@code RTCIceCandidateType}) with their recommended type preferences
 * (RFC 8445 §5.1.2.2).
 */
public enum IceCandidateType {
    HOST("host", 126),
    SRFLX("srflx", 100),
    PRFLX("prflx", 110),
    RELAY("relay", 0);

    private final String token;
    private final int typePreference;

    IceCandidateType(String token, int typePreference) {
        this.token = token;
        this.typePreference = typePreference;
    }

    /** The SDP token ({@code host}, {@code srflx}, {@code prflx}, {@code relay}). */
    public String token() {
        return token;
    }

    /** The RFC 8445 §5.1.2.2 recommended type preference, 0..126. */
    public int typePreference() {
        return typePreference;
    }
}
