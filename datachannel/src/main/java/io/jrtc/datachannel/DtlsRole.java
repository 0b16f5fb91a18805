package io.jrtc.datachannel;

/** Which DTLS role this end has; it decides the parity of the stream ids it picks (RFC 8832 §6). */
public enum DtlsRole {
    /** DTLS client: even stream ids. */
    CLIENT,
    /** DTLS server: odd stream ids. */
    SERVER;

    /** The first stream id of this role's parity. */
    int firstStreamId() {
        return this == CLIENT ? 0 : 1;
    }

    boolean owns(int streamId) {
        return (streamId & 1) == firstStreamId();
    }
}
