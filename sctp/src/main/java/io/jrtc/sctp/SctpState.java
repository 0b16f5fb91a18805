package io.jrtc.sctp;

/** Association states of RFC 9260 §4. {@link #CLOSED} is both "not yet opened" and "terminated". */
public enum SctpState {
    CLOSED,
    COOKIE_WAIT,
    COOKIE_ECHOED,
    ESTABLISHED,
    SHUTDOWN_PENDING,
    SHUTDOWN_SENT,
    SHUTDOWN_RECEIVED,
    SHUTDOWN_ACK_SENT
}
