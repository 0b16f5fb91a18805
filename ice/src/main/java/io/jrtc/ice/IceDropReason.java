package io.jrtc.ice;

/** Why the agent dropped an incoming packet or refused to send one. Every drop is counted in {@link IceStats}. */
public enum IceDropReason {
    /** Shorter than its header or its declared length, or an attribute runs past the end. */
    TRUNCATED,
    /** STUN framing broken in another way (length not a multiple of 4, attributes that do not decode, ...). */
    MALFORMED,
    /** FINGERPRINT present but wrong. */
    BAD_FINGERPRINT,
    /** MESSAGE-INTEGRITY missing where required, or wrong. */
    BAD_INTEGRITY,
    /** USERNAME missing or not {@code <local ufrag>:<remote ufrag>}. */
    BAD_USERNAME,
    /** A comprehension-required attribute this agent does not know (requests are answered 420). */
    UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE,
    /** A response whose transaction id matches nothing outstanding. */
    UNKNOWN_TRANSACTION,
    /** A response from an address other than the one the request went to (RFC 8445 §7.2.5.2.1). */
    NON_SYMMETRIC_RESPONSE,
    /** A STUN method or class the agent does not handle here. */
    UNEXPECTED_MESSAGE,
    /** Non-STUN data from an address that is not on a valid pair. */
    UNKNOWN_SOURCE,
    /** A packet that arrived outside a relay path while the policy is RELAY. */
    NON_RELAY_PATH,
    /** A packet on a socket id the agent does not know. */
    UNKNOWN_SOCKET,
    /** ChannelData for a channel number not bound. */
    UNKNOWN_CHANNEL,
    /** Data to send but no usable pair. */
    NO_PAIR,
    /** Data to send but consent expired (RFC 7675 §5.1: stop sending). */
    CONSENT_EXPIRED,
    /** A bounded queue (TURN permission wait queue, stream reassembly) was full. */
    QUEUE_FULL,
    /** The agent is closed. */
    CLOSED
}
