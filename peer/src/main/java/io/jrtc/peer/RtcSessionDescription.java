package io.jrtc.peer;

import java.util.Objects;

/**
 * W3C {@code RTCSessionDescriptionInit}: the type and the SDP text, exactly as exchanged over signaling.
 *
 * @param type offer, answer, pranswer or rollback
 * @param sdp  the session description text (empty for rollback)
 */
public record RtcSessionDescription(RtcSdpType type, String sdp) {

    public RtcSessionDescription {
        Objects.requireNonNull(type, "type");
        sdp = sdp == null ? "" : sdp;
    }

    public static RtcSessionDescription offer(String sdp) {
        return new RtcSessionDescription(RtcSdpType.OFFER, sdp);
    }

    public static RtcSessionDescription answer(String sdp) {
        return new RtcSessionDescription(RtcSdpType.ANSWER, sdp);
    }
}
