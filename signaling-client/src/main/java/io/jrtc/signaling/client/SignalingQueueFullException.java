package io.jrtc.signaling.client;

/**
 * {@code send()} was called while the client is not registered and the queue of messages waiting for the
 * next registration already holds {@link SignalingClientConfig#maxQueuedMessages()} messages.
 */
public final class SignalingQueueFullException extends IllegalStateException {

    public SignalingQueueFullException(String message) {
        super(message);
    }
}
