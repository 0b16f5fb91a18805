package io.jrtc.srtp;

/**
 * Why {@link SrtpSession} refused a packet. Each protect/unprotect call returns either the new packet length
 * ({@code >= 0}) or {@link #code()} of one of these (always negative). Every drop is counted in {@link SrtpStats}.
 */
public enum SrtpDropReason {
    /** Shorter than the fixed header plus the authentication tag (and SRTCP index). */
    TOO_SHORT,
    /** Not RTP/RTCP version 2, or the header (CSRCs, extension) runs past the end of the packet. */
    MALFORMED,
    /** The authentication tag did not verify: forged, corrupted, or protected with other keys. */
    AUTH_FAILED,
    /** The packet index was already seen inside the replay window (RFC 3711 section 3.3.2). */
    REPLAYED,
    /** The packet index is older than the replay window (64 packets) allows. */
    REPLAY_TOO_OLD,
    /** A new SSRC arrived but the session already tracks its configured maximum of SSRCs. */
    SSRC_LIMIT,
    /** The cipher failed for a reason other than authentication (should not happen). */
    CRYPTO_FAILURE,
    /** The session was closed. */
    CLOSED;

    private static final SrtpDropReason[] VALUES = values();

    /** The negative result code {@code protect*}/{@code unprotect*} return for this reason. */
    public int code() {
        return -1 - ordinal();
    }

    /** The reason a negative result stands for, or null when {@code result >= 0} (the packet was accepted). */
    public static SrtpDropReason ofResult(int result) {
        if (result >= 0) {
            return null;
        }
        int i = -1 - result;
        if (i >= VALUES.length) {
            throw new IllegalArgumentException("not an SRTP result code: " + result);
        }
        return VALUES[i];
    }
}
