package io.jrtc.signaling.server;

/** What the server does when an {@code agent_id} that is already registered registers again. */
public enum DuplicateIdPolicy {
    /** The newcomer gets {@code agent_id_taken}; the existing session is untouched. */
    REFUSE,
    /**
     * The newcomer takes the id over; the old session gets {@code session_replaced} and is closed (4001).
     * No {@code agent_left}/{@code agent_joined} is emitted, since the id stays present throughout.
     */
    TAKE_OVER
}
