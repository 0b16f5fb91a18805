package io.jrtc.sctp;

/**
 * A snapshot of one association's counters and congestion state.
 *
 * @param srttNanos    smoothed RTT, or -1 before any measurement
 * @param rtoNanos     current retransmission timeout
 * @param cwnd         congestion window, bytes
 * @param ssthresh     slow-start threshold, bytes
 * @param flightSize   bytes of DATA chunks in flight
 * @param peerRwnd     the peer's receive window as we see it
 * @param localRwnd    the window we would advertise now
 */
public record SctpStats(
        long packetsSent, long packetsReceived, long bytesSent, long bytesReceived,
        long dataChunksSent, long dataChunksReceived, long controlChunksSent, long controlChunksReceived,
        long messagesSent, long messagesReceived, long userBytesSent, long userBytesReceived,
        long retransmittedChunks, long fastRetransmits, long t3Expiries, long abandonedMessages,
        long duplicateTsnsReceived, long sacksSent, long sacksReceived, long forwardTsnsSent, long forwardTsnsReceived,
        long heartbeatsSent, long heartbeatAcksReceived,
        long dropsMalformed, long dropsChecksum, long dropsVerificationTag, long dropsState, long dropsReceiveWindow,
        long dropsOther,
        long srttNanos, long rtoNanos, long cwnd, long ssthresh, long flightSize, long peerRwnd, long localRwnd,
        long bufferedAmount, int outboundStreams, int inboundStreams, long jumpStartRate, long jumpStartCwnd) {

    /** Every packet dropped on receipt, whatever the reason. */
    public long droppedPackets() {
        return dropsMalformed + dropsChecksum + dropsVerificationTag + dropsState + dropsOther;
    }
}
