package io.jrtc.sctp;

/** A send on a stream whose outgoing side is being reset (closed); the stream id is usable again once the reset completes. */
public final class StreamClosingException extends IllegalStateException {

    public StreamClosingException(int streamId) {
        super("stream " + streamId + " is being reset; no more messages can be sent on it");
    }
}
