package io.jrtc.mesh;

/** Why the overlay dropped a message. Every drop is counted under one of these ({@link OverlayStats#dropped}). */
public enum DropReason {
    /** Bytes that do not parse as a frame or an envelope. */
    MALFORMED,
    /** The envelope's signature does not verify against its origin's key. */
    BAD_SIGNATURE,
    /** A validly signed envelope whose sequence is older than its origin's replay window. */
    REPLAY,
    /** A copy of a message already seen (normal in gossip; counted, not reported as an event). */
    DUPLICATE,
    /** The envelope used up its hop limit. */
    TTL_EXCEEDED,
    /** It waited in a link queue (back-pressure) beyond the queue expiry. */
    EXPIRED,
    /** The link's queue for its channel class was full. */
    QUEUE_FULL,
    /** No route to the destination, and discovery found none in time. */
    NO_ROUTE,
    /** It was queued on a link that went down. */
    LINK_DOWN,
    /** Its origin's key was revoked by an operator (see {@link Revocation}): dropped at every hop, queued copies too. */
    REVOKED,
    /** A REVOCATION envelope whose statement does not parse or is not signed by a configured operator key. */
    BAD_REVOCATION,
    /** A bulk transfer above the receiver's size limit, or beyond its number of transfers at once. */
    TOO_LARGE,
    /** A bulk transfer that lost a chunk (a gap in its indices) or got none for the bulk timeout: abandoned. */
    INCOMPLETE
}
