package io.jrtc.peer;

/**
 * W3C {@code RTCIceCandidateInit}: a trickled candidate as exchanged over signaling.
 *
 * @param candidate        the {@code candidate:...} attribute text; empty means end-of-candidates (RFC 8838)
 * @param sdpMid           the media section's mid, or null
 * @param sdpMLineIndex    the media section's index, or null
 * @param usernameFragment the ICE ufrag the candidate belongs to, or null
 */
public record RtcIceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {

    public RtcIceCandidate {
        candidate = candidate == null ? "" : candidate;
    }

    public RtcIceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {
        this(candidate, sdpMid, sdpMLineIndex, null);
    }

    /** The end-of-candidates marker for the given media section. */
    public static RtcIceCandidate endOfCandidates(String sdpMid, Integer sdpMLineIndex) {
        return new RtcIceCandidate("", sdpMid, sdpMLineIndex, null);
    }

    public boolean isEndOfCandidates() {
        return candidate.isBlank();
    }
}
