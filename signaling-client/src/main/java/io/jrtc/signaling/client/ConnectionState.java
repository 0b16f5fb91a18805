package io.jrtc.signaling.client;

/** Where a {@link SignalingClient} is. */
public enum ConnectionState {
    /** Created, {@code connect()} not called yet. */
    NEW,
    /** Opening the WebSocket or waiting for {@code registered}. */
    CONNECTING,
    /** Registered: messages go out at once. */
    REGISTERED,
    /** Lost the connection (or refused transiently); a reconnect is scheduled. Messages are queued. */
    RECONNECTING,
    /** Closed by {@code close()}, by a final refusal, or because another session took the id over. */
    CLOSED
}
