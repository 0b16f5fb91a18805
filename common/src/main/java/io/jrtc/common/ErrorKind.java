package io.jrtc.common;

/** Coarse classification for error events raised by protocol cores. Fine detail goes in the message. */
public enum ErrorKind {
    /** Received bytes that could not be parsed. */
    MALFORMED,
    /** The peer broke a protocol rule (wrong state, wrong tag, impossible value). */
    PROTOCOL_VIOLATION,
    /** A timer ran out its retries: the peer is unreachable or silent. */
    TIMEOUT,
    /** A configured bound (queue, window, table size) would be exceeded. */
    RESOURCE_EXHAUSTED,
    /** The peer asked for something this implementation does not do. */
    UNSUPPORTED,
    /** Integrity, fingerprint or credential checks failed. */
    AUTHENTICATION,
    /** The peer aborted or closed the session. */
    PEER_ABORTED,
    /** The local application closed or aborted. */
    LOCAL_CLOSE
}
