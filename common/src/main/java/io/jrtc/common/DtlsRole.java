package io.jrtc.common;

import java.util.Objects;

/**
 * Which end of the DTLS handshake this endpoint plays; the one definition shared by {@code dtls}, which runs the
 * handshake, and {@code datachannel}, where the role decides the parity of the SCTP stream ids this end picks
 * (RFC 8832 section 6). In WebRTC it follows from the {@code a=setup} attribute (RFC 4145 section 4, RFC 5763
 * section 5, RFC 8842 section 5): the endpoint whose setup is {@code active} opens the connection, so it is the DTLS
 * client.
 */
public enum DtlsRole {
    /** Sends the ClientHello ({@code a=setup:active}); picks even stream ids. */
    CLIENT,
    /** Waits for the ClientHello ({@code a=setup:passive}); picks odd stream ids. */
    SERVER;

    /**
     * Our role from the remote description's {@code a=setup} value, as seen in an answer (or in an offer we answer
     * with the opposite): remote {@code active} means we are the {@link #SERVER}; remote {@code passive} means we
     * are the {@link #CLIENT}.
     *
     * @throws IllegalArgumentException for {@code actpass} (only valid in an offer: the answerer must pick
     *         {@code active} or {@code passive}), {@code holdconn}, or anything else
     */
    public static DtlsRole fromRemoteSetup(String remoteSetup) {
        Objects.requireNonNull(remoteSetup, "remoteSetup");
        return switch (remoteSetup.strip()) {
            case "active" -> SERVER;
            case "passive" -> CLIENT;
            case "actpass" -> throw new IllegalArgumentException(
                    "a=setup:actpass is only valid in an offer; an answer must say active or passive (RFC 5763 section 5)");
            case "holdconn" -> throw new IllegalArgumentException("a=setup:holdconn: the peer does not want a DTLS connection");
            default -> throw new IllegalArgumentException("unknown a=setup value '" + remoteSetup + "'");
        };
    }

    /** The {@code a=setup} value we put in our own answer for this role: {@code active} for CLIENT, {@code passive} for SERVER. */
    public String localSetup() {
        return this == CLIENT ? "active" : "passive";
    }

    /** The first SCTP stream id of this role's parity (RFC 8832 section 6): 0 for CLIENT, 1 for SERVER. */
    public int firstStreamId() {
        return this == CLIENT ? 0 : 1;
    }

    /** Whether this role picks {@code streamId}, i.e. whether its parity is this role's (RFC 8832 section 6). */
    public boolean ownsStreamId(int streamId) {
        return (streamId & 1) == firstStreamId();
    }
}
