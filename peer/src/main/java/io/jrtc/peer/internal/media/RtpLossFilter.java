package io.jrtc.peer.internal.media;

/**
 * A seam for tests that need deterministic RTP loss on a real path: {@link MediaEngine#setLossFilter} installs one
 * (tests keep their implementations; production never sets one and pays a null check per packet). Called on the
 * engine's loop. RTX, RTCP and anything else the engine sends or receives never reach it.
 */
public interface RtpLossFilter {

    /**
     * An original packet of our sender {@code ssrc}, built, protected and stored for retransmission, is about to be
     * queued: true drops it (NACKs can then ask for it).
     */
    boolean dropSent(long ssrc, int sequenceNumber);

    /**
     * A received media packet (not RTX) of remote {@code ssrc}, decrypted and routed, is about to be delivered: true
     * drops it before the duplicate filter, the statistics and the NACK generator see it.
     */
    boolean dropReceived(long ssrc, int sequenceNumber);
}
