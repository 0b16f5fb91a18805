package io.jrtc.sctp.internal;

import io.jrtc.sctp.packet.DataChunk;

/** A DATA chunk that holds a TSN: a slice of an {@link OutMessage} plus its retransmission bookkeeping. */
public final class TxChunk {

    /** Sent and not yet acknowledged. Counts in the flight size. */
    public static final byte IN_FLIGHT = 0;
    /** Considered lost (fast retransmit or T3 expiry); waiting to be sent again. Not in the flight size. */
    public static final byte TO_RETRANSMIT = 1;
    /** Acknowledged by a Gap Ack Block (may still be reneged). */
    public static final byte GAP_ACKED = 2;
    /** Abandoned under partial reliability (RFC 3758). */
    public static final byte ABANDONED = 3;

    public final long tsn;
    public final OutMessage msg;
    public final int offset;
    public final int length;
    public final int flags;
    public final int ssn;
    /** Bytes this chunk takes in a packet, header and padding included; the unit of flight size and cwnd. */
    public final int size;

    public byte state;
    public int missIndications;
    public int transmissions;
    public long sentAt;

    public TxChunk(long tsn, OutMessage msg, int offset, int length, int flags, int ssn) {
        this.tsn = tsn;
        this.msg = msg;
        this.offset = offset;
        this.length = length;
        this.flags = flags;
        this.ssn = ssn;
        this.size = DataChunk.encodedLength(length);
    }

    public boolean ordered() {
        return (flags & DataChunk.FLAG_UNORDERED) == 0;
    }
}
