package io.jrtc.sdp;

/**
 * An SDP attribute ({@code a=<name>[:<value>]}, RFC 8866 section 5.13) that this module understands.
 * Each one is an immutable value parsed from, and serialised back to, the text of an {@link Attribute};
 * the raw {@link Attribute} list of a description stays the source of truth, so anything typed here is
 * a view over it.
 */
public sealed interface TypedAttribute
        permits Candidate, FingerprintAttribute, Setup, Direction, Group, RtpMap, Fmtp, RtcpFb, ExtMap, Ssrc,
        SsrcGroup, Msid, SctpMap {

    /** The attribute name, as in {@code a=<name>}. */
    String attributeName();

    /** The attribute value after the colon, or {@code null} for a flag attribute such as {@code a=sendrecv}. */
    String toAttributeValue();

    /** The raw attribute carrying this value. */
    default Attribute toAttribute() {
        return new Attribute(attributeName(), toAttributeValue());
    }
}
