package io.jrtc.mesh;

/**
 * One frame for the link edge to send: on link {@code linkId}, in the data channel of class {@code channel}. The
 * caller owns {@code bytes}.
 */
public record Transmit(long linkId, ChannelClass channel, byte[] bytes) {
}
