package io.jrtc.mesh;

/**
 * What {@link OverlayCore#broadcast} and {@link OverlayCore#send} did with a message.
 *
 * @param status whether the message was taken
 * @param sequence the envelope sequence number the message got (its id together with the local agent id), or -1
 */
public record SendResult(Status status, long sequence) {

    public enum Status {
        /** Signed and queued (or waiting for route discovery). */
        ACCEPTED,
        /**
         * Not taken: a link queue is above its high-water mark. Nothing was queued; retry after
         * {@link OverlayEvent.Writable}.
         */
        BACKPRESSURE,
        /** Not taken: the agent has no neighbour at all. */
        NOT_CONNECTED
    }

    public boolean accepted() {
        return status == Status.ACCEPTED;
    }
}
