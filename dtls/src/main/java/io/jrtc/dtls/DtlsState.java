package io.jrtc.dtls;

/** Lifecycle of a {@link DtlsEndpoint}; names follow W3C {@code RTCDtlsTransportState} where one exists. */
public enum DtlsState {
    /** Created, {@code start} not yet called. */
    NEW,
    /** Handshake running. */
    CONNECTING,
    /** Handshake complete and authenticated; application data flows. */
    CONNECTED,
    /** Closed by either side (close_notify sent or received). */
    CLOSED,
    /** Handshake or record layer failed; see the {@link DtlsEvent.Failed} event. */
    FAILED
}
