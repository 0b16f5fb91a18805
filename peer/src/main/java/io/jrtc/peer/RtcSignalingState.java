package io.jrtc.peer;

/** W3C {@code RTCSignalingState}. */
public enum RtcSignalingState {
    STABLE, HAVE_LOCAL_OFFER, HAVE_REMOTE_OFFER, HAVE_LOCAL_PRANSWER, HAVE_REMOTE_PRANSWER, CLOSED
}
