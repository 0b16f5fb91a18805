package io.jrtc.sctp;

/** Queuing a message would take the association's unsent bytes over {@link SctpConfig#maxSendBuffer()}. */
public final class SendBufferFullException extends IllegalStateException {

    public SendBufferFullException(long buffered, long size, long limit) {
        super("send buffer full: " + buffered + " bytes queued + " + size + " exceeds the limit of " + limit);
    }
}
