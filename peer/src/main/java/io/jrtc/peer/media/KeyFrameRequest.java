package io.jrtc.peer.media;

/**
 * The remote asked one of our senders for a key frame: a picture loss indication (RFC 4585 section 6.3.1) or a full
 * intra request (RFC 5104 section 4.3.1). A forwarding server passes it upstream with
 * {@link RtpReceiver#requestKeyFrame()}; a media source encodes a key frame.
 *
 * @param type        which message asked
 * @param senderSsrc  the SSRC the remote sent the feedback from
 * @param mediaSsrc   our SSRC it is about
 */
public record KeyFrameRequest(Type type, long senderSsrc, long mediaSsrc) {

    /** The RTCP feedback message. */
    public enum Type {
        /** Picture Loss Indication (PSFB, FMT 1). */
        PLI,
        /** Full Intra Request (PSFB, FMT 4). */
        FIR
    }
}
