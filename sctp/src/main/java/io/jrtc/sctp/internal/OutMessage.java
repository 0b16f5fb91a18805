package io.jrtc.sctp.internal;

/**
 * One user message on its way out: the bytes (copied once at {@code send}), its delivery options, and how far
 * fragmentation has got. Shared by the send queue (unsent part) and the retransmission queue (sent fragments).
 */
public final class OutMessage {

    public final int streamId;
    public final int ppid;
    public final byte[] data;
    public final boolean unordered;
    /** Absolute deadline for partial reliability by lifetime, or {@code Long.MAX_VALUE}. */
    public final long expiresAt;
    /** Partial reliability by retransmissions, or -1 for unlimited. */
    public final int maxRetransmits;

    /** Offset of the first byte not yet put into a DATA chunk. */
    public int offset;
    /** Stream sequence number, assigned when the first fragment is produced (ordered messages only). */
    public int ssn;
    /** First TSN used by this message, or -1 while nothing is sent. */
    public long firstTsn = -1;
    /** Last TSN used so far. */
    public long lastTsn = -1;
    /** Set once the message is abandoned (RFC 3758 §3.5): no more fragments are sent or retransmitted. */
    public boolean abandoned;

    public OutMessage(int streamId, int ppid, byte[] data, boolean unordered, long expiresAt, int maxRetransmits) {
        this.streamId = streamId;
        this.ppid = ppid;
        this.data = data;
        this.unordered = unordered;
        this.expiresAt = expiresAt;
        this.maxRetransmits = maxRetransmits;
    }

    public int size() {
        return data.length;
    }

    public int remaining() {
        return data.length - offset;
    }

    public boolean isPartiallyReliable() {
        return maxRetransmits >= 0 || expiresAt != Long.MAX_VALUE;
    }
}
