package io.jrtc.ice;

/** W3C {@code RTCIceGatheringState}. */
public enum IceGatheringState {
    NEW,
    GATHERING,
    COMPLETE
}
