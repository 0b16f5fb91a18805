package io.jrtc.signaling.client;

/** The client is closed (by {@code close()} or a final refusal): nothing more can be sent. */
public final class SignalingClosedException extends IllegalStateException {

    public SignalingClosedException(String message) {
        super(message);
    }
}
