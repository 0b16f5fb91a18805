package io.jrtc.cli.internal;

/** The little the agents need to read from an SDP without parsing it all. */
public final class Sdp {

    private Sdp() {
    }

    /**
     * The session id of the {@code o=} line (RFC 8866 §5.2: {@code o=<username> <sess-id> <sess-version> ...}). It stays
     * the same across the re-offers of one session (RFC 3264 §8), so a different id from the same agent means a new
     * session (a reloaded page, a restarted agent). Null when there is no well-formed {@code o=} line.
     */
    public static String sessionId(String sdp) {
        if (sdp == null) {
            return null;
        }
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("o=")) {
                String[] f = line.substring(2).trim().split(" +");
                return f.length >= 3 ? f[1] : null;
            }
        }
        return null;
    }
}
