package io.jrtc.peer.internal.media;

/**
 * Test seam: decides whether an RTP packet is lost on the way. On a sender ({@link Sender#setLossHook}) it drops
 * original packets after they were built, encrypted and stored for retransmission; on the engine
 * ({@link MediaEngine#setInboundLossHook}) it drops received media packets after SRTP. Either way NACKs can repair
 * them; retransmissions (RTX), RTCP and a stream's first packet are never dropped (a receiver cannot NACK a packet
 * that comes before everything it has seen, so a lost first packet is beyond repair). Used by tests that need deterministic loss on a real UDP
 * path; never set in production.
 */
@FunctionalInterface
public interface LossHook {
    boolean drop(long ssrc, int sequenceNumber);
}
