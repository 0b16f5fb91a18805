package io.jrtc.sctp;

/** Queuing a message would take the association's unsent bytes over {@link SctpConfig#maxSendBuffer()}. */
public final class SendBufferFullException extends IllegalStateException {

    public SendBufferFullException(long buffered, long size, long limit) {
        super("send buffer full: " + buffered + " bytes queued + " + size + " exceeds the limit of " + limit);
    }

    /** For a limit other than the association's send buffer (e.g. one data channel's), named in {@code message}. */
    public SendBufferFullException(String message) {
        super(message);
    }
}
