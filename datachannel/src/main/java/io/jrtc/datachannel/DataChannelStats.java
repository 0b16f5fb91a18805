package io.jrtc.datachannel;

/** W3C {@code RTCDataChannelStats} for one channel. */
public record DataChannelStats(String label, String protocol, int id, DataChannelState state, long messagesSent,
        long bytesSent, long messagesReceived, long bytesReceived) {
}
