package io.jrtc.peer.media;

import io.jrtc.sdp.Direction;

/**
 * W3C {@code RTCRtpTransceiver}: one m-section of the session, pairing a sender and a receiver that share a mid.
 * Obtained from {@code PeerConnection.addTransceiver}, {@code addTrack} (through the sender) or {@code onTrack}.
 *
 * <p>Threads: the getters may be called from any thread (they read volatile state). {@link #setDirection} may be
 * called from any thread; it takes effect at the next negotiation, which it requests through
 * {@code onNegotiationNeeded}.
 */
public interface RtpTransceiver {

    /** The mid once negotiated (or assigned by an offer we created), else null. */
    String mid();

    MediaKind kind();

    /** The direction we want (W3C {@code direction}); takes effect at the next offer or answer. */
    Direction direction();

    /** Changes {@link #direction()} and, if it changed, fires {@code onNegotiationNeeded}. */
    void setDirection(Direction direction);

    /**
     * The negotiated direction (W3C {@code currentDirection}): what this side does since the last completed
     * offer/answer, or null before one completed.
     */
    Direction currentDirection();

    RtpSender sender();

    RtpReceiver receiver();
}
