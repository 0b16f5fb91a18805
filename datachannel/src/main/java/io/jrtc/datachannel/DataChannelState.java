package io.jrtc.datachannel;

/** W3C {@code RTCDataChannelState}. */
public enum DataChannelState {
    CONNECTING,
    OPEN,
    CLOSING,
    CLOSED
}
