package io.jrtc.sctp;

/** A message is larger than the negotiated maximum message size (local limit and the peer's SDP limit). */
public final class MessageTooLargeException extends IllegalArgumentException {

    private final long size;
    private final long limit;

    public MessageTooLargeException(long size, long limit) {
        super("message of " + size + " bytes exceeds the maximum message size of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
