package io.jrtc.mesh;

/**
 * What the overlay core reports through {@link OverlayCore#pollEvent()}. Some events are requests to the link
 * edge ({@link ConnectRequested}, {@link CloseRequested}); the edge answers them with link inputs.
 */
public sealed interface OverlayEvent {

    /**
     * A message for this agent: a broadcast, or a unicast addressed here. {@code hops} counts links travelled;
     * {@code channel} is the class it came on (RELIABLE, UNRELIABLE, or BULK for a reassembled bulk transfer, whose
     * {@code sequence} is then its transfer id); {@code originTime} is the origin's wall clock when it signed the
     * message (microseconds since the epoch; a bulk transfer's first chunk) and {@code latencyNanos} this core's wall
     * clock ({@code now + OverlayConfig.wallClockOffsetNanos}) minus it: negative when the clocks disagree.
     */
    record Delivered(AgentId origin, long sequence, int hops, boolean broadcast, byte[] payload, ChannelClass channel,
                     long originTime, long latencyNanos) implements OverlayEvent {
    }

    /**
     * Stop ({@code paused}) or resume reading the data channel of class {@code channel} of link {@code linkId}: a
     * forwarder's onward bulk queue is full, so the upstream sender is held by the transport's own window.
     */
    record PauseInbound(long linkId, ChannelClass channel, boolean paused) implements OverlayEvent {
    }

    /** {@code agent} joined the active view over link {@code linkId}. */
    record NeighbourUp(AgentId agent, long linkId) implements OverlayEvent {
    }

    /** {@code agent} left the active view (its link failed, or one side disconnected). */
    record NeighbourDown(AgentId agent, long linkId) implements OverlayEvent {
    }

    /**
     * The edge should open a link to {@code agent} and answer with {@link OverlayCore#linkUp} or
     * {@link OverlayCore#linkFailed}.
     */
    record ConnectRequested(AgentId agent) implements OverlayEvent {
    }

    /** The edge should close link {@code linkId}; the core has already forgotten it. */
    record CloseRequested(long linkId) implements OverlayEvent {
    }

    /**
     * A message was dropped (never for {@link DropReason#DUPLICATE}). {@code origin} is null when unknown (bytes that
     * did not parse). Security drops (bad signature, replay, malformed) are what an audit log records.
     */
    record Dropped(DropReason reason, AgentId origin, long sequence, long linkId) implements OverlayEvent {
    }

    /** The destination acknowledged unicast {@code sequence}. */
    record Acked(AgentId destination, long sequence) implements OverlayEvent {
    }

    /** No acknowledgement for unicast {@code sequence} within the acknowledgement timeout. */
    record AckTimedOut(AgentId destination, long sequence) implements OverlayEvent {
    }

    /**
     * An operator's {@link Revocation} was accepted (from the envelope of {@code publisher}, over link {@code linkId};
     * -1 when published or loaded here): the agent is on the deny list, its queued messages are dropped as
     * {@link DropReason#REVOKED}, and its link, if any, follows as {@link CloseRequested}. {@code wasNeighbour}: it
     * was in this agent's active view (the edge then re-keys the other links).
     */
    record Revoked(Revocation revocation, AgentId publisher, long linkId, boolean wasNeighbour) implements OverlayEvent {
    }

    /** Queues fell below their low-water mark after a {@link SendResult.Status#BACKPRESSURE}: send again. */
    record Writable() implements OverlayEvent {
    }
}
