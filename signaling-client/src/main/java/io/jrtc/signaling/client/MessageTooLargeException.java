package io.jrtc.signaling.client;

/** A message whose JSON encoding exceeds {@link SignalingClientConfig#maxMessageBytes()}; it was not sent. */
public final class MessageTooLargeException extends IllegalArgumentException {

    public MessageTooLargeException(String message) {
        super(message);
    }
}
