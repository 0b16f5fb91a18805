package io.jrtc.sctp.internal;

/** Mutable counters of one association, snapshotted into {@code SctpStats}. Owned by the association's thread. */
public final class Counters {
    public long packetsSent;
    public long packetsReceived;
    public long bytesSent;
    public long bytesReceived;
    public long dataChunksSent;
    public long dataChunksReceived;
    public long controlChunksSent;
    public long controlChunksReceived;
    public long messagesSent;
    public long messagesReceived;
    public long userBytesSent;
    public long userBytesReceived;
    public long retransmittedChunks;
    public long fastRetransmits;
    public long t3Expiries;
    public long abandonedMessages;
    public long duplicateTsnsReceived;
    public long sacksSent;
    public long sacksReceived;
    public long forwardTsnsSent;
    public long forwardTsnsReceived;
    public long heartbeatsSent;
    public long heartbeatAcksReceived;
    public long dropsMalformed;
    public long dropsChecksum;
    public long dropsVerificationTag;
    public long dropsState;
    public long dropsReceiveWindow;
    public long dropsOther;
}
